"""The long tables of the performance pages (a page of 50 units, a page of 50 people), written as HTML in one pass:
the same markup as a template loop, without a template variable lookup, an include or a lazy-escaping call per
cell. Every value is escaped with `html.escape` (the same five characters as Django's `escape`)."""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from performance.choices import Predikat

register = template.Library()

_BADGE = {
    Predikat.SANGAT_BAIK.value: "text-bg-success",
    Predikat.BAIK.value: "text-bg-primary",
    Predikat.BUTUH_PERBAIKAN.value: "text-bg-warning",
}


def _e(value: Any) -> str:
    return escape(str(value))


def predikat_badge(value: str, label: Any) -> str:
    """Same markup as performance/_predikat.html."""
    if not value:
        return '<span class="text-body-secondary">–</span>'
    return f'<span class="badge {_BADGE.get(value, "text-bg-danger")}" data-testid="predikat">{_e(label)}</span>'


def _pattern(row: dict[str, Any], texts: dict[str, str]) -> str:
    if not row["rating"]:
        return f'<span class="text-body-secondary">{texts["no_rating"]}</span>'
    if not row["total"]:
        return f'<span class="text-body-secondary">{texts["no_total"]}</span>'
    if row["warnings"]:
        return "".join(
            f"<div>⚠ {_e(gettext(str(w.message)))} "
            f"{_e(gettext('(ada %(a)s, batas %(r)s)') % {'a': w.actual, 'r': w.required})}</div>"
            for w in row["warnings"]
        )
    return f'<span class="text-success">{texts["ok"]}</span>'


def _unit_row(row: dict[str, Any], q: QueryDict, texts: dict[str, str]) -> str:
    q["unit"] = str(row["unit"].pk)
    cal = row["calibration"]
    final = cal is not None and cal.status == "final"
    status = f'<span class="badge text-bg-success">{texts["final"]}</span>' if final else texts["open"]
    rating = (row["rating"].get_rating_display() if row["rating"] else "") or "–"
    cells = "".join(f'<td class="text-end">{n}</td>' for n in row["cells"])
    warn = ' class="table-warning"' if row["warnings"] else ""
    return (
        f'<tr{warn}>\n<th scope="row" class="small"><a href="?{_e(q.urlencode())}">{_e(row["unit"].name)}</a></th>\n'
        f'<td>{_e(rating)}</td>\n{cells}\n<td class="text-end">{row["total"]}</td>\n'
        f'<td class="small">{_pattern(row, texts)}</td>\n<td class="small">{status}</td></tr>\n'
    )


@register.simple_tag(takes_context=True)
def calibration_unit_rows(context: dict[str, Any], rows: list[dict[str, Any]], period_pk: int) -> SafeString:
    """The calibration table's rows: unit (link to who is where), rating, counts per predikat, total, pattern
    check, status."""
    request = context.get("request")
    q = request.GET.copy() if request is not None else QueryDict(mutable=True)
    q["period"] = str(period_pk)
    q.pop("people_page", None)
    texts = {
        key: _e(gettext(msg))
        for key, msg in (
            ("no_rating", "predikat unit belum ada"),
            ("no_total", "belum ada penilaian"),
            ("ok", "sesuai pola"),
            ("final", "final"),
            ("open", "terbuka"),
        )
    }
    return mark_safe("".join(_unit_row(row, q, texts) for row in rows))  # noqa: S308 (every value escaped above)


@register.simple_tag
def calibration_people_rows(people: list[Any]) -> SafeString:
    """Who is where: one row per SKP (annual period) or evaluation (other periods) with its predikat."""
    url = reverse("performance:plan-detail", args=[0])
    prefix = url[: url.rindex("0")]
    suffix = url[url.rindex("0") + 1 :]
    out = []
    for x in people:
        plan = getattr(x, "plan", None) or x
        badge = predikat_badge(x.predikat, x.get_predikat_display())
        out.append(
            f'<tr><td><a href="{prefix}{plan.pk}{suffix}">{_e(plan.employee.full_name)}</a></td><td>{badge}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)
