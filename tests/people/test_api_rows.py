"""The unit and position API lists write plain `values()` rows directly (issue #13): each row equals what DRF's
ModelSerializer gives for the instance, the filters still apply, and the detail endpoints are unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from people.api.serializers import POSITION_ROW_FIELDS, UNIT_ROW_FIELDS, PositionSerializer, UnitSerializer
from people.models import OrgUnit, Position
from tests.conftest import api_as
from tests.people.factories import OrgUnitFactory, PositionFactory

pytestmark = pytest.mark.django_db


def _drf(serializer: Any, instance: Any) -> dict[str, Any]:
    """DRF's own ModelSerializer output for the instance (the parent class's to_representation)."""
    return dict(super(serializer, serializer()).to_representation(instance))


def test_unit_and_position_rows_equal_drf_output(org: Any) -> None:
    unit = OrgUnitFactory(agency=org.agency, parent=org.dinas, name="Bidang <Uji>", kind="bidang")
    head = PositionFactory(unit=unit, title="Kepala Bidang Uji", job_class=9, reports_to=org.head.position)
    unit.head_position, unit.acting_head, unit.acting_kind, unit.is_active = head, org.staff, "plt", False
    unit.save()
    assert OrgUnit.objects.count() >= 5 and Position.objects.count() >= 5
    for row in OrgUnit.objects.values(*UNIT_ROW_FIELDS):
        instance = OrgUnit.objects.get(pk=row["id"])
        assert (
            UnitSerializer().to_representation(row) == _drf(UnitSerializer, instance) == UnitSerializer(instance).data
        )
    for row in Position.objects.values(*POSITION_ROW_FIELDS):
        instance = Position.objects.get(pk=row["id"])
        assert (
            PositionSerializer().to_representation(row)
            == _drf(PositionSerializer, instance)
            == PositionSerializer(instance).data
        )


def test_unit_and_position_lists_filter_and_detail(org: Any) -> None:
    client = api_as(org.admin)
    units = client.get("/api/v1/units/").json()["results"]
    assert units == [UnitSerializer(u).data for u in OrgUnit.objects.filter(agency=org.agency).order_by("path")]
    bidang = client.get("/api/v1/units/", {"kind": "bidang"}).json()["results"]
    assert [u["name"] for u in bidang] == ["Bidang Pelayanan"]
    assert client.get(f"/api/v1/units/{org.bidang.pk}/").json() == UnitSerializer(org.bidang).data
    posts = client.get("/api/v1/positions/", {"unit": org.bidang.pk}).json()["results"]
    expected = Position.objects.filter(unit=org.bidang).order_by("title")
    assert posts == [PositionSerializer(p).data for p in expected] and posts
    post = expected.first()
    assert post is not None
    assert client.get(f"/api/v1/positions/{post.pk}/").json() == PositionSerializer(post).data
    # another agency's unit stays out of the list and is a 404
    assert org.foreign_admin.unit_id not in {u["id"] for u in units}
    assert client.get(f"/api/v1/units/{org.foreign_admin.unit_id}/").status_code == 404
