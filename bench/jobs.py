"""Bench jobs of the people app (run in-process by bench/run.py against the bench database)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any


def import_rows(agency_code: str = "medan", n: int = 10000, cpns_month: int = 6) -> bytes:
    """A CSV of `n` valid new employees for the agency (NIPs that the demo never uses: TMT CPNS month 6)."""
    from people.imports import EMPLOYEE_COLUMNS
    from people.models import Agency, Position
    from people.rules import build_nip

    agency = Agency.objects.get(code=agency_code)
    positions = list(Position.objects.filter(agency=agency).values_list("code", "unit__code")[:500])
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([c.name for c in EMPLOYEE_COLUMNS])
    for i in range(n):
        birth = dt.date(1980, 1, 1) + dt.timedelta(days=i // 900)
        gender = "L" if i % 2 else "P"
        cpns_year = 2006 + (i // 900) % 10
        pos_code, unit_code = positions[i % len(positions)]
        row = {
            "nip": build_nip(birth, cpns_year, cpns_month, gender, i % 900),
            "nama": f"Pegawai Bench {i}",
            "jenis_kelamin": gender,
            "tanggal_lahir": birth.isoformat(),
            "pendidikan": "s1",
            "kode_unit": unit_code,
            "kode_jabatan": pos_code,
            "tmt_jabatan": "2021-01-04",
            "golongan": "III/a",
            "tmt_golongan": "2020-04-01",
            "tmt_cpns": f"{cpns_year}-{cpns_month:02d}-01",
            "jenis_kepegawaian": "pns",
        }
        w.writerow([row.get(c.name, "") for c in EMPLOYEE_COLUMNS])
    return buf.getvalue().encode()


def import_10k(n: int = 10000, agency_code: str = "medan") -> dict[str, Any]:
    """Preview + confirm an import of `n` new employees the way the admin does it, then re-import the same
    file (idempotent). The demo's posts are filled past their formasi, so every placement in the file needs the
    admin's "tempatkan walau formasi penuh" decision: the job confirms those lines through `batch_confirm`
    (queueing the batch directly, as it once did, skipped the decisions and the confirm refused every row)."""
    import time

    from people.imports import batch_apply, batch_confirm, batch_create
    from people.models import Agency, ImportBatch

    agency = Agency.objects.get(code=agency_code)
    data = import_rows(agency_code, n)
    timings: dict[str, Any] = {}
    t0 = time.perf_counter()
    batch = batch_create(agency=agency, kind="employees", stream=io.BytesIO(data), filename="bench.csv", actor=None)
    timings["preview_s"] = round(time.perf_counter() - t0, 2)
    timings["decisions"] = batch.counts.get("decisions", 0)
    t1 = time.perf_counter()
    lines = [r["line"] for r in batch.rows if r.get("decisions")]
    batch = batch_confirm(batch=batch, only_valid=False, actor=None, confirmed_lines=lines)
    done = batch_apply(batch.pk) or ImportBatch.objects.get(pk=batch.pk)  # None: an eager worker wrote it
    timings["apply_s"] = round(time.perf_counter() - t1, 2)
    assert done.status == "done", done.error
    timings["counts"] = done.counts
    t2 = time.perf_counter()
    again = batch_create(agency=agency, kind="employees", stream=io.BytesIO(data), filename="bench.csv", actor=None)
    timings["reimport_preview_s"] = round(time.perf_counter() - t2, 2)
    timings["reimport_unchanged"] = again.counts["unchanged"]
    return timings
