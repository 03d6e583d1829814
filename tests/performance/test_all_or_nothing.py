"""The realisation form stores every row or none, and refuses negative numbers and non-URLs per row."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from performance.choices import PlanStatus
from performance.models import Indicator, Progress

from . import factories as f

pytestmark = pytest.mark.django_db


def _staff(org: Any) -> Client:
    c = Client()
    c.force_login(org.staff.user)
    return c


def test_one_bad_row_stores_nothing_and_each_bad_row_shows_its_error(org: Any) -> None:
    period = f.periods(org.agency)[0]
    plan = f.plan(org.staff, status=PlanStatus.APPROVED, results=3)
    good, negative, bad_link = Indicator.objects.filter(result__plan=plan).order_by("pk")
    response = _staff(org).post(
        f"/kinerja/skp/{plan.pk}/realisasi/{period.pk}/",
        {
            f"value_{good.pk}": "3",
            f"link_{good.pk}": "https://drive.example.id/laporan",
            f"value_{negative.pk}": "−4".replace("−", "-"),
            f"link_{negative.pk}": "https://drive.example.id/b",
            f"value_{bad_link.pk}": "2",
            f"link_{bad_link.pk}": "bukan-url",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tidak ada realisasi yang disimpan; perbaiki isian bertanda merah." in page
    assert "Realisasi tidak boleh negatif." in page
    assert "Tautan bukti dukung harus alamat web lengkap (http:// atau https://)." in page
    assert 'value="bukan-url"' in page  # the user's input is shown back for correcting
    assert not Progress.objects.exists()


def test_all_good_rows_are_stored_together(org: Any) -> None:
    period = f.periods(org.agency)[0]
    plan = f.plan(org.staff, status=PlanStatus.APPROVED, results=2)
    a, b = Indicator.objects.filter(result__plan=plan).order_by("pk")
    response = _staff(org).post(
        f"/kinerja/skp/{plan.pk}/realisasi/{period.pk}/",
        {
            f"value_{a.pk}": "3",
            f"link_{a.pk}": "https://a.id/x",
            f"value_{b.pk}": "0",
            f"link_{b.pk}": "https://a.id/y",
        },
    )
    assert response.status_code == 302
    assert Progress.objects.count() == 2


def test_the_form_is_not_left_to_the_browser_to_block(org: Any) -> None:
    period = f.periods(org.agency)[0]
    plan = f.plan(org.staff, status=PlanStatus.APPROVED)
    page = _staff(org).get(f"/kinerja/skp/{plan.pk}/realisasi/{period.pk}/").content.decode()
    assert 'enctype="multipart/form-data" novalidate' in page


@pytest.mark.parametrize(
    ("value", "link", "message"),
    [
        ("-4", "https://a.id/x", "Realisasi tidak boleh negatif."),
        ("x" * 121, "https://a.id/x", "Maksimal 120 karakter."),
    ],
)
def test_api_refuses_negative_and_too_long_realisation(org: Any, value: str, link: str, message: str) -> None:
    period = f.periods(org.agency)[0]
    plan = f.plan(org.staff, status=PlanStatus.APPROVED)
    ind = Indicator.objects.get(result__plan=plan)
    api = APIClient()
    api.force_authenticate(org.staff.user)
    r = api.post(
        f"/api/v1/performance-plans/{plan.pk}/progress/",
        {"indicator": ind.pk, "period": period.pk, "value": value, "evidence_link": link},
        format="json",
    )
    assert r.status_code == 400
    assert message in str(r.json())
    assert not Progress.objects.exists()


def test_rhk_rows_with_a_negative_target_store_nothing_and_name_the_row(org: Any) -> None:
    from django.urls import reverse

    from performance.models import PlannedResult

    plan = f.plan(org.staff, results=0)
    data = {
        "approach": "quantitative",
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-kind": "main",
        "form-0-text": "Laporan",
        "form-0-quantity_text": "Jumlah laporan",
        "form-0-quantity_target": "12",
        "form-1-kind": "main",
        "form-1-text": "Layanan",
        "form-1-quantity_text": "Jumlah layanan",
        "form-1-quantity_target": "-5",
    }
    r = _staff(org).post(reverse("performance:plan-edit", args=[plan.pk]), data)
    assert r.status_code == 200
    assert "Target &quot;-5&quot; pada IKI &quot;Jumlah layanan&quot; tidak boleh negatif." in r.content.decode()
    assert not PlannedResult.objects.filter(plan=plan).exists()
