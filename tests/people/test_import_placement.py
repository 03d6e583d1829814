"""Import placement into a full formasi or a post type above the golongan needs an explicit decision; the
template's sample row uses a pelaksana post with room."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import TestCase

from asn_portal.errors import ApplicationError
from asn_portal.models import AuditEntry
from people import imports, rules
from people.models import Employee, ImportBatch, Position
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


def _rows_into_one_post(org: Any, n: int, headcount: int) -> ImportBatch:
    PositionFactory(unit=org.dinas, code="P00077", title="Pengadministrasi Umum", kind="pelaksana", headcount=headcount)
    return preview(org, to_csv([emp_row(i, org.dinas.code, "P00077") for i in range(1, n + 1)]))


def test_a_refused_confirm_names_the_first_twenty_lines_and_counts_the_rest(org: Any) -> None:
    batch = _rows_into_one_post(org, 26, headcount=1)  # line 2 fills the seat; lines 3-27 need a decision
    with pytest.raises(ApplicationError) as exc:
        imports.batch_confirm(batch=batch, only_valid=False, actor=org.admin.user)
    message = exc.value.message
    assert message.startswith("25 baris menempatkan pegawai")
    assert "(baris 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22 dan 5 baris lain)" in message
    assert exc.value.extra["lines"] == list(range(3, 28))  # the API still gets every line


def test_formasi_filled_after_the_preview_refuses_the_write_with_a_capped_message(org: Any) -> None:
    batch = _rows_into_one_post(org, 25, headcount=25)  # room for every row: the preview asks for nothing
    assert batch.counts["decisions"] == 0
    imports.batch_confirm(batch=batch, only_valid=False, actor=org.admin.user)
    Position.objects.filter(code="P00077").update(headcount=3)  # the formasi shrinks before the worker writes
    with pytest.raises(ApplicationError) as exc:
        imports.batch_apply(batch.pk)
    assert "baris 5, 6, 7" in exc.value.message and "22, 23, 24 dan 2 baris lain" in exc.value.message
    assert "25," not in exc.value.message
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.error == exc.value.message
    assert not Employee.objects.filter(name__startswith="Pegawai Impor").exists()


def test_preview_and_write_agree_when_earlier_rows_of_the_file_fill_the_formasi(org: Any) -> None:
    """The confirm re-check counts the file's earlier rows exactly as the preview did: the rows the preview
    flagged (and the admin confirmed) are the rows the write asks about, no more."""
    batch = _rows_into_one_post(org, 5, headcount=2)
    assert [r["line"] for r in batch.rows if r["decisions"]] == [4, 5, 6]
    imports.batch_confirm(batch=batch, only_valid=False, actor=org.admin.user, confirmed_lines=[4, 5, 6])
    done = imports.batch_apply(batch.pk)
    assert done is not None and done.status == "done"
    assert Employee.objects.filter(position__code="P00077").count() == 5


def test_the_bench_import_job_confirms_its_placements_like_the_admin(org: Any) -> None:
    """bench.jobs.import_10k at 30 rows: every post of the file is full, so the preview asks for decisions and
    the job confirms them (it used to queue the batch without them and the write refused every row)."""
    from bench.jobs import import_10k

    out = import_10k(n=30, agency_code=org.agency.code)
    assert out["decisions"] > 0
    assert out["counts"]["create"] == 30
    assert out["reimport_unchanged"] == 30
    assert Employee.objects.filter(name__startswith="Pegawai Bench").count() == 30
