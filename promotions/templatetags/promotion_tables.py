"""The long table of the KP queue page (50 rows), written as HTML in one pass from `values()` rows: the same
markup as the template loop it replaces, without a template variable lookup, a `get_FOO_display` or a lazy
translation per cell. Every value is escaped with `html.escape` (the same five characters as Django's `escape`)."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from django import template
from django.db.models import OuterRef, QuerySet, Subquery, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from asn_portal.i18n_text import rule_text

from ..choices import PromotionKind, QueueStatus

register = template.Library()

# The fields of a queue row (`queue_rows` reads these keys of a `QueueEntry.objects.values(...)` row) ...
QUEUE_ROW_FIELDS = (
    "id",
    "employee_id",
    "employee__name",
    "employee__front_title",
    "employee__back_title",
    "employee__nip",
    "unit__name",
    "kind",
    "status",
    "current_rank__code",
    "target_rank__code",
    "next_eligible_date",
)
# ... and the reasons as the database's JSON text (`failing_json`, see `queue_table_values`): the row memo's key
# as it is, parsed only for a row not written yet.

_STATUS_BADGE = {"eligible": "text-bg-success", "near": "text-bg-warning", "proposed": "text-bg-info"}


def _e(value: Any) -> str:
    return escape(str(value))


def full_name(front_title: str, name: str, back_title: str) -> str:
    """people.Employee.full_name from its three columns."""
    shown = f"{front_title} {name}".strip()
    return f"{shown}, {back_title}" if back_title else shown


def nip_display(nip: str) -> str:
    """people.Employee.nip_display from the NIP column."""
    return f"{nip[:8]} {nip[8:14]} {nip[14:15]} {nip[15:]}" if len(nip) == 18 else nip


def _url_pattern(name: str) -> tuple[str, str]:
    url = reverse(name, args=[0])
    cut = url.rindex("0")
    return url[:cut], url[cut + 1 :]


# A row's HTML is a pure function of its values, the language and the page's flags: rows already written are
# kept by exactly those inputs (never by time or by user: the key holds every value the row shows, so a changed
# queue row, name or unit is a new key). The CSRF token is put in per response. A full memo is emptied.
_ROW_MEMO: dict[tuple[Any, ...], str] = {}
ROW_MEMO_MAX = 2000  # about 3 MB: forty pages of rows
_CSRF_SLOT = "\x00csrf\x00"  # no stored text holds a NUL (PostgreSQL text cannot)


class _QueueTexts:
    """The per-language texts and URLs of the queue rows, read once per table that writes a row."""

    def __init__(self, period_pk: int) -> None:
        self.outlook = _url_pattern("promotions:employee-outlook")
        self.propose_url = _e(reverse("promotions:propose", args=[period_pk]))
        self.kinds = {value: _e(label) for value, label in PromotionKind.choices}
        self.statuses = {value: _e(label) for value, label in QueueStatus.choices}
        self.t = {
            key: _e(gettext(msg))
            for key, msg in (
                ("closed", "Masa usulan ditutup"),
                ("late", "Alasan usulan terlambat"),
                ("propose", "Usulkan"),
                ("exception", "Usulkan dengan pengecualian"),
                ("reason", "Alasan pengecualian"),
            )
        }
        self.estimate = gettext("Perkiraan memenuhi syarat: %(d)s")


def _queue_row(r: dict[str, Any], x: _QueueTexts, window_closed: bool, is_admin: bool) -> str:
    pk, emp, status = r["id"], r["employee_id"], r["status"]
    target = r["target_rank__code"]
    t = x.t
    name = _e(full_name(r["employee__front_title"], r["employee__name"], r["employee__back_title"]))
    rank = _e(r["current_rank__code"] or "")
    if target:
        rank += f" → <strong>{_e(target)}</strong>"
    missing = "".join(f"<div>{_e(rule_text(f))}</div>" for f in json.loads(r["failing_json"] or "[]") or ())
    if status != "eligible" and r["next_eligible_date"]:
        day = _e(formats.date_format(r["next_eligible_date"], "DATE_FORMAT"))
        missing += f'<div class="text-body-secondary">{x.estimate % {"d": day}}</div>'
    action = ""
    if status != "proposed" and target:
        if window_closed and not is_admin:
            action = f'<span class="small text-body-secondary">{t["closed"]}</span>'
        else:
            late = ""
            if window_closed:
                late = (
                    f'<label class="form-label small" for="late-{pk}">{t["late"]}</label>\n'
                    f'        <textarea class="form-control form-control-sm mb-1" id="late-{pk}" name="late_reason"'
                    ' rows="2" required></textarea>'
                )
            if status == "eligible":
                button = (
                    f'<button class="btn btn-sm btn-success" type="submit" data-testid="propose-{emp}">'
                    f"{t['propose']}</button>"
                )
            else:
                button = (
                    f'<details><summary class="small">{t["exception"]}</summary>\n'
                    f'        <label class="form-label small" for="ovr-{pk}">{t["reason"]}</label>\n'
                    f'        <textarea class="form-control form-control-sm mb-1" id="ovr-{pk}" '
                    'name="override_reason" rows="2" required></textarea>\n'
                    f'        <button class="btn btn-sm btn-outline-warning" type="submit">{t["propose"]}</button>'
                    "</details>"
                )
            action = (
                f'\n      <form method="post" action="{x.propose_url}"><input type="hidden" '
                f'name="csrfmiddlewaretoken" value="{_CSRF_SLOT}"><input type="hidden" name="employee" value="{emp}">\n'
                f"      {late}\n      {button}\n      </form>"
            )
    prefix, suffix = x.outlook
    return (
        f'\n  <tr data-testid="queue-row-{emp}">\n'
        f'    <td><a href="{prefix}{emp}{suffix}">{name}</a>'
        f'<div class="small text-body-secondary">{_e(nip_display(r["employee__nip"]))}</div></td>\n'
        f'    <td class="small">{_e(r["unit__name"])}</td>\n'
        f'    <td class="small">{x.kinds.get(r["kind"], _e(r["kind"]))}</td>\n'
        f"    <td>{rank}</td>\n"
        f'    <td><span class="badge {_STATUS_BADGE.get(status, "text-bg-secondary")}">'
        f"{x.statuses.get(status, _e(status))}</span></td>\n"
        f'    <td class="small">{missing}</td>\n'
        f"    <td>{action}</td>\n  </tr>"
    )


_KEY_FIELDS = (*QUEUE_ROW_FIELDS, "failing_json")


def failing_text() -> Subquery:
    """A queue row's reasons as JSON text, read by a subquery on its id: PostgreSQL then turns only the page's rows'
    jsonb into text, after the sort and LIMIT (an output expression costlier than a column is postponed past them),
    instead of every row of a unit's or a head's queue before sorting them (`failing::text` on ~430 rows was two
    thirds of the query)."""
    from ..models import QueueEntry

    text = Cast("failing", output_field=TextField())
    return Subquery(
        QueueEntry.objects.filter(pk=OuterRef("pk")).order_by().values(text=text)[:1], output_field=TextField()
    )


def queue_table_values(qs: QuerySet[Any]) -> QuerySet[Any]:
    """The queue rows as `queue_rows` reads them: plain values, the reasons as JSON text."""
    return qs.values(*QUEUE_ROW_FIELDS, failing_json=failing_text())


@register.simple_tag(takes_context=True)
def queue_rows(
    context: dict[str, Any], rows: list[dict[str, Any]], period_pk: int, window_closed: bool, is_admin: bool
) -> SafeString:
    """The queue table's rows: employee (link to the outlook, NIP), unit, KP type, rank → target, status, what is
    missing and the estimated period, and the propose form (with the late or the exception reason)."""
    flags = (get_language(), period_pk, bool(window_closed), bool(is_admin))
    texts: _QueueTexts | None = None
    out = []
    for r in rows:
        key = (*flags, *(r[f] for f in _KEY_FIELDS))
        html = _ROW_MEMO.get(key)
        if html is None:
            texts = texts or _QueueTexts(period_pk)
            html = _queue_row(r, texts, bool(window_closed), bool(is_admin))
            if len(_ROW_MEMO) >= ROW_MEMO_MAX:
                _ROW_MEMO.clear()
            _ROW_MEMO[key] = html
        out.append(html)
    csrf = _e(context.get("csrf_token") or "")
    return mark_safe("".join(out).replace(_CSRF_SLOT, csrf))  # noqa: S308 (every value escaped above)


_SELECT_MEMO: dict[tuple[Any, ...], str] = {}
SELECT_MEMO_MAX = 200


@register.simple_tag
def select_filter_field(bound_field: Any) -> SafeString:
    """asn_portal's `filter_field` for a choice filter with hundreds of options (the unit picker), the same
    markup with one `html.escape` per option; written once per distinct picker (kept by its name, label, chosen
    value and every option's value and text, in the active language: a changed unit list is another key)."""
    field_id = bound_field.auto_id or f"id_{bound_field.html_name}"
    value = bound_field.value()
    selected = "" if value is None else str(value)
    pairs = getattr(bound_field.field, "choice_pairs", None)  # read once per form (promotions.filters)
    choices = pairs() if pairs else tuple((str(getattr(v, "value", v)), str(t)) for v, t in bound_field.field.choices)
    key = (bound_field.html_name, field_id, str(bound_field.label), selected, choices)
    html = _SELECT_MEMO.get(key)
    if html is None:
        options = "".join(
            f'<option value="{_e(val)}"{" selected" if val == selected else ""}>{_e(text)}</option>'
            for val, text in choices
        )
        html = (
            f'<div class="mb-3"><label class="form-label" for="{_e(field_id)}">{_e(bound_field.label)}</label>'
            f'<select name="{_e(bound_field.html_name)}" id="{_e(field_id)}" class="form-select">{options}</select>'
            "</div>"
        )
        if len(_SELECT_MEMO) >= SELECT_MEMO_MAX:
            _SELECT_MEMO.clear()
        _SELECT_MEMO[key] = html
    return mark_safe(html)  # noqa: S308 (every value escaped above)


# The fields of a proposal row (`proposal_rows` reads these keys of a `PromotionProposal.objects.values(...)` row).
PROPOSAL_ROW_FIELDS = (
    "id",
    "employee_id",
    "employee__front_title",
    "employee__name",
    "employee__back_title",
    "employee__unit__name",
    "override_reason",
    "period__period_date",
    "current_rank__code",
    "target_rank__code",
    "status",
    "decree_number",
    "batch__number",
)


@register.simple_tag
def proposal_rows(rows: list[dict[str, Any]]) -> SafeString:
    """The proposal list's rows: number, employee (with the exception badge), unit, period, rank → target,
    status, decree number and BKN batch."""
    from ..choices import ProposalStatus

    prefix, suffix = _url_pattern("promotions:proposal-detail")
    statuses = {value: _e(label) for value, label in ProposalStatus.choices}
    exception = _e(gettext("pengecualian"))
    periods: dict[Any, str] = {}
    out = []
    for r in rows:
        pk = r["id"]
        href = f"{prefix}{pk}{suffix}"
        name = _e(full_name(r["employee__front_title"], r["employee__name"], r["employee__back_title"]))
        badge = f' <span class="badge text-bg-warning">{exception}</span>' if r["override_reason"] else ""
        day = r["period__period_date"]
        if day not in periods:
            periods[day] = _e(formats.date_format(day))
        batch = f" #{r['batch__number']}" if r["batch__number"] is not None else ""
        out.append(
            f'\n  <tr><td><a href="{href}">{pk}</a></td><td><a href="{href}">{name}</a>{badge}</td>'
            f'<td class="small">{_e(r["employee__unit__name"] or "")}</td><td>{periods[day]}</td>'
            f"<td>{_e(r['current_rank__code'])} → {_e(r['target_rank__code'])}</td>"
            f'<td><span class="badge text-bg-light border">{statuses.get(r["status"], _e(r["status"]))}</span></td>'
            f'<td class="small">{_e(r["decree_number"] or "")}{batch}</td></tr>\n  '
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag(takes_context=True)
def period_options(context: dict[str, Any], periods: Any) -> SafeString:
    """The proposal list's period picker options (`?period=` selected)."""
    request = context.get("request")
    chosen = request.GET.get("period") if request is not None else None
    return mark_safe(  # noqa: S308 (every value escaped above)
        "".join(
            f'<option value="{p.pk}"{" selected" if chosen == str(p.pk) else ""}>'
            f"{_e(formats.date_format(p.period_date))}</option>"
            for p in periods
        )
    )
