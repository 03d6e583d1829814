"""Writes for the people app. The employee's current post and rank are the latest history entries,
kept consistent here and only here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from asn_portal import summaries
from asn_portal.errors import ApplicationError
from asn_portal.services import audit

from . import decisions
from .models import Employee, OrgUnit, Position, PositionHistory, Rank, RankHistory


def touch_summaries(*agency_ids: int | None) -> None:
    """Who works where and whether they are active feeds every agency-wide summary (asn_portal.summaries):
    mark them all stale for these agencies (people does not know the reports)."""
    summaries.touch_all(summaries.kinds(), agency_ids)


def _refresh_current_position(employee: Employee) -> None:
    latest = employee.position_history.order_by("-start_date", "-pk").first()
    if latest is not None:
        employee.position = latest.position
        employee.position_start_date = latest.start_date
        if latest.position is not None:
            employee.unit_id = latest.position.unit_id
        employee.save(update_fields=["position", "position_start_date", "unit", "updated_at"])
        touch_summaries(employee.agency_id)  # unit-wide reports of every app


def _refresh_current_rank(employee: Employee) -> None:
    latest = employee.rank_history.select_related("rank").order_by("-start_date", "-pk").first()
    if latest is not None:
        employee.rank = latest.rank
        employee.rank_start_date = latest.start_date
        employee.save(update_fields=["rank", "rank_start_date", "updated_at"])


@transaction.atomic
def employee_appoint(
    *,
    employee: Employee,
    position: Position,
    start_date: dt.date,
    decree_number: str = "",
    decree_date: dt.date | None = None,
    is_acting: bool = False,
    actor: Any,
    reason: str = "",
) -> PositionHistory:
    """Appoint an employee to a post: closes the open history entry, adds the new one (riwayat jabatan)
    and makes it current when it is the latest."""
    if position.agency_id != employee.agency_id:
        raise ApplicationError(_("Jabatan berada di instansi lain."), {"field": "position"})
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    before = {"position": employee.position_id, "position_start_date": employee.position_start_date}
    employee.position_history.filter(end_date__isnull=True, start_date__lt=start_date).update(
        end_date=start_date - dt.timedelta(days=1)
    )
    entry = PositionHistory.objects.create(
        employee=employee,
        position=position,
        position_title=position.title,
        unit_name=position.unit.name,
        start_date=start_date,
        decree_number=decree_number,
        decree_date=decree_date,
        is_acting=is_acting,
    )
    _refresh_current_position(employee)
    touch_summaries(employee.agency_id)
    audit(
        actor=actor,
        action="employee.appoint",
        obj=employee,
        before=before,
        after={"position": employee.position_id, "position_start_date": employee.position_start_date},
        reason=reason or decree_number,
    )
    return entry


@transaction.atomic
def employee_change_rank(
    *,
    employee: Employee,
    rank: Rank,
    start_date: dt.date,
    decree_number: str = "",
    decree_date: dt.date | None = None,
    promotion_kind: str = "",
    actor: Any,
    reason: str = "",
) -> RankHistory:
    """Record a new rank (riwayat pangkat) and make it current when it is the latest TMT."""
    if RankHistory.objects.filter(employee=employee, rank=rank, start_date=start_date).exists():
        raise ApplicationError(_("Riwayat pangkat ini sudah tercatat."), {"field": "rank"})
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    before = {"rank": employee.rank_id, "rank_start_date": employee.rank_start_date}
    entry = RankHistory.objects.create(
        employee=employee,
        rank=rank,
        start_date=start_date,
        decree_number=decree_number,
        decree_date=decree_date,
        promotion_kind=promotion_kind,
    )
    _refresh_current_rank(employee)
    audit(
        actor=actor,
        action="employee.change_rank",
        obj=employee,
        before=before,
        after={"rank": employee.rank_id, "rank_start_date": employee.rank_start_date},
        reason=reason or decree_number,
    )
    return entry


@transaction.atomic
def position_history_update(
    *, entry: PositionHistory, data: dict[str, Any], actor: Any, reason: str = ""
) -> PositionHistory:
    """Correct a recorded appointment (riwayat jabatan): title, unit name, dates, decree. The current post
    is refreshed from the histories when the dates change which entry is the latest."""
    allowed = ("position_title", "unit_name", "start_date", "end_date", "decree_number", "decree_date")
    entry = PositionHistory.objects.select_for_update().get(pk=entry.pk)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in allowed:
        if key in data and getattr(entry, key) != data[key]:
            before[key], after[key] = getattr(entry, key), data[key]
            setattr(entry, key, data[key])
    if entry.end_date is not None and entry.end_date < entry.start_date:
        raise ApplicationError(_("Tanggal akhir tidak boleh sebelum TMT."), {"field": "end_date"})
    if after:
        entry.save(update_fields=list(after))
        _refresh_current_position(entry.employee)
        touch_summaries(entry.employee.agency_id)
        audit(
            actor=actor,
            action="position_history.update",
            obj=entry.employee,
            before={"entry": entry.pk, **before},
            after={"entry": entry.pk, **after},
            reason=reason,
        )
    return entry


# --- Employees: create and update through one path (pages, API and import share the NIP rule) ---

EMPLOYEE_FIELDS = (
    "nip",
    "front_title",
    "name",
    "back_title",
    "gender",
    "birth_place",
    "birth_date",
    "employment_type",
    "education_level",
    "education_field",
    "unit",
    "cpns_date",
    "pns_date",
    "status",
    "email",
    "phone",
    "supervisor_override",
)


def validate_nip(
    *,
    nip: str,
    employment_type: str,
    birth_date: dt.date | None,
    cpns_date: dt.date | None,
    gender: str | None,
    exclude_pk: int | None = None,
) -> tuple[str, list[str]]:
    """Check a NIP with `rules.check_nip` (regulations.md §6): layout errors refuse the write (naming the
    wrong part); disagreement with the person's own data is returned as warnings. Also refuses a NIP
    already registered to another employee."""
    from .choices import EmploymentType
    from .rules import check_nip, normalise_nip

    nip = normalise_nip(nip)
    check = check_nip(
        nip,
        is_pppk=employment_type == EmploymentType.PPPK,
        birth_date=birth_date,
        cpns_date=cpns_date,
        gender=gender,
    )
    if not check.ok:
        raise ApplicationError(" ".join(check.errors), {"field": "nip", "errors": check.errors})
    dup = Employee.objects.filter(nip=nip)
    if exclude_pk:
        dup = dup.exclude(pk=exclude_pk)
    if dup.exists():
        raise ApplicationError(_("NIP %(nip)s sudah terdaftar.") % {"nip": nip}, {"field": "nip"})
    return nip, list(check.warnings)


def _check_refs(agency_id: int, data: dict[str, Any]) -> None:
    unit = data.get("unit")
    if unit is not None and unit.agency_id != agency_id:
        raise ApplicationError(_("Unit kerja berada di instansi lain."), {"field": "unit"})
    position = data.get("position")
    if position is not None and position.agency_id != agency_id:
        raise ApplicationError(_("Jabatan berada di instansi lain."), {"field": "position"})
    sup = data.get("supervisor_override")
    if sup is not None and sup.agency_id != agency_id:
        raise ApplicationError(_("Atasan berada di instansi lain."), {"field": "supervisor_override"})
    today = dt.date.today()
    for key in ("birth_date", "cpns_date", "pns_date", "position_start_date", "rank_start_date"):
        value = data.get(key)
        if value is not None and value > today:
            raise ApplicationError(_("Tanggal tidak boleh di masa depan."), {"field": key})


@transaction.atomic
def employee_create(*, agency: Any, data: dict[str, Any], actor: Any) -> tuple[Employee, list[str]]:
    """Create an employee (pegawai). The NIP is validated (hard errors refuse, warnings are returned);
    position and rank, when given, are recorded as the first history entries so the current values
    always come from the histories."""
    _check_refs(agency.pk, data)
    nip, warnings = validate_nip(
        nip=data["nip"],
        employment_type=data.get("employment_type") or "pns",
        birth_date=data.get("birth_date"),
        cpns_date=data.get("cpns_date"),
        gender=data.get("gender"),
    )
    position = data.get("position")
    unit = data.get("unit") or (position.unit if position is not None else None)
    if unit is None:
        raise ApplicationError(_("Unit kerja wajib diisi."), {"field": "unit"})
    fields = {k: data[k] for k in EMPLOYEE_FIELDS if k in data and data[k] is not None}
    fields.update(nip=nip, unit=unit, agency=agency)
    employee = Employee.objects.create(**fields)
    if position is not None:
        employee_appoint(
            employee=employee,
            position=position,
            start_date=data.get("position_start_date") or dt.date.today(),
            actor=actor,
            reason=_("Data awal pegawai"),
        )
    rank = data.get("rank")
    if rank is not None:
        employee_change_rank(
            employee=employee,
            rank=rank,
            start_date=data.get("rank_start_date") or dt.date.today(),
            actor=actor,
            reason=_("Data awal pegawai"),
        )
    employee.refresh_from_db()
    touch_summaries(employee.agency_id)
    audit(actor=actor, action="employee.create", obj=employee, after={"nip": nip, "name": employee.name})
    return employee, warnings


@transaction.atomic
def employee_update(*, employee: Employee, data: dict[str, Any], actor: Any) -> tuple[Employee, list[str]]:
    """Update an employee's identity data. A changed post or rank goes through `employee_appoint` /
    `employee_change_rank` so the histories stay the single source of the current values."""
    position, rank = data.get("position"), data.get("rank")
    if (position is not None and position.pk != employee.position_id) or (
        rank is not None and rank.pk != employee.rank_id
    ):
        # Appointing or promoting is a decision: a BKD admin never records their own (issue #11).
        decisions.ensure_may_decide(actor, employee)
    _check_refs(employee.agency_id, data)
    merged = {k: data.get(k, getattr(employee, k)) for k in ("employment_type", "birth_date", "cpns_date", "gender")}
    nip, warnings = validate_nip(
        nip=data.get("nip", employee.nip),
        employment_type=merged["employment_type"],
        birth_date=merged["birth_date"],
        cpns_date=merged["cpns_date"],
        gender=merged["gender"],
        exclude_pk=employee.pk,
    )
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    data = {**data, "nip": nip}
    for key in EMPLOYEE_FIELDS:
        if key not in data:
            continue
        old = getattr(employee, key)
        if old != data[key]:
            before[key], after[key] = old, data[key]
            setattr(employee, key, data[key])
    if after:
        employee.save()
    if "status" in after:
        from .lifecycle import on_status_change

        on_status_change(employee=employee, old=before["status"], new=after["status"], actor=actor)
    position = data.get("position")
    if position is not None and position.pk != employee.position_id:
        employee_appoint(
            employee=employee,
            position=position,
            start_date=data.get("position_start_date") or dt.date.today(),
            actor=actor,
        )
    rank = data.get("rank")
    if rank is not None and rank.pk != employee.rank_id:
        employee_change_rank(
            employee=employee, rank=rank, start_date=data.get("rank_start_date") or dt.date.today(), actor=actor
        )
    employee.refresh_from_db()
    if after:
        touch_summaries(employee.agency_id)
        audit(actor=actor, action="employee.update", obj=employee, before=before, after=after)
    return employee, warnings


# --- Organisation units: the materialised path is maintained here for the whole subtree ---


@transaction.atomic
def org_unit_create(
    *,
    agency: Any,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    head_position: Position | None = None,
    actor: Any,
) -> OrgUnit:
    """Create a unit (unit kerja) under `parent` in the same agency; its path is set on save."""
    if parent is not None and parent.agency_id != agency.pk:
        raise ApplicationError(_("Unit induk berada di instansi lain."), {"field": "parent"})
    if OrgUnit.objects.filter(agency=agency, code=code).exists():
        raise ApplicationError(_("Kode unit %(code)s sudah dipakai.") % {"code": code}, {"field": "code"})
    unit = OrgUnit.objects.create(
        agency=agency, code=code, name=name, kind=kind, parent=parent, head_position=head_position
    )
    touch_summaries(agency.pk)
    audit(actor=actor, action="org_unit.create", obj=unit, after={"code": code, "parent": parent})
    return unit


@transaction.atomic
def org_unit_move(*, unit: OrgUnit, new_parent: OrgUnit | None, actor: Any) -> OrgUnit:
    """Move a unit (and its whole subtree) under another parent: one UPDATE rewrites every path prefix."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat, Substr

    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if new_parent is not None:
        new_parent = OrgUnit.objects.get(pk=new_parent.pk)
        if new_parent.agency_id != unit.agency_id:
            raise ApplicationError(_("Unit induk berada di instansi lain."), {"field": "parent"})
        if new_parent.path.startswith(unit.path):
            raise ApplicationError(_("Unit tidak dapat dipindah ke bawah unitnya sendiri."), {"field": "parent"})
    old_path, old_parent = unit.path, unit.parent_id
    new_path = f"{new_parent.path if new_parent else '/'}{unit.pk}/"
    delta = (new_path.count("/") - 2) - unit.depth
    OrgUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
    OrgUnit.objects.filter(agency_id=unit.agency_id, path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)), depth=F("depth") + delta
    )
    unit.refresh_from_db()
    touch_summaries(unit.agency_id)
    audit(
        actor=actor,
        action="org_unit.move",
        obj=unit,
        before={"parent": old_parent, "path": old_path},
        after={"parent": unit.parent_id, "path": unit.path},
    )
    return unit


def access_report_exported(*, agency: Any, filters: dict[str, Any], viewers: int, actor: Any) -> None:
    """Audit a download of the BKD access report (UU PDP Pasal 31: the export of who read whose record is itself
    a processing activity): the filter used and how many viewers it listed."""
    window = filters["window"]
    audit(
        actor=actor,
        action="access_report.export",
        obj=agency,
        after={
            "since": window.since.isoformat(),
            "until": window.until.isoformat(),
            "viewer": filters.get("viewer", ""),
            "part": filters.get("part", ""),
            "unusual_only": filters.get("unusual_only", False),
            "viewers": viewers,
        },
        agency_id=agency.pk,
    )
