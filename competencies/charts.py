"""Chart.js configs built in Python (rendered by static/js/app.js via json_script; no inline scripts)."""

from __future__ import annotations

import textwrap
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import JpmSnapshot
from .selectors import CompetencyProfile

RADAR_LABEL_WIDTH = 16


def radar(profile: CompetencyProfile) -> dict[str, Any]:
    # Long names are wrapped onto short lines so the labels fit round the radar on a 390 px phone.
    labels = [textwrap.wrap(r.competency.name, RADAR_LABEL_WIDTH) or [""] for r in profile.rows]
    return {
        "type": "radar",
        "data": {
            "labels": labels,
            "datasets": [
                {
                    "label": _("Standar jabatan"),
                    "data": [r.required or 0 for r in profile.rows],
                    "borderColor": "#6c757d",
                    "backgroundColor": "rgba(108,117,125,0.15)",
                    "borderDash": [6, 4],
                },
                {
                    "label": _("Level saat ini"),
                    "data": [r.current or 0 for r in profile.rows],
                    "borderColor": "#0d6efd",
                    "backgroundColor": "rgba(13,110,253,0.25)",
                },
            ],
        },
        "options": {
            "scales": {"r": {"min": 0, "max": 5, "ticks": {"stepSize": 1}, "pointLabels": {"font": {"size": 11}}}},
            "plugins": {"legend": {"position": "bottom"}},
        },
    }


def trend(snapshots: list[JpmSnapshot]) -> dict[str, Any]:
    return {
        "type": "line",
        "data": {
            "labels": [date_format(s.date, "SHORT_DATE_FORMAT") for s in snapshots],
            "datasets": [
                {
                    "label": _("JPM (%)"),
                    "data": [float(s.jpm) for s in snapshots],
                    "borderColor": "#198754",
                    "stepped": True,
                }
            ],
        },
        "options": {"scales": {"y": {"min": 0, "max": 100}}},
    }


def distribution(labels: list[str], values: list[int], title: str) -> dict[str, Any]:
    return {
        "type": "bar",
        "data": {
            "labels": labels,
            "datasets": [{"label": title, "data": values, "backgroundColor": ["#198754", "#ffc107", "#dc3545"]}],
        },
        "options": {"plugins": {"legend": {"display": False}}},
    }
