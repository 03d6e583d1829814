"""Validation of import rows against the database and the rest of the file (set-based)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from .. import rules
from ..choices import (
    ACTIVE_STATUSES,
    EducationLevel,
    EmployeeStatus,
    EmploymentType,
    FunctionalLevel,
    ImportKind,
    PositionType,
    RowAction,
    UnitKind,
)
from ..models import Agency, Employee, OrgUnit, Position, Rank
from ..rules import check_nip, normalise_nip
from .columns import CHUNK

# --- Value parsers (return value, error) -------------------------------------------------------------


def parse_date(value: str) -> dt.date | None:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _choice(value: str, choices: Any) -> str | None:
    v = value.strip().lower()
    for code, label in choices.choices:
        if v in (str(code).lower(), str(label).lower()):
            return str(code)
    return None


GENDER_ALIASES = {
    "l": "L",
    "p": "P",
    "laki-laki": "L",
    "pria": "L",
    "perempuan": "P",
    "wanita": "P",
    "1": "L",
    "2": "P",
}
YES = {"ya", "y", "yes", "1", "true", "benar"}


class _Row:
    """Collects one row's parsed values, errors and warnings."""

    def __init__(self, line: int, raw: dict[str, str], today: dt.date) -> None:
        self.line = line
        self.raw = raw
        self.today = today
        self.errors: list[str] = []
        self.warnings: list[str] = []
        # placements that are allowed only with an explicit, recorded decision (formasi full, rank misfit)
        self.decisions: list[str] = []
        self.data: dict[str, Any] = {}

    def text(self, col: str, required: bool = False, max_len: int = 200) -> str:
        value = (self.raw.get(col) or "").strip()
        if required and not value:
            self.errors.append(_("Kolom %(col)s wajib diisi.") % {"col": col})
        if len(value) > max_len:
            self.errors.append(_("Kolom %(col)s terlalu panjang (maks. %(n)d).") % {"col": col, "n": max_len})
        return value

    def date(self, col: str, required: bool = False) -> dt.date | None:
        value = self.text(col, required)
        if not value:
            return None
        try:
            parsed = parse_date(value)
        except ValueError:
            self.errors.append(
                _("Kolom %(col)s: tanggal %(v)s tidak valid (gunakan TTTT-BB-HH).") % {"col": col, "v": value}
            )
            return None
        if parsed is not None and parsed > self.today:
            self.errors.append(_("Kolom %(col)s: tanggal %(v)s di masa depan.") % {"col": col, "v": parsed.isoformat()})
        return parsed

    def choice(self, col: str, choices: Any, default: str = "", required: bool = False) -> str:
        value = self.text(col, required)
        if not value:
            return default
        code = _choice(value, choices)
        if code is None:
            allowed = ", ".join(str(c) for c in choices.values)
            self.errors.append(
                _("Kolom %(col)s: nilai %(v)s tidak dikenal (pilihan: %(a)s).") % {"col": col, "v": value, "a": allowed}
            )
            return default
        return code

    def integer(self, col: str, default: int | None = None) -> int | None:
        value = self.text(col)
        if not value:
            return default
        try:
            return int(value)
        except ValueError:
            self.errors.append(_("Kolom %(col)s: %(v)s bukan angka.") % {"col": col, "v": value})
            return default

    def result(self, key: str, action: str, changes: list[str] | None = None) -> dict[str, Any]:
        if self.errors:
            action = RowAction.REJECT
        return {
            "line": self.line,
            "key": key,
            "action": action,
            "data": self.data,
            "raw": self.raw,
            "errors": self.errors,
            "warnings": self.warnings,
            "decisions": self.decisions if action != RowAction.REJECT else [],
            "changes": changes or [],
        }


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _mark_duplicates(rows: list[_Row], keys: list[str], label: str) -> None:
    seen: dict[str, list[int]] = {}
    for row, key in zip(rows, keys, strict=True):
        if key:
            seen.setdefault(key, []).append(row.line)
    for row, key in zip(rows, keys, strict=True):
        lines = seen.get(key, [])
        if key and len(lines) > 1:
            others = ", ".join(str(n) for n in lines if n != row.line)
            row.errors.append(
                _("%(label)s %(key)s ganda dalam berkas (juga di baris %(lines)s).")
                % {"label": label, "key": key, "lines": others}
            )


# --- Validation ---------------------------------------------------------------------------------------

EMP_COMPARE = (
    "front_title",
    "name",
    "back_title",
    "gender",
    "birth_place",
    "birth_date",
    "employment_type",
    "education_level",
    "education_field",
    "unit_id",
    "position_id",
    "position_start_date",
    "rank_id",
    "rank_start_date",
    "cpns_date",
    "pns_date",
    "status",
    "email",
    "phone",
)


@dataclass
class _EmployeeLookups:
    """What the employee rows are checked against, read once per file (constant queries)."""

    agency_id: int
    units: dict[str, int]
    positions: dict[str, tuple[int, int]]
    posts: dict[int, tuple[str, str, str, int]]
    holders: dict[int, int]
    rank_codes: dict[int, str]
    ranks: dict[tuple[str, str], int]
    existing: dict[str, dict[str, Any]] = field(default_factory=dict)


def _employee_lookups(agency: Agency, nips: list[str]) -> _EmployeeLookups:
    lookups = _EmployeeLookups(
        agency_id=agency.pk,
        units=dict(OrgUnit.objects.filter(agency=agency).values_list("code", "id")),
        positions={
            code: (pk, unit_id)
            for code, pk, unit_id in Position.objects.filter(agency=agency).values_list("code", "id", "unit_id")
        },
        posts={
            pk: (code, title, kind, headcount)
            for pk, code, title, kind, headcount in Position.objects.filter(agency=agency).values_list(
                "id", "code", "title", "kind", "headcount"
            )
        },
        holders=dict(
            Employee.objects.filter(agency=agency, status__in=ACTIVE_STATUSES, position__isnull=False)
            .values_list("position_id")
            .annotate(n=Count("pk"))
            .values_list("position_id", "n")
        ),
        rank_codes={pk: code for _scheme, code, pk in Rank.objects.values_list("scheme", "code", "id")},
        ranks={(scheme, code.upper()): pk for scheme, code, pk in Rank.objects.values_list("scheme", "code", "id")},
    )
    for chunk in _chunks([n for n in nips if n]):
        for rec in Employee.objects.filter(nip__in=chunk).values("id", "agency_id", "nip", *EMP_COMPARE):
            lookups.existing[rec["nip"]] = rec
    return lookups


def _row_nip(row: _Row) -> str:
    raw_nip = row.text("nip", required=True, max_len=40)
    if raw_nip.startswith("#NUM:"):
        row.errors.append(
            _("NIP tersimpan sebagai angka sehingga digit terakhir hilang; format kolom NIP sebagai teks.")
        )
        raw_nip = raw_nip[5:]
    return normalise_nip(raw_nip)


def _person_fields(row: _Row, d: dict[str, Any]) -> dt.date | None:
    """Name, titles, gender, birth, employment type and education; returns the birth date."""
    d["name"] = row.text("nama", required=True, max_len=150)
    d["front_title"] = row.text("gelar_depan", max_len=40)
    d["back_title"] = row.text("gelar_belakang", max_len=60)
    g = row.text("jenis_kelamin", required=True).lower()
    d["gender"] = GENDER_ALIASES.get(g, "")
    if g and not d["gender"]:
        row.errors.append(_("Kolom jenis_kelamin harus L atau P (diterima %(v)s).") % {"v": g})
    d["birth_place"] = row.text("tempat_lahir", max_len=80)
    birth = row.date("tanggal_lahir", required=True)
    d["employment_type"] = row.choice("jenis_kepegawaian", EmploymentType, EmploymentType.PNS)
    d["education_level"] = row.choice("pendidikan", EducationLevel, required=True)
    d["education_field"] = row.text("jurusan", max_len=120)
    return birth


def _post_fields(row: _Row, d: dict[str, Any], lookups: _EmployeeLookups) -> dt.date | None:
    """Unit and post (the post's unit wins); returns the TMT jabatan as written."""
    unit_code = row.text("kode_unit", required=True)
    d["unit_id"] = lookups.units.get(unit_code)
    if unit_code and d["unit_id"] is None:
        row.errors.append(_("Kode unit %(code)s tidak dikenal di instansi ini.") % {"code": unit_code})
    pos_code = row.text("kode_jabatan")
    d["position_id"] = None
    found = lookups.positions.get(pos_code) if pos_code else None
    if pos_code and found is None:
        row.errors.append(_("Kode jabatan %(code)s tidak dikenal di instansi ini.") % {"code": pos_code})
    elif found is not None:
        d["position_id"] = found[0]
        if d["unit_id"] and found[1] != d["unit_id"]:
            row.warnings.append(
                _("Jabatan %(code)s berada di unit lain; unit kerja mengikuti jabatan.") % {"code": pos_code}
            )
            d["unit_id"] = found[1]
    return row.date("tmt_jabatan")


def _rank_fields(row: _Row, d: dict[str, Any], lookups: _EmployeeLookups) -> str:
    """The golongan in the row's scheme (PNS or PPPK); returns the scheme."""
    rank_code = row.text("golongan").upper()
    scheme = "pppk" if d["employment_type"] == EmploymentType.PPPK else "pns"
    d["rank_id"] = lookups.ranks.get((scheme, rank_code)) if rank_code else None
    if rank_code and d["rank_id"] is None:
        row.errors.append(
            _("Golongan %(code)s tidak dikenal untuk %(scheme)s.") % {"code": rank_code, "scheme": scheme.upper()}
        )
    return scheme


def _date_fields(
    row: _Row, d: dict[str, Any], birth: dt.date | None, pos_start: dt.date | None, today: dt.date
) -> None:
    rank_start = row.date("tmt_golongan")
    cpns = row.date("tmt_cpns")
    pns = row.date("tmt_pns")
    d["status"] = row.choice("status", EmployeeStatus, EmployeeStatus.ACTIVE)
    d["email"] = row.text("email", max_len=254)
    d["phone"] = row.text("telepon", max_len=30)
    if d["position_id"] and not pos_start:
        pos_start = today
        row.warnings.append(_("TMT jabatan kosong; dipakai tanggal hari ini."))
    if d["rank_id"] and not rank_start:
        row.errors.append(_("TMT golongan wajib diisi bila golongan diisi."))
    if birth and cpns and cpns < birth:
        row.errors.append(_("TMT CPNS sebelum tanggal lahir."))
    d.update(birth_date=birth, position_start_date=pos_start, rank_start_date=rank_start, cpns_date=cpns, pns_date=pns)


def _nip_fields(row: _Row, d: dict[str, Any], nip: str) -> None:
    if not nip:
        return
    check = check_nip(
        nip,
        is_pppk=d["employment_type"] == EmploymentType.PPPK,
        birth_date=d["birth_date"],
        cpns_date=d["cpns_date"],
        gender=d["gender"] or None,
    )
    row.errors.extend(check.errors)
    row.warnings.extend(check.warnings)


def _match_existing(row: _Row, d: dict[str, Any], old: dict[str, Any] | None, agency_id: int) -> tuple[str, list[str]]:
    """Create, update (which fields) or unchanged against the stored employee with this NIP."""
    if old is None:
        return RowAction.CREATE, []
    if old["agency_id"] != agency_id:
        row.errors.append(_("NIP %(nip)s sudah terdaftar di instansi lain.") % {"nip": d["nip"]})
        return RowAction.CREATE, []
    changes = [f for f in EMP_COMPARE if (old[f] if old[f] is not None else "") != (d[f] if d[f] is not None else "")]
    # An empty cell never clears a value the database already has.
    changes = [f for f in changes if d[f] not in (None, "")]
    d["id"] = old["id"]
    return (RowAction.UPDATE if changes else RowAction.UNCHANGED), changes


def _validate_employee(row: _Row, nip: str, lookups: _EmployeeLookups, today: dt.date) -> dict[str, Any]:
    d = row.data
    d["nip"] = nip
    birth = _person_fields(row, d)
    pos_start = _post_fields(row, d, lookups)
    scheme = _rank_fields(row, d, lookups)
    _date_fields(row, d, birth, pos_start, today)
    _nip_fields(row, d, nip)
    old = lookups.existing.get(nip)
    action, changes = _match_existing(row, d, old, lookups.agency_id)
    moving_in = d["position_id"] and not (old is not None and old.get("position_id") == d["position_id"])
    if moving_in and not row.errors:
        _check_placement(
            row,
            lookups.posts[d["position_id"]],
            lookups.holders,
            d["position_id"],
            lookups.rank_codes.get(d["rank_id"]),
            scheme,
        )
    row.data = {k: _iso(v) for k, v in d.items()}
    return row.result(nip, action, changes)


def validate_employees(agency: Agency, raw_rows: list[dict[str, str]], today: dt.date) -> list[dict[str, Any]]:
    rows = [_Row(i, raw, today) for i, raw in enumerate(raw_rows, start=2)]
    nips = [_row_nip(row) for row in rows]
    _mark_duplicates(rows, nips, "NIP")
    lookups = _employee_lookups(agency, nips)
    return [_validate_employee(row, nip, lookups, today) for row, nip in zip(rows, nips, strict=True)]


def _check_placement(
    row: _Row, post: tuple[str, str, str, int], holders: dict[int, int], position_id: int, rank: str | None, scheme: str
) -> None:
    """Flag a placement into a full formasi or a post type above the golongan (people.rules.placement_issues);
    rows earlier in the file count as holders too, so two rows for a one-seat post are both seen."""
    code, title, kind, headcount = post
    now = holders.get(position_id, 0)
    for issue in rules.placement_issues(
        post_kind=kind, headcount=headcount, holders=now, rank_code=rank or "", rank_scheme=scheme
    ):
        if issue.code == "formasi_full":
            row.decisions.append(
                _(
                    "Jabatan %(title)s (%(code)s) sudah terisi %(n)s dari formasi %(f)s: perlu keputusan "
                    '"tempatkan walau formasi penuh".'
                )
                % {"title": title, "code": code, "n": issue.holders, "f": issue.headcount}
            )
        else:
            row.decisions.append(
                _(
                    "Golongan %(rank)s di bawah golongan terendah untuk jabatan %(kind)s (%(min)s): perlu keputusan "
                    '"tempatkan walau golongan tidak sesuai".'
                )
                % {"rank": rank, "kind": PositionType(kind).label, "min": issue.min_rank}
            )
    holders[position_id] = now + 1


def validate_units(agency: Agency, raw_rows: list[dict[str, str]], today: dt.date) -> list[dict[str, Any]]:
    existing = {
        u["code"]: u
        for u in OrgUnit.objects.filter(agency=agency).values(
            "id", "code", "name", "kind", "parent__code", "head_position__code"
        )
    }
    positions = dict(Position.objects.filter(agency=agency).values_list("code", "id"))
    rows = [_Row(i, raw, today) for i, raw in enumerate(raw_rows, start=2)]
    codes = [r.text("kode", required=True, max_len=40) for r in rows]
    _mark_duplicates(rows, codes, _("Kode unit"))
    known = set(existing) | set(codes)
    parent_of = {}
    for row, code in zip(rows, codes, strict=True):
        parent_of[code] = (row.raw.get("kode_induk") or "").strip()
    out = []
    for row, code in zip(rows, codes, strict=True):
        d = row.data
        d["code"] = code
        d["name"] = row.text("nama", required=True)
        d["kind"] = row.choice("jenis", UnitKind, UnitKind.OTHER)
        parent = row.text("kode_induk", max_len=40)
        if parent and parent not in known:
            row.errors.append(_("Kode unit induk %(code)s tidak dikenal.") % {"code": parent})
        if parent and parent == code:
            row.errors.append(_("Unit tidak boleh menjadi induk dirinya sendiri."))
        # A loop through the file's own parent links (A → B → A) is refused.
        seen, cur = {code}, parent
        while cur and cur in parent_of:
            if cur in seen:
                row.errors.append(_("Hubungan induk membentuk lingkaran."))
                break
            seen.add(cur)
            cur = parent_of[cur]
        d["parent_code"] = parent
        head_code = row.text("kode_jabatan_kepala", max_len=40)
        if head_code and head_code not in positions:
            row.errors.append(_("Kode jabatan kepala %(code)s tidak dikenal.") % {"code": head_code})
        d["head_position_code"] = head_code
        action, changes = RowAction.CREATE, []
        old = existing.get(code)
        if old is not None:
            pairs = {
                "name": (old["name"], d["name"]),
                "kind": (old["kind"], d["kind"]),
                "parent_code": (old["parent__code"] or "", parent),
                "head_position_code": (old["head_position__code"] or "", head_code),
            }
            changes = [k for k, (a, b) in pairs.items() if a != b and (b or k == "parent_code")]
            action = RowAction.UPDATE if changes else RowAction.UNCHANGED
        out.append(row.result(code, action, changes))
    return out


def validate_positions(agency: Agency, raw_rows: list[dict[str, str]], today: dt.date) -> list[dict[str, Any]]:
    units = dict(OrgUnit.objects.filter(agency=agency).values_list("code", "id"))
    existing = {
        p["code"]: p
        for p in Position.objects.filter(agency=agency).values(
            "id",
            "code",
            "title",
            "kind",
            "functional_level",
            "job_class",
            "unit_id",
            "reports_to__code",
            "headcount",
            "is_key",
        )
    }
    rows = [_Row(i, raw, today) for i, raw in enumerate(raw_rows, start=2)]
    codes = [r.text("kode", required=True, max_len=40) for r in rows]
    _mark_duplicates(rows, codes, _("Kode jabatan"))
    known = set(existing) | set(codes)
    out = []
    for row, code in zip(rows, codes, strict=True):
        d = row.data
        d["code"] = code
        d["title"] = row.text("nama_jabatan", required=True)
        d["kind"] = row.choice("jenis", PositionType, required=True)
        d["functional_level"] = row.choice("jenjang", FunctionalLevel, "")
        if d["kind"] in ("fungsional_keahlian", "fungsional_keterampilan") and not d["functional_level"]:
            row.warnings.append(_("Jabatan fungsional tanpa jenjang."))
        d["job_class"] = row.integer("kelas")
        if d["job_class"] is not None and not 1 <= d["job_class"] <= 17:
            row.errors.append(_("Kelas jabatan harus 1–17."))
        unit_code = row.text("kode_unit", required=True)
        d["unit_id"] = units.get(unit_code)
        if unit_code and d["unit_id"] is None:
            row.errors.append(_("Kode unit %(code)s tidak dikenal di instansi ini.") % {"code": unit_code})
        boss = row.text("kode_atasan", max_len=40)
        if boss and boss not in known:
            row.errors.append(_("Kode jabatan atasan %(code)s tidak dikenal.") % {"code": boss})
        if boss and boss == code:
            row.errors.append(_("Jabatan tidak boleh menjadi atasan dirinya sendiri."))
        d["reports_to_code"] = boss
        d["headcount"] = row.integer("formasi", 1)
        if d["headcount"] is not None and d["headcount"] < 1:
            row.errors.append(_("Formasi minimal 1."))
        d["is_key"] = row.text("kunci").lower() in YES
        action, changes = RowAction.CREATE, []
        old = existing.get(code)
        if old is not None:
            pairs = {
                "title": (old["title"], d["title"]),
                "kind": (old["kind"], d["kind"]),
                "functional_level": (old["functional_level"], d["functional_level"]),
                "job_class": (old["job_class"], d["job_class"]),
                "unit_id": (old["unit_id"], d["unit_id"]),
                "reports_to_code": (old["reports_to__code"] or "", boss),
                "headcount": (old["headcount"], d["headcount"]),
                "is_key": (old["is_key"], d["is_key"]),
            }
            changes = [k for k, (a, b) in pairs.items() if a != b]
            action = RowAction.UPDATE if changes else RowAction.UNCHANGED
        out.append(row.result(code, action, changes))
    return out


VALIDATORS: dict[str, Any] = {
    ImportKind.EMPLOYEES: validate_employees,
    ImportKind.UNITS: validate_units,
    ImportKind.POSITIONS: validate_positions,
}


def summarise(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(RowAction.values, 0)
    counts["warnings"] = 0
    for r in rows:
        counts[r["action"]] += 1
        counts["warnings"] += 1 if r["warnings"] else 0
        counts["decisions"] = counts.get("decisions", 0) + (1 if r.get("decisions") else 0)
    return counts
