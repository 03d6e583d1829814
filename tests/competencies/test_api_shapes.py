"""The API's competency, standard and assessment rows are written directly (faster than DRF walking the
declared fields one by one): the output stays exactly what the declared fields give, and the list endpoints
show it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework import serializers

from competencies import selectors
from competencies.api.serializers import (
    AssessmentListSerializer,
    AssessmentResultSerializer,
    AssessmentSerializer,
    CompetencySerializer,
    ProfileRowSerializer,
    ProfileSerializer,
    RequirementSerializer,
)
from competencies.models import CompetencyAssessment, CompetencyRequirement
from tests.competencies.factories import CompetencyFactory, national, record
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


def _by_fields(serializer: Any, obj: Any) -> dict[str, Any]:
    """DRF's own output of the serializer's declared fields (the base class's walk)."""
    return dict(serializers.ModelSerializer.to_representation(serializer, obj))


def test_rows_equal_what_the_declared_fields_give(org: Any) -> None:
    comps = national()
    technical = CompetencyFactory(agency=org.agency, definition="Mampu <menyusun> kebijakan", level_3="Mandiri")
    CompetencyRequirement.objects.create(position=org.staff.position, competency=comps[0], level=4, is_override=True)
    record(org.staff, {comps[0].pk: 3, technical.pk: 2}, on=dt.date(2026, 2, 3), actor=org.admin.user)
    for c in [*comps, technical]:
        ser = CompetencySerializer()
        assert ser.to_representation(c) == _by_fields(ser, c)
        assert list(ser.to_representation(c)) == list(ser.fields)
    for r in CompetencyRequirement.objects.select_related("competency"):
        ser = RequirementSerializer()
        assert ser.to_representation(r) == _by_fields(ser, r)
    assessment = CompetencyAssessment.objects.select_related("employee").get(employee=org.staff)
    for r in assessment.results.all():
        ser = AssessmentResultSerializer()
        assert ser.to_representation(r) == _by_fields(ser, r)
    full = AssessmentSerializer()
    assert full.to_representation(assessment) == _by_fields(full, assessment)
    assert list(full.to_representation(assessment)) == list(full.fields)
    assert len(full.to_representation(assessment)["results"]) == 2
    lean = AssessmentListSerializer()
    assert lean.to_representation(assessment) == _by_fields(lean, assessment)
    assert list(lean.to_representation(assessment)) == list(lean.fields)


def test_profile_equals_what_the_declared_fields_give(org: Any) -> None:
    comps = national()
    technical = CompetencyFactory(agency=org.agency)
    for c, level in zip(comps[:3], [3, 4, 2], strict=True):
        CompetencyRequirement.objects.create(position=org.staff.position, competency=c, level=level)
    record(org.staff, {comps[0].pk: 3, comps[1].pk: 2, technical.pk: 4}, on=dt.date(2026, 2, 3), actor=org.admin.user)
    profiles = [
        selectors.profile_for(org.staff),  # met, a gap, unassessed, one outside the standard
        selectors.profile_for(org.staff2),  # never assessed
        selectors.profile_for(org.staff, org.head.position),  # a post without a standard: no JPM
    ]
    org.staff2.position = None
    profiles.append(selectors.profile_for(org.staff2))  # no post at all
    for profile in profiles:
        ser = ProfileSerializer()
        assert ser.to_representation(profile) == dict(serializers.Serializer.to_representation(ser, profile))
        assert list(ser.to_representation(profile)) == list(ser.fields)
        for r in [*profile.rows, *profile.extra_rows]:
            row_ser = ProfileRowSerializer()
            assert row_ser.to_representation(r) == dict(serializers.Serializer.to_representation(row_ser, r))
    assert profiles[0].jpm is not None and profiles[0].extra_rows and profiles[2].jpm is None


def test_list_endpoints_show_the_rows(org: Any) -> None:
    comps = national()
    CompetencyRequirement.objects.create(position=org.staff.position, competency=comps[0], level=4)
    record(org.staff, {comps[0].pk: 3}, on=dt.date(2026, 2, 3), actor=org.admin.user)
    client = api_as(org.admin)
    listed = client.get("/api/v1/competencies/").json()["results"]
    assert {r["code"] for r in listed} >= {c.code for c in comps}
    standards = client.get("/api/v1/competency-requirements/").json()["results"]
    assert {(r["position"], r["competency_code"], r["level"]) for r in standards} >= {
        (org.staff.position.pk, comps[0].code, 4)
    }
    rows = client.get("/api/v1/assessments/").json()["results"]
    row = next(r for r in rows if r["employee"] == org.staff.pk)
    assert row["assessed_on"] == "2026-02-03" and row["employee_nip"] == org.staff.nip and "results" not in row
    expanded = client.get("/api/v1/assessments/?expand=results").json()["results"]
    row = next(r for r in expanded if r["employee"] == org.staff.pk)
    assert [(r["competency_code"], r["level"]) for r in row["results"]] == [(comps[0].code, 3)]


def test_list_filters_apply_when_named(org: Any) -> None:
    comps = national()
    technical = CompetencyFactory(agency=org.agency)
    record(org.staff, {comps[0].pk: 3}, on=dt.date(2026, 2, 3), actor=org.admin.user)
    client = api_as(org.admin)
    everything = {r["code"] for r in client.get("/api/v1/competencies/").json()["results"]}
    assert technical.code in everything and comps[0].code in everything
    only = client.get("/api/v1/competencies/?kind=technical").json()["results"]
    assert {r["code"] for r in only} == {technical.code}
    assert client.get(f"/api/v1/competencies/?code={comps[0].code}").json()["results"][0]["id"] == comps[0].pk
    assert client.get("/api/v1/assessments/?method=assessment_center").json()["results"]
    assert client.get("/api/v1/assessments/?method=cat").json()["results"] == []
    assert client.get("/api/v1/assessments/?assessed_from=bukan-tanggal").status_code == 400
