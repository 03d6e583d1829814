"""SKP API: nested plans, transitions through the same services, refusals, scoping, constant queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from performance.choices import PlanStatus
from performance.models import Indicator, PerformancePlan, PredikatRecord
from tests.conftest import api_as
from tests.people.factories import EmployeeFactory

from . import factories as f

pytestmark = pytest.mark.django_db

CONTENT: dict[str, Any] = {
    "approach": "quantitative",
    "results": [
        {
            "kind": "main",
            "text": "Cakupan imunisasi meningkat",
            "indicators": [
                {"aspect": "quantity", "text": "Persentase balita diimunisasi", "target": "95", "unit": "%"}
            ],
        }
    ],
}


def test_full_flow_through_the_api(org: Any) -> None:
    periods = f.periods(org.agency)
    staff, head = api_as(org.staff), api_as(org.head)
    r = staff.post("/api/v1/performance-plans/", {"year": f.YEAR}, format="json")
    assert r.status_code == 201, r.json()
    pid = r.json()["id"]
    assert r.json()["allowed_transitions"] == ["submit"]
    assert staff.put(f"/api/v1/performance-plans/{pid}/content/", CONTENT, format="json").status_code == 200
    assert staff.post(f"/api/v1/performance-plans/{pid}/submit/").status_code == 200
    r = head.post(f"/api/v1/performance-plans/{pid}/approve/")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    ind = Indicator.objects.get(result__plan_id=pid)
    r = staff.post(
        f"/api/v1/performance-plans/{pid}/progress/",
        {"indicator": ind.pk, "period": periods[0].pk, "value": "40", "evidence_link": "https://contoh.go.id/x"},
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["results"][0]["indicators"][0]["progress"][0]["value"] == "40"
    r = staff.post(
        f"/api/v1/performance-plans/{pid}/progress/",
        {"indicator": ind.pk, "period": periods[3].pk, "value": "93", "evidence_link": "https://contoh.go.id/y"},
        format="json",
    )
    assert r.status_code == 200
    with time_machine.travel(dt.datetime(f.YEAR + 1, 1, 6, 9, tzinfo=dt.UTC)):
        r = head.post(
            f"/api/v1/performance-plans/{pid}/evaluate/",
            {"period": periods[3].pk, "result_rating": "below", "behaviour_rating": "meets"},
            format="json",
        )
        assert r.status_code == 200 and r.json()["predikat"] == "butuh_perbaikan"
        assert r.json()["status"] == "evaluated"
        assert head.post(f"/api/v1/performance-plans/{pid}/finalise/").json()["status"] == "final"
        r = staff.post(
            f"/api/v1/performance-plans/{pid}/object/", {"reason": "Bukti triwulan IV belum dinilai"}, format="json"
        )
        assert r.status_code == 200 and r.json()["status"] == "objected"
    hist = staff.get(f"/api/v1/employees/{org.staff.pk}/predikat-history/").json()
    assert hist[0]["year"] == f.YEAR and hist[0]["predikat_label"] == "Butuh Perbaikan"


def test_bad_input_is_refused_with_message_and_state_unchanged(org: Any) -> None:
    periods = f.periods(org.agency)
    plan = f.plan(org.staff, results=0)
    staff, head = api_as(org.staff), api_as(org.head)
    bad = {**CONTENT, "results": [{**CONTENT["results"][0], "indicators": []}]}
    r = staff.put(f"/api/v1/performance-plans/{plan.pk}/content/", bad, format="json")
    assert r.status_code == 400 and "indikator" in r.json()["message"]
    bad_target = {
        "approach": "quantitative",
        "results": [{**CONTENT["results"][0], "indicators": [{"aspect": "quantity", "text": "x", "target": "banyak"}]}],
    }
    r = staff.put(f"/api/v1/performance-plans/{plan.pk}/content/", bad_target, format="json")
    assert r.status_code == 400 and "angka" in r.json()["message"]
    r = head.post(
        f"/api/v1/performance-plans/{plan.pk}/evaluate/",
        {"period": periods[0].pk, "result_rating": "meets", "behaviour_rating": "meets"},
        format="json",
    )
    assert r.status_code == 400 and "belum disetujui" in r.json()["message"]
    r = staff.post(f"/api/v1/performance-plans/{plan.pk}/approve/")
    assert r.status_code == 403
    PerformancePlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    r = staff.post(f"/api/v1/performance-plans/{plan.pk}/submit/")
    assert r.status_code == 409 and r.json()["message"]
    assert PerformancePlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
    assert not plan.results.exists()


def test_progress_for_closed_period_refused_via_api(org: Any) -> None:
    periods = f.periods(org.agency)
    plan = f.plan(org.staff, status=PlanStatus.APPROVED)
    periods[0].status = "closed"
    periods[0].save()
    ind = Indicator.objects.get(result__plan=plan)
    r = api_as(org.staff).post(
        f"/api/v1/performance-plans/{plan.pk}/progress/",
        {"indicator": ind.pk, "period": periods[0].pk, "value": "3", "evidence_link": "https://a.id"},
        format="json",
    )
    assert r.status_code == 400 and "ditutup" in r.json()["message"]


@pytest.mark.parametrize("who", ["other_head", "foreign_admin", "staff2"])
def test_other_units_and_agencies_get_404(org: Any, who: str) -> None:
    plan = f.plan(org.staff)
    client = api_as(getattr(org, who))
    assert client.get(f"/api/v1/performance-plans/{plan.pk}/").status_code == 404
    assert client.post(f"/api/v1/performance-plans/{plan.pk}/approve/").status_code == 404
    assert client.get(f"/api/v1/employees/{org.staff.pk}/predikat-history/").status_code == 404


def test_plan_list_query_count_is_constant(org: Any) -> None:
    f.periods(org.agency)
    admin = api_as(org.admin)

    def count(path: str = "/api/v1/performance-plans/") -> int:
        with CaptureQueriesContext(connection) as ctx:
            r = admin.get(path)
            assert r.status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        f.plan(EmployeeFactory(unit=org.dinas, position=org.staff.position), results=2)
    count()  # warm-up: the forced user caches its scope after the first request
    small = count()
    small_expanded = count("/api/v1/performance-plans/?expand=results,feedback,evaluations")
    for _ in range(48):
        f.plan(EmployeeFactory(unit=org.dinas, position=org.staff.position), results=2)
    # The forced user's scope is cached after the warm-up, so (no count: keyset pagination): 1 page of plans
    # with the employee's name, 2 the access log's insert (Redis in production).
    assert count() == small == 2
    # ?expand= adds the prefetches it names: results, indicators, progress, feedback, evaluations.
    assert count("/api/v1/performance-plans/?expand=results,feedback,evaluations") == small_expanded == 7
    assert count("/api/v1/performance-plans/?expand=evaluations") == 3


def test_plan_list_pages_each_part_of_the_access_rule_and_gives_the_ored_rule_s_rows(org: Any) -> None:
    """The list pages each ORed part of the access rule on its own index and merges them: page after page, with
    and without filters, every user gets exactly the SKPs of the rule as written once (their people's, their
    own, those they appraise or sign above, here also across agencies), in the list order."""
    from django.db.models import Q

    from people.access import employee_q

    foreign_boss = EmployeeFactory(unit=org.foreign_staff.unit, name="Atasan Pontianak")
    for emp in (org.staff, org.staff2, org.bidang_staff, org.other_staff, org.head, org.admin):
        f.plan(emp)
        f.plan(emp, year=f.YEAR - 1)
    f.plan(org.foreign_staff, appraiser=org.head, appraiser_superior=org.admin)
    f.plan(org.foreign_staff, year=f.YEAR - 1, appraiser=foreign_boss, appraiser_superior=org.bidang_head)
    f.plan(foreign_boss, appraiser=org.staff, status=PlanStatus.SUBMITTED)
    for who in (org.admin, org.head, org.bidang_head, org.staff, org.foreign_admin, org.foreign_staff):
        me = who.pk
        rule = employee_q(who.user, "employee__") | Q(appraiser_id=me) | Q(appraiser_superior_id=me)
        for query, extra in (
            ("", Q()),
            (f"&year={f.YEAR}", Q(year=f.YEAR)),
            ("&status=submitted", Q(status="submitted")),
        ):
            expected = list(
                PerformancePlan.objects.filter(rule, extra).order_by("-year", "-pk").values_list("pk", flat=True)
            )
            client, seen = api_as(who), []
            url: str | None = f"/api/v1/performance-plans/?page_size=2{query}"
            while url:
                body = client.get(url).json()
                seen += [r["id"] for r in body["results"]]
                url = body["next"]
            assert seen == expected, (who.name, query)
    assert {p.agency_id for p in PerformancePlan.objects.filter(employee=org.foreign_staff)} == {org.other_agency.pk}


def test_plan_list_rows_are_lean_and_newest_first_and_expand_adds_nested_parts(org: Any) -> None:
    older = f.plan(org.staff2, year=f.YEAR - 1, results=1)
    first = f.plan(org.staff, results=2)
    second = f.plan(EmployeeFactory(unit=org.dinas, position=org.staff.position), results=1)
    admin = api_as(org.admin)
    rows = admin.get("/api/v1/performance-plans/").json()["results"]
    assert [r["id"] for r in rows][:3] == [second.pk, first.pk, older.pk]
    assert not {"results", "feedback", "evaluations", "allowed_transitions"} & set(rows[0])
    assert rows[1]["employee_name"] == org.staff.full_name
    expanded = admin.get("/api/v1/performance-plans/?expand=results,bogus").json()["results"]
    by_id = {r["id"]: r for r in expanded}
    assert len(by_id[first.pk]["results"]) == 2 and "feedback" not in by_id[first.pk]
    assert by_id[first.pk]["results"][0]["indicators"]
    detail = admin.get(f"/api/v1/performance-plans/{first.pk}/").json()
    assert len(detail["results"]) == 2 and "evaluations" in detail and "allowed_transitions" in detail
    # Keyset: the second page continues after the first without repeating a row.
    page = admin.get("/api/v1/performance-plans/?page_size=2").json()
    rest = admin.get(page["next"]).json()["results"]
    assert [r["id"] for r in page["results"] + rest][:3] == [second.pk, first.pk, older.pk]


def test_plan_list_values_rows_equal_the_model_row_serializer_and_are_access_logged(org: Any) -> None:
    """The lean list builds its rows from `values()`: every key and value (titles, codes, local datetimes,
    NULL appraisers) is what PlanRowSerializer gives for the same plan, and each row's person is logged."""
    from django.utils import timezone

    from people.models import RecordAccess
    from performance.api.serializers import PlanRowSerializer

    titled = EmployeeFactory(unit=org.dinas, position=org.staff.position, front_title="dr.", back_title="M.Kes.")
    now = timezone.now()
    f.plan(org.staff, results=1)
    f.plan(
        titled,
        status=PlanStatus.FINAL,
        predikat="baik",
        result_rating="meets",
        behaviour_rating="above",
        expectations="Tepat waktu <b>&</b>",
        is_jpt=True,
        submitted_at=now,
        approved_at=now - dt.timedelta(days=3, microseconds=7),
        evaluated_at=now,
        finalised_at=now,
    )
    f.plan(org.staff2, year=f.YEAR - 1, status=PlanStatus.RETURNED, return_comment="Perbaiki IKI", appraiser=None)
    RecordAccess.objects.all().delete()
    rows = api_as(org.admin).get("/api/v1/performance-plans/").json()["results"]
    plans = PerformancePlan.objects.select_related("employee").order_by("-year", "-pk")
    assert len(rows) == plans.count() == 3
    assert rows == [dict(PlanRowSerializer(p).data) for p in plans]
    assert rows[0]["employee_name"] == titled.full_name and rows[0]["submitted_at"].endswith("+07:00")
    logged = set(RecordAccess.objects.filter(viewer=org.admin.user, part="skp").values_list("subject_id", flat=True))
    assert logged == {org.staff.pk, org.staff2.pk, titled.pk}


def test_unit_performance_and_distribution_check(org: Any) -> None:
    periods = f.periods(org.agency)
    for emp, p in ((org.staff, "baik"), (org.staff2, "baik")):
        f.plan(emp, status=PlanStatus.EVALUATED, predikat=p)
    admin = api_as(org.admin)
    r = admin.post(
        "/api/v1/unit-performance/", {"unit": org.dinas.pk, "period": periods[3].pk, "rating": "baik"}, format="json"
    )
    assert r.status_code == 201
    assert admin.get(f"/api/v1/unit-performance/?period={periods[3].pk}").json()["count"] == 1
    r = admin.get(f"/api/v1/distribution-check/?unit={org.dinas.pk}&period={periods[3].pk}")
    body = r.json()
    assert r.status_code == 200 and body["counts"] == {"baik": 2} and body["follows_rule"] is False
    assert any("Butuh Perbaikan" in w["message"] for w in body["warnings"])
    assert (
        api_as(org.foreign_admin)
        .get(f"/api/v1/distribution-check/?unit={org.dinas.pk}&period={periods[3].pk}")
        .status_code
        == 404
    )
    assert admin.get("/api/v1/distribution-check/?unit=x").status_code == 400
    r = api_as(org.staff).post(
        "/api/v1/unit-performance/",
        {"unit": org.dinas.pk, "period": periods[3].pk, "rating": "istimewa"},
        format="json",
    )
    assert r.status_code == 404


def test_unit_performance_list_values_rows_equal_the_model_serializer(org: Any) -> None:
    """The list's `values()` rows carry the same keys and values as UnitPerformanceSerializer (names, codes,
    local datetime), in the same order; another agency's admin sees none of them."""
    from performance.api.serializers import UnitPerformanceSerializer
    from performance.models import UnitPerformance

    periods = f.periods(org.agency)
    for unit, period, rating, note in (
        (org.dinas, periods[3], "baik", "Capaian <renaksi> & IKU"),
        (org.dinas, periods[0], "istimewa", ""),
    ):
        UnitPerformance.objects.create(unit=unit, period=period, rating=rating, note=note)
    body = api_as(org.admin).get("/api/v1/unit-performance/").json()
    expected = UnitPerformance.objects.select_related("unit", "period").order_by("period_id", "unit__path")
    assert body["count"] == 2
    assert body["results"] == [dict(UnitPerformanceSerializer(u).data) for u in expected]
    assert body["results"][0]["period_name"] == periods[0].name and body["results"][0]["unit_name"] == org.dinas.name
    assert api_as(org.foreign_admin).get("/api/v1/unit-performance/").json()["count"] == 0


def test_predikat_by_year_is_one_query(org: Any, django_assert_num_queries: Any) -> None:
    from performance.evaluation.selectors import predikat_by_year

    PredikatRecord.objects.create(employee=org.staff, year=2024, predikat="baik", source="import")
    PredikatRecord.objects.create(employee=org.staff, year=2025, predikat="kurang", source="import")
    with django_assert_num_queries(1):  # SELECT employee_id, year, predikat FROM predikatrecord WHERE ...
        got = predikat_by_year([org.staff.pk, org.staff2.pk], [2024, 2025])
    assert got == {(org.staff.pk, 2024): "baik", (org.staff.pk, 2025): "kurang"}
    others = [EmployeeFactory(unit=org.dinas, position=org.staff.position) for _ in range(20)]
    for e in others:
        PredikatRecord.objects.create(employee=e, year=2025, predikat="baik", source="import")
    with django_assert_num_queries(1):  # still one query for 22 employees
        got = predikat_by_year([org.staff.pk, *(e.pk for e in others)], [2024, 2025])
    assert len(got) == 22


def test_plan_list_first_page_statement_equals_the_paged_querysets(org: Any) -> None:
    """The first unfiltered page of the admin of one agency who works there is read through a statement compiled
    once per process and page size (performance.api.views._first_page_statement): the same rows, keys and order
    as the parts' querysets for two such admins (their agency's SKPs, those they appraise or sign above in another
    agency) at several page sizes; filtered pages, other kinds of users and later pages keep the querysets."""
    from django.test import RequestFactory
    from rest_framework.request import Request

    from asn_portal.pagination import keyset_ordering
    from performance.api.pagination import PartsKeysetPagination
    from performance.api.views import PerformancePlanViewSet
    from performance.plans import selectors as plans_selectors

    for emp in (org.staff, org.staff2, org.bidang_staff, org.head, org.admin):
        f.plan(emp)
        f.plan(emp, year=f.YEAR - 1)
    f.plan(org.foreign_staff, appraiser=org.head, appraiser_superior=org.admin)
    f.plan(org.staff, year=f.YEAR - 2, appraiser=org.foreign_admin, appraiser_superior=org.foreign_admin)
    f.plan(org.foreign_staff, year=f.YEAR - 1, appraiser_superior=org.foreign_admin)

    def view_for(user: Any, query: str = "") -> PerformancePlanViewSet:
        view = PerformancePlanViewSet()
        view.request = Request(RequestFactory().get(f"/api/v1/performance-plans/{query}"))
        view.request.user = user
        view.action, view.format_kwarg, view.kwargs = "list", None, {}
        return view

    for who in (org.admin, org.foreign_admin):
        user = type(who.user).objects.get(pk=who.user.pk)
        for size in (1, 3, 50):
            fast = view_for(user).keyset_first_page(size)
            queryset = plans_selectors.plan_row_values_visible_to(user=user)
            paginator = PartsKeysetPagination()
            paginator.ordering = keyset_ordering(queryset)
            parts = plans_selectors.plan_q_parts(user) or []
            expected = list(paginator.page_queryset(queryset.order_by(*paginator.ordering), parts, size, None))
            assert len(parts) >= 2 and fast == expected and fast
    assert view_for(org.admin.user, "?year=2025").keyset_first_page(50) is None
    assert view_for(org.admin.user, "?expand=results").keyset_first_page(50) is None
    for other in (org.head, org.staff):
        assert view_for(type(other.user).objects.get(pk=other.user.pk)).keyset_first_page(50) is None
