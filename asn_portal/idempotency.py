"""Creates that happen once: a double click or a retried request repeats the key, not the write.

Every create form carries a hidden ``idempotency_key`` (the ``{% idempotency_field %}`` tag) and API
clients may send an ``Idempotency-Key`` header. :func:`create_once` claims (user, key) in the same
transaction as the create: a concurrent duplicate waits on the unique index, then finds the claim
and gets the first object back. If the create is refused, the claim rolls back with it, so the same
key may be sent again after the user corrects the form.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import ApplicationError
from .models import IdempotencyKey

T = TypeVar("T")

FORM_FIELD = "idempotency_key"
HEADER = "Idempotency-Key"
_VALID = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")


def new_key() -> str:
    return uuid.uuid4().hex


def is_valid_key(key: str) -> bool:
    return bool(_VALID.match(key or ""))


def key_from_request(request: Any) -> str:
    """The key of a page POST (hidden field) or an API request (header); empty when none was sent.
    A malformed key is refused rather than ignored, so a client never believes it is protected when it is not."""
    key = ""
    headers = getattr(request, "headers", None)
    if headers is not None:
        key = (headers.get(HEADER) or "").strip()
    if not key and getattr(request, "method", "") == "POST":
        key = (request.POST.get(FORM_FIELD) or "").strip()
    if key and not is_valid_key(key):
        raise ApplicationError(
            _("Kunci idempotensi tidak valid: 8–64 karakter huruf, angka, '-' atau '_'."), {"field": FORM_FIELD}
        )
    return key


def create_once(
    *, user: Any, key: str, scope: str, create: Callable[[], T], load: Callable[[str], T]
) -> tuple[T, bool]:
    """Run ``create`` once per (user, key): returns (object, created). A repeat returns (first object, False)."""
    if not key or user is None or not getattr(user, "pk", None):
        return create(), True
    with transaction.atomic():
        claim, fresh = IdempotencyKey.objects.get_or_create(user=user, key=key, defaults={"scope": scope})
        if not fresh:
            if claim.scope != scope or not claim.object_id:
                raise ApplicationError(
                    _("Kunci idempotensi ini sudah dipakai untuk permintaan lain."), {"field": FORM_FIELD}, status=422
                )
            return load(claim.object_id), False
        obj = create()
        claim.object_id = str(getattr(obj, "pk", "") or "")
        claim.save(update_fields=["object_id"])
    return obj, True
