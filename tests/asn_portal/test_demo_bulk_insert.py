"""The seeders' fast insert (asn_portal.demo.bulk_insert) writes what bulk_create would: same rows, pks set in
order, auto timestamps filled, JSON and other non-native fields prepared by Django."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError

from asn_portal.demo import bulk_insert
from asn_portal.models import JobRun
from people.models import User

pytestmark = pytest.mark.django_db


def test_rows_and_pks_match_bulk_create(org: Any) -> None:
    users = bulk_insert(User, [User(username=f"cepat{i}", first_name=f"Cepat {i}") for i in range(7)], batch=3)
    assert [u.pk for u in users] == list(
        User.objects.filter(username__startswith="cepat").order_by("pk").values_list("pk", flat=True)
    )
    stored = User.objects.get(pk=users[4].pk)
    assert stored.username == "cepat4" and stored.first_name == "Cepat 4" and stored.is_active
    assert not users[0]._state.adding


def test_json_and_timestamps_are_prepared(org: Any) -> None:
    (run,) = bulk_insert(JobRun, [JobRun(job="demo.seed", counts={"employees": 3, "agency": "medan"})])
    stored = JobRun.objects.get(pk=run.pk)
    assert stored.counts == {"employees": 3, "agency": "medan"} and stored.started_at is not None


def test_a_duplicate_raises_like_bulk_create(org: Any) -> None:
    with pytest.raises(IntegrityError):
        bulk_insert(User, [User(username=org.staff.user.username)])
