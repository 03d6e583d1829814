"""Pages, API lists and jobs of promotions measured by bench/run.py (placeholders come from the demo)."""

from __future__ import annotations

import time
from typing import Any

PAGES = [
    ("hr_admin", "/kenaikan-pangkat/", "KP: periode"),
    ("hr_admin", "/kenaikan-pangkat/periode/{promotion_period_id}/", "KP: antrean periode (admin)"),
    ("hr_admin", "/kenaikan-pangkat/periode/{promotion_period_id}/?status=near", "KP: hampir memenuhi syarat"),
    ("hr_admin", "/kenaikan-pangkat/periode/{promotion_period_id}/?unit={head_unit_id}", "KP: antrean per unit"),
    ("head", "/kenaikan-pangkat/periode/{promotion_period_id}/", "KP: antrean (kepala)"),
    ("hr_admin", "/kenaikan-pangkat/usulan/", "KP: usulan"),
    ("staff", "/kenaikan-pangkat/saya/", "KP: perkiraan saya"),
    ("hr_admin", "/kenaikan-pangkat/lowongan/", "Promosi: lowongan"),
    ("hr_admin", "/kenaikan-pangkat/laporan-merit/", "Promosi: laporan merit"),
    ("hr_admin", "/api/v1/rank-promotion-queue/?period={promotion_period_id}", "API antrean KP"),
    ("hr_admin", "/api/v1/promotion-proposals/", "API usulan KP"),
    ("staff", "/api/v1/employees/{staff_employee_id}/promotion-outlook/", "API perkiraan KP"),
]


def _largest_agency() -> int:
    from django.db.models import Count

    from people.models import Agency

    return int(Agency.objects.annotate(n=Count("employees")).order_by("-n").values_list("pk", flat=True)[0])


def build_queue_largest_agency() -> dict[str, Any]:
    """One period's KP queue for the largest agency (the issue's 50,000-employee target: < 10 s)."""
    from promotions.queue.services import queue_build
    from promotions.selectors import current_period

    period = current_period()
    assert period is not None
    started = time.perf_counter()
    counts = queue_build(period=period, agency_id=_largest_agency(), actor=None)
    return {"seconds": round(time.perf_counter() - started, 2), **counts}


def rank_vacancy_candidates() -> dict[str, Any]:
    """Rank the candidates of the demo's open vacancy (target: < 1 s)."""
    from promotions.actors import admins_of
    from promotions.models import PositionVacancy
    from promotions.vacancies.services import vacancy_rank

    vacancy = PositionVacancy.objects.filter(status="open").select_related("position").order_by("pk").first()
    assert vacancy is not None
    started = time.perf_counter()
    rows = vacancy_rank(vacancy=vacancy, actor=admins_of(vacancy.agency_id)[0])
    return {"seconds": round(time.perf_counter() - started, 2), "candidates": len(rows)}


JOBS = [
    ("KP: antrean satu periode (instansi terbesar)", "bench.targets.promotions.build_queue_largest_agency"),
    ("Promosi: peringkat kandidat lowongan", "bench.targets.promotions.rank_vacancy_candidates"),
]


def placeholders() -> dict[str, Any]:
    """{promotion_period_id}: the first upcoming KP period whose queue is built (the seed builds the one after
    the current period: the current one's queue is empty and measured nothing but the empty table), else the
    upcoming period."""
    from django.utils import timezone

    from promotions.models import PromotionPeriod
    from promotions.selectors import current_period

    built = (
        PromotionPeriod.objects.filter(period_date__gte=timezone.localdate(), entries__isnull=False)
        .order_by("period_date")
        .values_list("pk", flat=True)
        .first()
    )
    period = current_period()
    return {"promotion_period_id": built or (period.pk if period else 0)}
