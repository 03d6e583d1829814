"""Former employees (issue #16; UU PDP 27/2022 Pasal 16 ayat 2 huruf g-h and Pasal 43-44): the account is
deactivated when the status becomes retired, resigned/dismissed, deceased or transferred; after
settings.PSEUDONYMISE_AFTER_DAYS the personal fields are pseudonymised, while HR decisions and the audit
trail keep their rows (they reference ids, not names).

Why these choices (docs/privacy.md, "Mantan pegawai"):
- The portal is a career-development tool, not the archival master of the personnel file: the official
  file (arsip kepegawaian) lives in the agency's records and BKN's SIASN under the archival retention schedule.
  UU PDP Pasal 43 asks for deletion once the purpose ends; the portal's purposes (development, promotion,
  appraisal) end at separation, except for appeals, audits and re-employment checks. Five years (1826 days)
  covers the BPK audit cycle, administrative appeals and disputes over promotions and appraisals, and
  matches the common inactive retention of personnel records after separation; agencies may shorten it.
- NIP: kept as a keyed hash ("X" + 17 hex digits of an HMAC), not in clear. The NIP is the official
  identifier decrees reference, but it also encodes the birth date and gender (regulations.md §6), so in
  clear it would undo the pseudonymisation. BKD, holding a decree with the NIP, can still find the row by
  computing the same hash (`pseudonymous_nip`); nobody can go the other way without the key.
- Birth date keeps the year only (1 January of that year), for age statistics; birth place, phone, email,
  titles and name are cleared ("Mantan Pegawai #<id>"). The login account is renamed and emptied.
- The historical rows (django-simple-history) and the audit entries about the person are rewritten the same
  way: their before/after lose the personal keys and their labels become the pseudonym."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import CharField, DateField, F, Func, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat, ExtractYear
from django.utils import timezone
from django.utils.crypto import salted_hmac

from asn_portal.models import ApiToken, AuditEntry, Notification
from asn_portal.services import audit, chunked, job_run

from .choices import FORMER_STATUSES, DataExportStatus
from .models import Employee, User
from .privacy_models import CorrectionRequest, DataExportRequest

PSEUDONYM_PREFIX = "Mantan Pegawai #"
# Keys removed from the before/after of audit entries about a pseudonymised person.
PERSONAL_KEYS = ["nip", "name", "front_title", "back_title", "birth_place", "birth_date", "email", "phone"]


def is_former(status: str) -> bool:
    return status in FORMER_STATUSES


def account_deactivate(*, employee: Employee, actor: Any, reason: str = "") -> bool:
    """Deactivate the login of a person who left (same transaction as the status change): the account is
    inactive, so every session stops authenticating on its next request, and every API token is deleted.
    Returns False when there was no active account."""
    if not employee.user_id:
        return False
    changed = User.objects.filter(pk=employee.user_id, is_active=True).update(is_active=False)
    tokens, _ = ApiToken.objects.filter(user_id=employee.user_id).delete()
    if changed:
        audit(
            actor=actor,
            action="account.deactivate",
            obj=employee,
            after={"user": employee.user_id, "tokens_revoked": tokens},
            reason=reason or employee.status,
        )
    return bool(changed)


def on_status_change(*, employee: Employee, old: str, new: str, actor: Any) -> None:
    """Called by `people.services.employee_update` inside its transaction when the status changed."""
    if is_former(new) and not is_former(old):
        Employee.objects.filter(pk=employee.pk).update(separated_on=timezone.localdate())
        account_deactivate(employee=employee, actor=actor, reason=new)
    elif not is_former(new) and is_former(old):
        # A status corrected back (a mistaken entry, a return): the clock stops; the account is re-enabled
        # by the BKD explicitly, never silently.
        Employee.objects.filter(pk=employee.pk).update(separated_on=None)


def pseudonymous_nip(nip: str) -> str:
    """The stored NIP of a pseudonymised person: never a valid NIP (starts with "X"), stable per NIP."""
    return "X" + salted_hmac("people.lifecycle.nip", nip).hexdigest()[:17]


def _due_ids(today: dt.date) -> list[int]:
    days = int(getattr(settings, "PSEUDONYMISE_AFTER_DAYS", 1826))
    return list(
        Employee.objects.filter(
            status__in=FORMER_STATUSES,
            separated_on__lte=today - dt.timedelta(days=days),
            pseudonymised_at__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


class _JsonbMinus(Func):
    """`jsonb - text[]`: the JSON object without the listed keys (PostgreSQL)."""

    arg_joiner = " - "
    template = "(%(expressions)s::text[])"


def _year_only(field: str) -> Func:
    year = Cast(ExtractYear(field), IntegerField())
    return Func(year, Value(1), Value(1), function="make_date", output_field=DateField())


def _pseudonymise_chunk(ids: list[int]) -> int:
    """Rewrite one chunk set-based; claims the rows (pseudonymised_at IS NULL) so a rerun is a no-op."""
    from .models import Employee as E

    now = timezone.now()
    with transaction.atomic():
        claimed = list(
            E.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, pseudonymised_at__isnull=True)
            .values_list("pk", "nip", "user_id")
        )
        if not claimed:
            return 0
        pks = [pk for pk, _n, _u in claimed]
        # NIPs differ per row: one UPDATE per row for the NIP only (the rest is set-based below).
        for pk, nip, _u in claimed:
            E.objects.filter(pk=pk).update(nip=pseudonymous_nip(nip))
        pseudonym = Concat(Value(PSEUDONYM_PREFIX), Cast("pk", CharField()))
        personal = {
            "name": pseudonym,
            "front_title": "",
            "back_title": "",
            "birth_place": "",
            "birth_date": _year_only("birth_date"),
            "email": "",
            "phone": "",
            "education_field": "",
        }
        E.objects.filter(pk__in=pks).update(pseudonymised_at=now, **personal)
        history = E.history.model  # type: ignore[attr-defined]
        hist_pseudonym = Concat(Value(PSEUDONYM_PREFIX), Cast("id", CharField()))
        history.objects.filter(id__in=pks).update(
            **{
                **personal,
                "name": hist_pseudonym,
                "nip": Subquery(E.objects.filter(pk=OuterRef("id")).values("nip")[:1]),
            }
        )
        users = [u for _pk, _n, u in claimed if u]
        User.objects.filter(pk__in=users).update(
            username=Concat(Value("mantan-"), Cast("pk", CharField())),
            first_name="",
            last_name="",
            email="",
            is_active=False,
            password=make_password(None),
        )
        ApiToken.objects.filter(user_id__in=users).delete()
        AuditEntry.objects.filter(object_type="people.employee", object_id__in=[str(pk) for pk in pks]).update(
            object_repr=Concat(Value(PSEUDONYM_PREFIX), F("object_id")),
            before=_JsonbMinus(F("before"), Value(PERSONAL_KEYS)),
            after=_JsonbMinus(F("after"), Value(PERSONAL_KEYS)),
        )
        # Copies of their data are personal data too; the files go with the expiry job's next run.
        DataExportRequest.objects.filter(employee_id__in=pks, status=DataExportStatus.READY).update(expires_at=now)
        # Corrections keep the decision (status, who, when) but not the personal values or the scanned document.
        corrections = CorrectionRequest.objects.filter(employee_id__in=pks)
        documents = [d for d in corrections.values_list("document", flat=True) if d]
        correction_ids = [str(pk) for pk in corrections.values_list("pk", flat=True)]
        corrections.update(changes={}, reason="", document="", document_name="")
        AuditEntry.objects.filter(object_type="people.correctionrequest", object_id__in=correction_ids).update(
            before={}, after={}, reason="", object_repr=""
        )
        Notification.objects.filter(user_id__in=users).delete()
    storage = CorrectionRequest._meta.get_field("document").storage  # type: ignore[attr-defined]
    for name in documents:
        storage.delete(name)
    return len(pks)


def former_accounts_sweep() -> int:
    """Safety net for status changes written outside `employee_update` (bulk import): former employees
    whose login is still active are deactivated and their separation date set, set-based."""
    today = timezone.localdate()
    Employee.objects.filter(status__in=FORMER_STATUSES, separated_on__isnull=True).update(separated_on=today)
    users = Employee.objects.filter(status__in=FORMER_STATUSES, user__is_active=True).values("user_id")
    ApiToken.objects.filter(user_id__in=users).delete()
    return User.objects.filter(pk__in=users).update(is_active=False)


def former_employees_pseudonymise(*, today: dt.date | None = None) -> dict[str, int]:
    """Periodic job: pseudonymise former employees separated more than PSEUDONYMISE_AFTER_DAYS ago, in
    chunks of 500 ids, set-based. HR decisions (appraisals, promotions, sanctions, histories) stay as they
    are: they reference the employee by id."""
    with job_run("people.former_employees_pseudonymise") as run:
        run.counts["accounts_deactivated"] = former_accounts_sweep()
        done = 0
        for chunk in chunked(_due_ids(today or timezone.localdate()), 500):
            done += _pseudonymise_chunk(chunk)
        run.counts["pseudonymised"] = done
    return dict(run.counts)
