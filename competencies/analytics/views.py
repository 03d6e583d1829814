"""Competency analytics pages and their XLSX export."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from asn_portal.dbrouter import replica_reads
from asn_portal.exports import attachment, xlsx_bytes
from asn_portal.templatetags.portal import percent
from competencies import charts
from competencies.analytics import selectors
from competencies.choices import JpmCategory
from competencies.web import require_admin

XLSX_CACHE_SECONDS = 24 * 3600  # the key changes with every refresh; this only bounds the memory


def _analytics_data(request: HttpRequest) -> dict[str, Any]:
    data = selectors.analytics(user=request.user)
    data["mapping"] = [
        (JpmCategory.OPTIMAL.label, data["by_category"].get(JpmCategory.OPTIMAL, 0)),
        (JpmCategory.CUKUP_OPTIMAL.label, data["by_category"].get(JpmCategory.CUKUP_OPTIMAL, 0)),
        (JpmCategory.KURANG_OPTIMAL.label, data["by_category"].get(JpmCategory.KURANG_OPTIMAL, 0)),
    ]
    data["filling"] = [
        (JpmCategory.MS.label, data["by_filling"].get(JpmCategory.MS, 0)),
        (JpmCategory.MMS.label, data["by_filling"].get(JpmCategory.MMS, 0)),
        (JpmCategory.KMS.label, data["by_filling"].get(JpmCategory.KMS, 0)),
    ]
    return data


def _units_html(units: list[dict[str, Any]]) -> SafeString:
    """The per-unit JPM table's rows joined here (one agency has hundreds of units: the template engine spent
    more on these cells than on the rest of the page). Names escaped; the rest are our numbers."""
    unassessed = escape(_("belum diases"))
    rows = (
        f'<tr><td>{escape(u["employee__unit__name"])}</td><td class="text-end">{u["assessed"]}/{u["n"]}</td>'
        f'<td class="text-end">{unassessed if u["avg"] is None else percent(u["avg"], 2)}</td>'
        f'<td class="text-end">{u["optimal"]}</td><td class="text-end">{u["cukup"]}</td>'
        f'<td class="text-end">{u["kurang"]}</td><td class="text-end">{u["gaps"]}</td></tr>'
        for u in units
    )
    return mark_safe("".join(rows))  # noqa: S308 - every text escaped above


def _unit_gaps_html(by_unit: list[dict[str, Any]]) -> SafeString:
    """The "three most common gaps per unit" rows, joined here for the same reason."""
    rows = (
        f'<tr><td>{escape(u["unit"])}</td><td class="small">'
        + ", ".join(f"{escape(g['competency'])} ({g['count']})" for g in u["gaps"])
        + "</td></tr>"
        for u in by_unit
    )
    return mark_safe("".join(rows))  # noqa: S308 - every text escaped above


def _analytics_page(request: HttpRequest) -> dict[str, Any]:
    data = _analytics_data(request)
    data["units_html"] = _units_html(data["units"])
    data["gap_by_unit_html"] = _unit_gaps_html(data["gap_by_unit"])
    return {
        "data": data,
        "mapping_config": charts.distribution(
            [str(x[0]) for x in data["mapping"]], [x[1] for x in data["mapping"]], str(_("Pegawai"))
        ),
        "filling_config": charts.distribution(
            [str(x[0]) for x in data["filling"]], [x[1] for x in data["filling"]], str(_("Pegawai"))
        ),
    }


@replica_reads
def analytics(request: HttpRequest) -> HttpResponse:
    """The figures change only when the summary rows do: built once per refresh of the agencies shown and
    language (the same key as the XLSX), then read from the cache (one query for the version)."""
    require_admin(request)
    version = selectors.summary_version(user=request.user)
    key = None
    page = None
    if version is not None:
        digest = hashlib.sha256(f"{version}|{get_language()}".encode()).hexdigest()
        key = f"competencies:analytics-page:{digest}"
        page = cache.get(key)
    if page is None:
        page = _analytics_page(request)
        if key is not None:
            cache.set(key, page, XLSX_CACHE_SECONDS)
    return render(request, "competencies/analytics.html", {**page, "breadcrumbs": [(_("Analitik kompetensi"), None)]})


@replica_reads
def analytics_xlsx(request: HttpRequest) -> HttpResponse:
    """The workbook changes only when the summary rows do: built once per refresh and language (openpyxl
    spends ~1 ms a row), then served from the cache until an agency's rows are rewritten."""
    require_admin(request)
    version = selectors.summary_version(user=request.user)
    key = None
    if version is not None:
        digest = hashlib.sha256(f"{version}|{get_language()}".encode()).hexdigest()
        key = f"competencies:analytics-xlsx:{digest}"
        cached = cache.get(key)
        if cached is not None:
            return attachment("analitik-kompetensi.xlsx", cached)
    content = _analytics_xlsx_bytes(request)
    if key is not None:
        cache.set(key, content, XLSX_CACHE_SECONDS)
    return attachment("analitik-kompetensi.xlsx", content)


def _analytics_xlsx_bytes(request: HttpRequest) -> bytes:
    data = _analytics_data(request)
    units_header = [
        _("Unit kerja"),
        _("Pegawai"),
        _("Rata-rata JPM"),
        _("Optimal"),
        _("Cukup Optimal"),
        _("Kurang Optimal"),
        _("Dengan kesenjangan"),
    ]
    units = (
        [
            u["employee__unit__name"],
            u["n"],
            float(u["avg"]) if u["avg"] is not None else None,
            u["optimal"],
            u["cukup"],
            u["kurang"],
            u["gaps"],
        ]
        for u in data["units"]
    )
    by_competency = ([r["name"], r["kind"], r["count"], float(r["avg_gap"])] for r in data["gap_by_competency"])
    by_unit = ([u["unit"], g["competency"], g["count"]] for u in data["gap_by_unit"] for g in u["gaps"])
    categories = [
        *([_("Pemetaan"), str(label), n] for label, n in data["mapping"]),
        *([_("Pengisian jabatan"), str(label), n] for label, n in data["filling"]),
    ]
    return xlsx_bytes(
        [
            ("JPM per unit", units_header, units),
            (
                "Kesenjangan per kompetensi",
                [_("Kompetensi"), _("Kelompok"), _("Jumlah pegawai"), _("Rata-rata kesenjangan")],
                by_competency,
            ),
            ("Kesenjangan per unit", [_("Unit kerja"), _("Kompetensi"), _("Jumlah pegawai")], by_unit),
            ("Kategori", [_("Skala"), _("Kategori"), _("Jumlah")], categories),
        ]
    )
