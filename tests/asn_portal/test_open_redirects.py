"""A posted `next` never sends the user off-site: every view redirects through asn_portal.http.safe_next."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from asn_portal.http import safe_next_url
from performance.choices import PlanStatus
from tests.performance import factories as pf
from tests.training.factories import OfferingFactory, enrolled

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "http:evil.example",
    "javascript:alert(1)",
]


def client_for(emp: Any) -> Client:
    c = Client()
    c.force_login(emp.user)
    return c


@pytest.mark.parametrize("target", OFF_SITE)
def test_off_site_next_falls_back(target: str) -> None:
    request = RequestFactory().post("/", {"next": target})
    assert safe_next_url(request, "/pelatihan/") == "/pelatihan/"


def test_on_site_next_is_kept_and_https_pages_refuse_plain_http() -> None:
    request = RequestFactory().post("/", {"next": "/kinerja/?tahun=2025"})
    assert safe_next_url(request, "/") == "/kinerja/?tahun=2025"
    secure = RequestFactory().post("/", {"next": "http://testserver/kinerja/"}, secure=True)
    assert safe_next_url(secure, "/") == "/"


@pytest.mark.parametrize("target", OFF_SITE[:2])
def test_training_completion_with_bad_data_ignores_off_site_next(org: Any, target: str) -> None:
    offering = OfferingFactory(course__agency=org.agency)
    e = enrolled(offering, org.staff)
    r = client_for(org.admin).post(
        reverse("training:enrollment-action", args=[e.pk, "complete"]), {"score": "not a number", "next": target}
    )
    assert r.status_code == 302
    assert r["Location"] == reverse("training:offering-detail", args=[offering.pk])


def test_training_approval_ignores_off_site_next(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency)
    e = enrolled(offering, org.staff)
    r = client_for(org.admin).post(
        reverse("training:enrollment-action", args=[e.pk, "cancel"]), {"reason": "x", "next": "//evil.example/"}
    )
    assert r["Location"] == reverse("training:offering-detail", args=[offering.pk])


@pytest.mark.parametrize("target", OFF_SITE[:2])
def test_skp_transition_ignores_off_site_next(org: Any, target: str) -> None:
    pf.periods(org.agency)
    plan = pf.plan(org.staff, status=PlanStatus.SUBMITTED)
    r = client_for(org.head).post(reverse("performance:plan-transition", args=[plan.pk, "approve"]), {"next": target})
    assert r.status_code == 302
    assert r["Location"] == reverse("performance:plan-detail", args=[plan.pk])


def test_skp_transition_keeps_an_on_site_next(org: Any) -> None:
    pf.periods(org.agency)
    plan = pf.plan(org.staff, status=PlanStatus.SUBMITTED)
    r = client_for(org.head).post(
        reverse("performance:plan-transition", args=[plan.pk, "approve"]), {"next": "/kinerja/tim/"}
    )
    assert r["Location"] == "/kinerja/tim/"
