"""Pure rules of the people domain (no ORM, no I/O).

NIP layout, Peraturan Kepala BKN No. 22 Tahun 2007 (regulations.md §6):
digits 1–8 birth date YYYYMMDD, 9–14 TMT CPNS YYYYMM, 15 gender (1 = laki-laki, 2 = perempuan),
16–18 sequence number. Layout errors are hard errors; disagreement with the employee's own
birth date, TMT CPNS or gender is only a warning (legacy data disagree and must still import).
NI PPPK: positions 13–14 are a code rather than a month (LOW confidence), so the month check is relaxed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

NIP_RE = re.compile(r"^\d{18}$")


@dataclass(frozen=True)
class NipCheck:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise_nip(raw: str) -> str:
    """Strip the spaces and dots people type between the 8-6-1-3 groups."""
    return re.sub(r"[\s.\-]", "", str(raw or ""))


def _date(yyyymmdd: str) -> dt.date | None:
    try:
        return dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None


def check_nip(
    nip: str,
    *,
    is_pppk: bool = False,
    birth_date: dt.date | None = None,
    cpns_date: dt.date | None = None,
    gender: str | None = None,
) -> NipCheck:
    """Validate a NIP's layout (errors) and its agreement with the person's data (warnings).

    `gender` uses the Employee codes: "L" (laki-laki) or "P" (perempuan)."""
    nip = normalise_nip(nip)
    if not NIP_RE.match(nip):
        return NipCheck(errors=[f"NIP harus 18 digit angka (diterima {len(nip)} karakter)."])
    born = _date(nip[:8])
    errors = _nip_layout_errors(nip, born, is_pppk=is_pppk)
    if errors or born is None:
        return NipCheck(errors=errors)
    return NipCheck(
        warnings=_nip_agreement_warnings(
            nip, born, is_pppk=is_pppk, birth_date=birth_date, cpns_date=cpns_date, gender=gender
        )
    )


def _nip_layout_errors(nip: str, born: dt.date | None, *, is_pppk: bool) -> list[str]:
    """What is wrong with an 18-digit NIP's own parts: birth date, TMT CPNS month, gender digit."""
    errors: list[str] = []
    if born is None:
        errors.append(f"NIP digit 1–8 ({nip[:8]}) bukan tanggal lahir yang valid (format TTTTBBHH).")
    month = int(nip[12:14])
    if not is_pppk and not 1 <= month <= 12:
        errors.append(f"NIP digit 9–14 ({nip[8:14]}) bukan bulan TMT CPNS yang valid (format TTTTBB).")
    if nip[14] not in "12":
        errors.append(f"NIP digit 15 ({nip[14]}) harus 1 (laki-laki) atau 2 (perempuan).")
    return errors


def _nip_agreement_warnings(
    nip: str,
    born: dt.date,
    *,
    is_pppk: bool,
    birth_date: dt.date | None,
    cpns_date: dt.date | None,
    gender: str | None,
) -> list[str]:
    """Where a valid NIP disagrees with the person's data (birth date, TMT CPNS, gender)."""
    warnings: list[str] = []
    year, month = int(nip[8:12]), int(nip[12:14])
    if year < born.year + 15:
        warnings.append(f"Tahun pengangkatan pada NIP ({year}) terlalu dekat dengan tahun lahir ({born.year}).")
    if birth_date and birth_date != born:
        warnings.append(
            f"Tanggal lahir pada NIP ({born:%d-%m-%Y}) berbeda dengan tanggal lahir pegawai ({birth_date:%d-%m-%Y})."
        )
    if cpns_date and not is_pppk and (cpns_date.year, cpns_date.month) != (year, month):
        warnings.append(
            f"TMT CPNS pada NIP ({month:02d}-{year}) berbeda dengan TMT CPNS pegawai "
            f"({cpns_date.month:02d}-{cpns_date.year})."
        )
    if gender and nip[14] != ("1" if gender == "L" else "2"):
        warnings.append("Kode jenis kelamin pada NIP (digit 15) berbeda dengan jenis kelamin pegawai.")
    return warnings


def build_nip(birth_date: dt.date, cpns_year: int, cpns_month: int, gender: str, sequence: int) -> str:
    """Compose a NIP from its parts (used by the demo seeder and tests)."""
    return f"{birth_date:%Y%m%d}{cpns_year:04d}{cpns_month:02d}{'1' if gender == 'L' else '2'}{sequence:03d}"


# --- Placement into a post (import, appointment) --------------------------------------------------------

# Lowest golongan that fits each structural post type: the lower bound of the eselon the type replaced
# (PP 13/2002 as summarised in regulations.md §4.6: JPT Utama ≈ I.a IV/d, JPT Madya ≈ I.b IV/c,
# JPT Pratama ≈ II.b IV/b, Administrator ≈ III.b III/d, Pengawas ≈ IV.b III/b). Pelaksana and functional
# posts have no golongan floor here (a JF's range follows its jenjang).
MIN_RANK_FOR_POST: dict[str, str] = {
    "jpt_utama": "IV/d",
    "jpt_madya": "IV/c",
    "jpt_pratama": "IV/b",
    "administrator": "III/d",
    "pengawas": "III/b",
}


def _pns_order(code: str) -> int | None:
    from .ranks import PNS

    codes = [c.upper() for c, _name in PNS]
    return codes.index(code.upper()) + 1 if code.upper() in codes else None


@dataclass(frozen=True)
class PlacementIssue:
    """Why a placement needs an explicit decision: `code` is "formasi_full" or "rank_below"."""

    code: str
    holders: int = 0
    headcount: int = 0
    min_rank: str = ""


def placement_issues(
    *, post_kind: str, headcount: int, holders: int, rank_code: str = "", rank_scheme: str = "pns"
) -> list[PlacementIssue]:
    """What is wrong with placing one more person into a post: the formasi (headcount) is already taken by
    `holders` people, or a PNS's golongan is below the floor of the post type. Neither is forbidden outright
    (legacy data, acting arrangements), so each needs an explicit, recorded decision (regulations.md header:
    "warn and record who overrode it")."""
    issues: list[PlacementIssue] = []
    if holders >= max(1, headcount):
        issues.append(PlacementIssue("formasi_full", holders=holders, headcount=headcount))
    floor = MIN_RANK_FOR_POST.get(post_kind)
    if floor and rank_scheme == "pns" and rank_code:
        have, need = _pns_order(rank_code), _pns_order(floor)
        if have is not None and need is not None and have < need:
            issues.append(PlacementIssue("rank_below", min_rank=floor))
    return issues
