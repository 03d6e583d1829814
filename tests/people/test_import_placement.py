"""Import placement into a full formasi or a post type above the golongan needs an explicit decision; the
template's sample row uses a pelaksana post with room."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import TestCase

from asn_portal.models import AuditEntry
from people import imports, rules
from people.models import Employee, ImportBatch
from tests.people.factories import EmployeeFactory, PositionFactory

from .test_imports import emp_row, preview, to_csv

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "headcount", "holders", "rank", "scheme", "codes"),
    [
        ("pelaksana", 4, 1, "III/a", "pns", []),  # room left, no golongan floor for pelaksana
        ("pelaksana", 4, 4, "III/a", "pns", ["formasi_full"]),
        ("jpt_pratama", 1, 1, "III/a", "pns", ["formasi_full", "rank_below"]),  # the reported case
        ("jpt_pratama", 1, 0, "IV/b", "pns", []),  # II.b starts at IV/b (§4.6)
        ("jpt_pratama", 1, 0, "IV/a", "pns", ["rank_below"]),
        ("administrator", 1, 0, "III/c", "pns", ["rank_below"]),  # III.b starts at III/d
        ("pengawas", 2, 0, "III/b", "pns", []),  # IV.b starts at III/b
        ("pengawas", 2, 0, "IX", "pppk", []),  # PPPK grades are not golongan/ruang
        ("fungsional_keahlian", 3, 2, "II/a", "pns", []),
    ],
)
def test_placement_issue_cases(kind: str, headcount: int, holders: int, rank: str, scheme: str, codes: list) -> None:
    got = rules.placement_issues(
        post_kind=kind, headcount=headcount, holders=holders, rank_code=rank, rank_scheme=scheme
    )
    assert [i.code for i in got] == codes


def _two_rows_into_an_occupied_jpt_post(org: Any) -> ImportBatch:
    post = PositionFactory(
        unit=org.dinas, code="P00012", title="Kepala Badan Riset", kind="jpt_pratama", headcount=1, job_class=14
    )
    EmployeeFactory(unit=org.dinas, position=post, name="Kepala Badan Lama")
    rows = [emp_row(i, org.dinas.code, "P00012", golongan="III/a") for i in (1, 2)]
    return preview(org, to_csv(rows))


def test_preview_flags_both_rows_and_confirm_without_a_decision_is_refused(client: Any, org: Any) -> None:
    batch = _two_rows_into_an_occupied_jpt_post(org)
    flagged = [r for r in batch.rows if r["decisions"]]
    assert [r["line"] for r in flagged] == [2, 3]
    assert "sudah terisi 1 dari formasi 1" in flagged[0]["decisions"][0]
    assert "Golongan III/a di bawah golongan terendah untuk jabatan JPT Pratama (IV/b)" in flagged[0]["decisions"][1]
    assert "sudah terisi 2 dari formasi 1" in flagged[1]["decisions"][0]  # the first row counts as a holder
    client.force_login(org.admin.user)
    html = client.get(f"/pegawai/impor/{batch.pk}/").content.decode()
    assert 'data-testid="placement-decisions"' in html and 'name="confirm_line" value="2"' in html
    r = client.post(f"/pegawai/impor/{batch.pk}/konfirmasi/", {"confirm_line": ["2"]}, follow=True)
    assert "baris 3" in r.content.decode()
    batch.refresh_from_db()
    assert batch.status == "preview"
    assert not Employee.objects.filter(name__startswith="Pegawai Impor").exists()


def test_confirmed_placements_are_written_and_the_decision_is_audited(client: Any, org: Any) -> None:
    batch = _two_rows_into_an_occupied_jpt_post(org)
    client.force_login(org.admin.user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/pegawai/impor/{batch.pk}/konfirmasi/", {"confirm_line": ["2", "3"]})
    batch.refresh_from_db()
    assert batch.status == "done"
    assert Employee.objects.filter(name__startswith="Pegawai Impor", position__code="P00012").count() == 2
    entry = AuditEntry.objects.get(action="people.import.employees", object_id=str(batch.pk))
    assert [p["line"] for p in entry.after["placements_confirmed"]] == [2, 3]
    assert entry.actor == org.admin.user


def test_template_sample_row_uses_a_pelaksana_post_with_room(client: Any, org: Any) -> None:
    PositionFactory(unit=org.dinas, code="P00012", title="Kepala Badan Riset", kind="jpt_pratama", headcount=1)
    full = PositionFactory(unit=org.dinas, code="P00001", title="Pengadministrasi Penuh", headcount=1)
    EmployeeFactory(unit=org.dinas, position=full)
    free = PositionFactory(unit=org.bidang, code="P00031", title="Pengadministrasi Umum", headcount=4)
    client.force_login(org.admin.user)
    body = client.get("/pegawai/impor/templat/employees.csv").content
    sample = imports.read_table(io.BytesIO(body), "t.csv")[0]
    assert (sample["kode_jabatan"], sample["kode_unit"]) == (free.code, org.bidang.code)
    # following the example as it is places nobody into a structural or full post
    batch = preview(org, body)
    assert not any(r["decisions"] for r in batch.rows)
