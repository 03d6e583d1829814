"""The long tables of the people pages (a directory page of 25 people, an agency's ~200-unit organisation chart),
written as HTML in one pass from plain rows: the same markup as the template loops they replace, without a
template variable lookup, an include, a `{% url %}` or a lazy-escaping call per cell (issue #13). Every value is
escaped with `html.escape` (the same five characters as Django's `escape`)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from django import template
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from people.choices import EmployeeStatus, PositionType

register = template.Library()


def _e(value: Any) -> str:
    return escape(str(value))


def _url_pattern(name: str) -> tuple[str, str]:
    url = reverse(name, args=[0])
    cut = url.rindex("/0/") + 1
    return url[:cut], url[cut + 1 :]


def full_name(front_title: str, name: str, back_title: str) -> str:
    """`Employee.full_name` of plain values."""
    text = f"{front_title} {name}".strip()
    return f"{text}, {back_title}" if back_title else text


def nip_display(n: str) -> str:
    """`Employee.nip_display` of a plain value."""
    return f"{n[:8]} {n[8:14]} {n[14:15]} {n[15:]}" if len(n) == 18 else n


def intcomma() -> Callable[[int], str]:
    """humanize's `intcomma` for counts: numbers below 1,000 need no separator (most of a chart's cells)."""

    def fmt(n: int) -> str:
        return str(n) if 0 <= n < 1000 else number_format(n, use_l10n=True, force_grouping=True)

    return fmt


@register.simple_tag
def employee_table_rows(rows: Iterable[dict[str, Any]]) -> SafeString:
    """The directory's and the unit page's rows (people/_employee_rows.html) from `selectors.directory_rows`:
    name (link to the profile), NIP, post and its kind, unit, rank, status."""
    prefix, suffix = _url_pattern("people:profile")
    kinds = {value: _e(label) for value, label in PositionType.choices}
    statuses = {value: _e(label) for value, label in EmployeeStatus.choices}
    out = []
    for r in rows:
        title = r["position__title"]
        if r["position_id"] is not None:
            kind = r["position__kind"]
            post = f'{_e(title or "–")}<div class="small text-body-secondary">{kinds.get(kind) or _e(kind)}</div>'
        else:
            post = "–"
        if r["rank_id"] is not None:
            rank = (
                f'{_e(r["rank__code"])} <span class="small text-body-secondary d-none d-lg-inline">'
                f"{_e(r['rank__name'])}</span>"
            )
        else:
            rank = "–"
        status = r["status"]
        badge = "text-bg-success" if status == "active" else "text-bg-secondary"
        name = _e(full_name(r["front_title"], r["name"], r["back_title"]))
        unit = r["unit__name"]
        out.append(
            "\n    <tr>\n"
            f'      <td><a href="{prefix}{r["id"]}{suffix}">{name}</a></td>\n'
            f'      <td class="font-monospace small text-nowrap">{_e(nip_display(r["nip"]))}</td>\n'
            f"      <td>{post}</td>\n"
            f"      <td>{'' if unit is None else _e(unit)}</td>\n"
            f'      <td class="text-nowrap">{rank}</td>\n'
            f'      <td><span class="badge {badge}">{statuses.get(status) or _e(status)}</span></td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def org_chart_rows(rows: Iterable[dict[str, Any]]) -> SafeString:
    """The organisation chart's rows (`selectors.org_chart`): unit (indented, link to its people, kind), its head
    (the Plt./Plh. first, else the holder of the head post, else 'kosong') with the head post, the unit's own
    active people and its subtree's."""
    fmt = intcomma()
    vacant = _e(gettext("kosong"))
    escaped: dict[Any, str] = {}  # the few labels (unit kinds, Plt./Plh.) escaped once, not once per unit
    out = []
    for r in rows:
        kind = escaped.get(r["kind_label"])
        if kind is None:
            kind = escaped[r["kind_label"]] = _e(r["kind_label"])
        level = r["level"]
        pad = 5 if level > 4 else level + 1
        tick = '<span class="text-body-secondary" aria-hidden="true">└ </span>' if level else ""
        if r["acting_head_name"] is not None:
            head = f'{_e(r["acting_head_name"])} <span class="badge text-bg-warning">{_e(r["acting_label"])}</span>'
        elif r["head_name"] is not None:
            head = _e(r["head_name"])
        elif r["head_position_id"]:
            head = f'<span class="badge text-bg-danger">{vacant}</span>'
        else:
            head = "–"
        post = (
            f'<div class="small text-body-secondary">{_e(r["head_position_title"])}</div>'
            if r["head_position_id"]
            else ""
        )
        out.append(
            "\n  <tr>\n"
            f'    <td class="ps-{pad}">{tick}<a href="{r["url"]}">{_e(r["name"])}</a> '
            f'<span class="small text-body-secondary">{kind}</span></td>\n'
            f"    <td>{head}\n      {post}</td>\n"
            f'    <td class="text-end">{fmt(r["own_count"])}</td>\n'
            f'    <td class="text-end">{fmt(r["total_count"])}</td>\n'
            "  </tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


def _ce(value: Any) -> str:
    """Django's `conditional_escape` (what `{{ value }}` writes): text marked safe as it is, else escaped."""
    html = getattr(value, "__html__", None)
    return str(html()) if html is not None else escape(str(value))


@functools.lru_cache(maxsize=4096)
def _date_text(value: dt.date, language: str | None) -> str:
    """`{{ value|date:"DATE_FORMAT" }}` of a date, escaped; the same date in the same language is the same text,
    so it is formatted once per process (a history of ~30 dates was 39 `date_format` calls per profile)."""
    return escape(date_format(value, "DATE_FORMAT"))


def _date_cell(value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):  # the `date` filter expects local time: the template converts first
        local = timezone.localtime(value) if settings.USE_TZ and timezone.is_aware(value) else value
        return escape(date_format(local, "DATE_FORMAT"))
    return _date_text(value, get_language())


@register.simple_tag
def profile_timeline(items: Iterable[dict[str, Any]]) -> SafeString:
    """The profile's post and rank history with the other apps' timeline rows (was a loop in people/profile.html):
    date, a badge (post, rank, or the row's own label, else "Riwayat"), the title (a link when the row has a url)
    and the detail line."""
    position = f'<span class="badge text-bg-primary">{_e(gettext("Jabatan"))}</span>'
    rank = f'<span class="badge text-bg-success">{_e(gettext("Pangkat"))}</span>'
    out = []
    for item in items:
        kind = item.get("kind")
        if kind == "position":
            badge = position
        elif kind == "rank":
            badge = rank
        else:
            badge = f'<span class="badge text-bg-secondary">{_ce(item.get("label") or gettext("Riwayat"))}</span>'
        url = item.get("url")
        title = _ce(item.get("title", ""))
        if url:
            title = f'<a href="{_ce(url)}">{title}</a>'
        detail = item.get("detail")
        detail = f'<div class="small text-body-secondary">{_ce(detail)}</div>' if detail else ""
        out.append(
            '\n    <li class="d-flex gap-3 py-2 border-bottom">\n'
            f'      <div class="text-nowrap small text-body-secondary">{_date_cell(item["date"])}</div>\n'
            "      <div>\n"
            f"        {badge}\n"
            f"        {title}\n"
            f"        {detail}\n"
            "      </div>\n"
            "    </li>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag(takes_context=True)
def sort_link(context: Any, key: str, desc: str, label: Any) -> SafeString:
    """A sortable column's header (was people/_sort.html): the link that sorts by `key` and, when the list is
    sorted by it, the direction and the link that reverses it."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query.pop("page", None)
    ordering = context.get("ordering")
    query["ordering"] = key
    out = f'<a href="?{_e(query.urlencode())}" class="link-body-emphasis text-decoration-none">{_e(label)}</a>'
    if ordering == key:
        query["ordering"] = desc
        out += (
            ' <i class="bi bi-sort-down-alt" aria-hidden="true"></i><span class="visually-hidden">'
            f"{_e(gettext('(urut naik)'))}</span>"
            f' <a href="?{_e(query.urlencode())}" class="small" aria-label="{_e(gettext("Urutkan terbalik"))}">'
            '<i class="bi bi-arrow-down-up" aria-hidden="true"></i></a>'
        )
    elif ordering == desc:
        out += (
            ' <i class="bi bi-sort-up" aria-hidden="true"></i><span class="visually-hidden">'
            f"{_e(gettext('(urut turun)'))}</span>"
        )
    return mark_safe(out)  # noqa: S308 (every value escaped above)
