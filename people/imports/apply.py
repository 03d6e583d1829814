"""Set-based writes of validated import rows (called inside the batch's one transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError

from ..choices import (
    ImportKind,
    RowAction,
)
from ..models import Agency, Employee, OrgUnit, Position, PositionHistory, RankHistory, User
from ..services import touch_summaries
from .validate import EMP_COMPARE, _chunks


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


DATE_FIELDS = {"birth_date", "position_start_date", "rank_start_date", "cpns_date", "pns_date"}


def _values(d: dict[str, Any]) -> dict[str, Any]:
    return {k: (_date(d[k]) if k in DATE_FIELDS else d[k]) for k in EMP_COMPARE}


def _create_employees(agency: Agency, creates: list[dict[str, Any]]) -> dict[str, int]:
    """New employees with their accounts (username = NIP, no usable password until the employee sets one);
    returns their ids by NIP."""
    if creates:
        nips = [d["nip"] for d in creates]
        taken: set[str] = set()
        for chunk in _chunks(nips):
            taken |= set(User.objects.filter(username__in=chunk).values_list("username", flat=True))
        unusable = make_password(None)
        User.objects.bulk_create([User(username=n, password=unusable) for n in nips if n not in taken], batch_size=1000)
        user_ids: dict[str, int] = {}
        for chunk in _chunks(nips):
            user_ids.update(
                User.objects.filter(username__in=chunk, employee__isnull=True).values_list("username", "id")
            )
        Employee.objects.bulk_create(
            [Employee(agency=agency, nip=d["nip"], user_id=user_ids.get(d["nip"]), **_values(d)) for d in creates],
            batch_size=1000,
        )
    new_ids: dict[str, int] = {}
    for chunk in _chunks([d["nip"] for d in creates]):
        new_ids.update(Employee.objects.filter(nip__in=chunk).values_list("nip", "id"))
    return new_ids


class _History:
    """Post and rank history entries for new or changed posts and ranks, written in two bulk inserts."""

    def __init__(self, agency: Agency) -> None:
        self.pos_info = {
            pk: (title, unit_name)
            for pk, title, unit_name in Position.objects.filter(agency=agency).values_list("id", "title", "unit__name")
        }
        self.unit_names = dict(OrgUnit.objects.filter(agency=agency).values_list("id", "name"))
        self.positions: list[PositionHistory] = []
        self.ranks: list[RankHistory] = []

    def add(self, emp_id: int, d: dict[str, Any]) -> None:
        if d["position_id"] and "position_id" in d.get("_changed", ("position_id",)):
            title, unit_name = self.pos_info.get(d["position_id"], ("", ""))
            self.positions.append(
                PositionHistory(
                    employee_id=emp_id,
                    position_id=d["position_id"],
                    position_title=title,
                    unit_name=unit_name or self.unit_names.get(d["unit_id"], ""),
                    start_date=_date(d["position_start_date"]) or timezone.localdate(),
                )
            )
        if d["rank_id"] and "rank_id" in d.get("_changed", ("rank_id",)):
            self.ranks.append(
                RankHistory(
                    employee_id=emp_id,
                    rank_id=d["rank_id"],
                    start_date=_date(d["rank_start_date"]) or timezone.localdate(),
                )
            )

    def save(self) -> None:
        PositionHistory.objects.bulk_create(self.positions, batch_size=2000)
        RankHistory.objects.bulk_create(self.ranks, batch_size=2000)


def _update_employees(updates: dict[int, dict[str, Any]], history: _History) -> None:
    """Changed fields only, in one bulk update; the open post entry of everyone who moved is closed."""
    objs: list[Employee] = []
    changed_fields: set[str] = set()
    for chunk in _chunks(list(updates)):
        objs.extend(Employee.objects.filter(pk__in=chunk))
    moved: dict[int, dt.date] = {}
    for emp in objs:
        row = updates[emp.pk]
        vals = _values(row["data"])
        for f in row["changes"]:
            setattr(emp, f, vals[f])
            changed_fields.add(f)
        history.add(emp.pk, {**row["data"], "_changed": tuple(row["changes"])})
        if "position_id" in row["changes"] and vals["position_start_date"]:
            moved[emp.pk] = vals["position_start_date"]
    model_fields = sorted({f.removesuffix("_id") for f in changed_fields} | {"updated_at"})
    now = timezone.now()
    for emp in objs:
        emp.updated_at = now
    Employee.objects.bulk_update(objs, model_fields, batch_size=1000)
    _close_moved(moved)


def _close_moved(moved: dict[int, dt.date]) -> None:
    """Close the open post entry of everyone who moved (one read, one bulk update)."""
    open_rows: list[PositionHistory] = []
    for chunk in _chunks(list(moved)):
        open_rows.extend(PositionHistory.objects.filter(employee_id__in=chunk, end_date__isnull=True))
    for h in open_rows:
        start = moved[h.employee_id]
        if h.start_date < start:
            h.end_date = start - dt.timedelta(days=1)
    PositionHistory.objects.bulk_update([h for h in open_rows if h.end_date], ["end_date"], batch_size=1000)


def apply_employees(agency: Agency, rows: list[dict[str, Any]]) -> None:
    """Set-based write of employee rows: bulk create/update, accounts, and history entries for new or changed
    posts and ranks (so the current values stay the latest history entries)."""
    creates = [r["data"] for r in rows if r["action"] == RowAction.CREATE]
    updates = {r["data"]["id"]: r for r in rows if r["action"] == RowAction.UPDATE}
    history = _History(agency)
    new_ids = _create_employees(agency, creates)
    for d in creates:
        history.add(new_ids[d["nip"]], d)
    if updates:
        _update_employees(updates, history)
    history.save()
    touch_summaries(agency.pk)


def _recompute_paths(agency: Agency) -> None:
    units = list(OrgUnit.objects.filter(agency=agency).only("id", "parent_id", "path", "depth"))
    by_id = {u.pk: u for u in units}
    paths: dict[int, str] = {}

    def path_of(u: OrgUnit, trail: tuple[int, ...] = ()) -> str:
        if u.pk in paths:
            return paths[u.pk]
        if u.pk in trail:
            raise ApplicationError(_("Hubungan induk unit membentuk lingkaran."))
        parent = by_id.get(u.parent_id) if u.parent_id else None
        p = f"{path_of(parent, (*trail, u.pk)) if parent else '/'}{u.pk}/"
        paths[u.pk] = p
        return p

    changed = []
    for u in units:
        p = path_of(u)
        if p != u.path:
            u.path, u.depth = p, p.count("/") - 2
            changed.append(u)
    OrgUnit.objects.bulk_update(changed, ["path", "depth"], batch_size=1000)


def apply_units(agency: Agency, rows: list[dict[str, Any]]) -> None:
    positions = dict(Position.objects.filter(agency=agency).values_list("code", "id"))
    creates = [r["data"] for r in rows if r["action"] == RowAction.CREATE]
    OrgUnit.objects.bulk_create(
        [
            OrgUnit(
                agency=agency,
                code=d["code"],
                name=d["name"],
                kind=d["kind"],
                head_position_id=positions.get(d["head_position_code"]),
            )
            for d in creates
        ],
        batch_size=1000,
    )
    ids = dict(OrgUnit.objects.filter(agency=agency).values_list("code", "id"))
    objs = list(OrgUnit.objects.filter(agency=agency, code__in=[r["data"]["code"] for r in rows]))
    data = {r["data"]["code"]: r["data"] for r in rows}
    for u in objs:
        d = data[u.code]
        u.name, u.kind = d["name"], d["kind"]
        if d["head_position_code"]:
            u.head_position_id = positions.get(d["head_position_code"])
        u.parent_id = ids.get(d["parent_code"]) if d["parent_code"] else None
    OrgUnit.objects.bulk_update(objs, ["name", "kind", "head_position", "parent"], batch_size=1000)
    _recompute_paths(agency)
    touch_summaries(agency.pk)


def apply_positions(agency: Agency, rows: list[dict[str, Any]]) -> None:
    fields = ("title", "kind", "functional_level", "job_class", "unit_id", "headcount", "is_key")
    creates = [r["data"] for r in rows if r["action"] == RowAction.CREATE]
    Position.objects.bulk_create(
        [Position(agency=agency, code=d["code"], **{f: d[f] for f in fields}) for d in creates], batch_size=1000
    )
    ids = dict(Position.objects.filter(agency=agency).values_list("code", "id"))
    data = {r["data"]["code"]: r["data"] for r in rows}
    objs = list(Position.objects.filter(agency=agency, code__in=list(data)))
    for p in objs:
        d = data[p.code]
        for f in fields:
            setattr(p, f, d[f])
        p.reports_to_id = ids.get(d["reports_to_code"]) if d["reports_to_code"] else None
    Position.objects.bulk_update(objs, [f.removesuffix("_id") for f in fields] + ["reports_to"], batch_size=1000)


APPLIERS: dict[str, Any] = {
    ImportKind.EMPLOYEES: apply_employees,
    ImportKind.UNITS: apply_units,
    ImportKind.POSITIONS: apply_positions,
}
