"""Moving promotions out of careers kept its label, tables and rows: an existing database migrates forward."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_celery_beat.models import PeriodicTask

from asn_portal.celery import app as celery_app
from people.models import Rank
from promotions.models import PromotionPeriod, PromotionProposal

BEFORE_MOVE = [("promotions", "0003_queue_derived_fks")]
BEAT_ENTRY = "promotions: antrean KP saat jendela usulan dibuka"


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_proposals_and_its_daily_job(org: Any) -> None:
    old = _migrate(BEFORE_MOVE)
    # Rows as the careers.promotions code wrote them, through the historical models.
    Period = old.get_model("promotions", "PromotionPeriod")
    Proposal = old.get_model("promotions", "PromotionProposal")
    period = Period.objects.create(
        period_date=dt.date(2031, 4, 1), submission_opens=dt.date(2031, 2, 15), submission_closes=dt.date(2031, 3, 15)
    )
    iii_b, iii_c = Rank.objects.get(scheme="pns", code="III/b"), Rank.objects.get(scheme="pns", code="III/c")
    Proposal.objects.create(
        period_id=period.pk, agency_id=org.agency.pk, employee_id=org.staff.pk, kind="reguler", status="sent",
        current_rank_id=iii_b.pk, target_rank_id=iii_c.pk, rule_version="KP-2024.1", decree_number="823/77",
    )  # fmt: skip
    # The beat entry as migration 0002 stored it under the old module (recreated if a flush removed it).
    cron, _ = old.get_model("django_celery_beat", "CrontabSchedule").objects.get_or_create(
        minute="30", hour="1", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
    )
    old.get_model("django_celery_beat", "PeriodicTask").objects.update_or_create(
        name=BEAT_ENTRY, defaults={"task": "careers.promotions.tasks.build_open_queues", "crontab": cron}
    )

    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())

    proposal = PromotionProposal.objects.select_related("period", "target_rank").get(employee=org.staff)
    assert (proposal.period.period_date, proposal.status, proposal.target_rank.code, proposal.decree_number) == (
        dt.date(2031, 4, 1),
        "sent",
        "III/c",
        "823/77",
    )
    assert PromotionPeriod._meta.db_table == "promotions_promotionperiod"
    # The stored beat entry follows the task to its new module, so the daily queue keeps running.
    job = PeriodicTask.objects.get(name=BEAT_ENTRY)
    assert job.task == "promotions.tasks.build_open_queues"
    celery_app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks.py
    assert job.task in celery_app.tasks
