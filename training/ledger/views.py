"""My learning (JP this year), the 20 JP compliance report and learning certificates."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from asn_portal import summaries
from asn_portal.dbrouter import replica_reads
from asn_portal.pagination import uncounted_page
from asn_portal.uploads import serve_private_file
from people.selectors import current_employee
from training.enrolment import selectors as enrolment_selectors
from training.ledger import compliance
from training.ledger import selectors as ledger_selectors
from training.questionnaires import selectors as questionnaires_selectors
from training.viewutils import admin_agency_id, crumbs, require_admin, xlsx, year_param


def my_learning(request: HttpRequest) -> HttpResponse:
    emp = current_employee(request.user)
    if emp is None:
        return redirect("training:catalogue")
    year = year_param(request)
    summary = ledger_selectors.jp_summary(employee=emp, year=year)
    records = uncounted_page(ledger_selectors.learning_records_of(emp), request.GET.get("page"), 20)
    enrollments = enrolment_selectors.open_enrollments_of(emp)
    return render(
        request,
        "training/my_learning.html",
        {
            "summary": summary,
            "page_obj": records,
            "enrollments": enrollments,
            "due_count": questionnaires_selectors.due_questionnaires(employee_id=emp.pk)[:10].count(),
            "breadcrumbs": crumbs((_("Riwayat pembelajaran saya"), None)),
        },
    )


@replica_reads
def report_compliance(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    agency_id = admin_agency_id(request)
    year = year_param(request)
    report = ledger_selectors.compliance_report(agency_id=agency_id, year=year)
    if request.GET.get("format") == "xlsx":
        return xlsx(
            f"kepatuhan-jp-{year}.xlsx",
            [
                _("Unit kerja"),
                _("Pegawai"),
                _("Memenuhi 20 JP"),
                _("Di bawah 20 JP"),
                _("% memenuhi"),
                _("Rata-rata JP"),
            ],
            [
                [r["name"], r["headcount"], r["met"], r["below"], round(r["percent"], 1), round(r["avg_jp"], 2)]
                for r in report["rows"]
            ]
            + [
                [
                    _("Total instansi"),
                    report["total"]["headcount"],
                    report["total"]["met"],
                    report["total"]["below"],
                    round(report["total"]["percent"], 1),
                    round(report["total"]["avg_jp"], 2),
                ]
            ],
        )
    chart = {
        "type": "bar",
        "data": {
            "labels": [r["name"] for r in report["rows"]],
            "datasets": [
                {"label": str(_("% memenuhi 20 JP")), "data": [round(float(r["percent"]), 1) for r in report["rows"]]}
            ],
        },
        "options": {"indexAxis": "y", "scales": {"x": {"min": 0, "max": 100}}},
    }
    return render(
        request,
        "training/report_compliance.html",
        {
            "report": report,
            "year": year,
            "chart": chart,
            "computed_at": summaries.computed_at(compliance.KIND, agency_id),
            "breadcrumbs": crumbs((_("Laporan kepatuhan 20 JP"), None)),
        },
    )


def learning_certificate(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Download the certificate of a learning record the user may see (404 otherwise)."""
    record = ledger_selectors.learning_record_get_visible(user=request.user, pk=pk)
    return serve_private_file(request, record.certificate_file, record.certificate_name)
