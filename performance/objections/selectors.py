"""Reads of objections (keberatan): scoped through the plan they object to."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from performance.models import Objection
from performance.plans.selectors import plan_get_visible


def objection_get_visible(*, user: Any, pk: int) -> Objection:
    """An objection the user may see (the plan's visibility decides); another agency's or unit's is a 404."""
    objection = Objection.objects.select_related("plan").filter(pk=pk).first()
    if objection is None:
        raise Http404
    plan_get_visible(user=user, pk=objection.plan_id)
    return objection
