"""Sign in with an 18-digit NIP or a username."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .rules import normalise_nip


def login_identity(raw: str | None) -> str:
    """The account a login attempt is about, whatever the spelling: an 18-digit NIP typed with spaces, dots
    or dashes and a username in any letter case all name the same account. django-axes counts failures on
    this value (AXES_USERNAME_CALLABLE), so five failures on `19900607 201203 1 001` also lock
    `199006072012031001` and the account's username."""
    text = str(raw or "").strip()
    nip = normalise_nip(text)
    if nip.isdigit() and len(nip) == 18:
        username = get_user_model().objects.filter(employee__nip=nip).values_list("username", flat=True).first()
        return (username or nip).lower()
    return text.lower()


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: the normalised identity from the credentials or the posted form."""
    if credentials and credentials.get("username") is not None:
        raw = credentials.get("username")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        raw = data.get("username", "")
    return login_identity(raw)


class NipOrUsernameBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is None or password is None:
            return None
        User = get_user_model()
        nip = normalise_nip(username)
        user = None
        if nip.isdigit() and len(nip) == 18:
            user = User.objects.filter(employee__nip=nip).first()
        if user is None:
            user = User.objects.filter(username__iexact=username.strip()).order_by("pk").first()
        if user is None:
            User().set_password(password)  # same cost whether or not the account exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
