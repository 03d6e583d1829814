"""The long tables of the careers pages (a page of 50 follow-ups, a head's team, a 9-box list), written as HTML in
one pass: the same markup as the template loops they replace, without a template variable lookup, a lazy
translation or an autoescape call per cell. Every value is escaped with `html.escape` (the same five characters as
Django's `escape`)."""

from __future__ import annotations

import datetime as dt
import functools
from html import escape
from typing import Any

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from careers.choices import (
    DevelopmentOpportunity,
    FollowUpKind,
    FollowUpStatus,
    PlanStatus,
    SessionKind,
    SessionMode,
)
from performance.choices import Predikat

register = template.Library()


def _e(value: Any) -> str:
    return escape(str(value))


@register.simple_tag(takes_context=True)
def follow_up_rows(context: dict[str, Any], items: list[dict[str, Any]], decision_options: str) -> SafeString:
    """The follow-up list's rows (careers/follow_up_list.html; `values()` dicts of
    `careers.followups.views.ROW_KEYS` with `can_decide` and `can_done`): person and unit, predikat, kind and its
    detail, status and the head's reason, then the decision form, the "done" form or the date carried out."""
    request = context.get("request")
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(get_token(request))}">' if request else ""
    t = {
        "decision": _e(gettext("Keputusan")),
        "sessions": _e(gettext("Jumlah sesi pembinaan")),
        "reason": _e(gettext("Alasan")),
        "reason_ph": _e(gettext("Alasan (wajib bila disesuaikan/dibatalkan)")),
        "save": _e(gettext("Simpan")),
        "done": _e(gettext("Tandai terlaksana")),
    }
    # Each label translated once per table, not once per row (AppraisalFollowUp.get_*_display).
    predikats, kinds, statuses, opportunities = (
        {v: _e(label) for v, label in c.choices}
        for c in (Predikat, FollowUpKind, FollowUpStatus, DevelopmentOpportunity)
    )
    out = []
    for it in items:
        pk = it["pk"]
        detail = ""
        kind, status, opportunity, sessions_planned = (
            it["kind"],
            it["status"],
            it["opportunity"],
            it["sessions_planned"],
        )
        if it["recognition_type__name"] is not None:
            detail += _e(it["recognition_type__name"])
        if opportunity:
            detail += opportunities.get(opportunity) or _e(opportunity)
        if sessions_planned:
            detail += _e(gettext("%(n)s sesi bimbingan") % {"n": sessions_planned})
        reason = f'<div class="small">{_e(it["head_reason"])}</div>' if it["head_reason"] else ""
        if it["can_decide"]:
            sessions = (
                f'<label class="visually-hidden" for="s-{pk}">{t["sessions"]}</label><input id="s-{pk}" '
                f'type="number" min="0" max="12" name="sessions_planned" value="{_e(sessions_planned)}" '
                f'class="form-control form-control-sm w-auto">'
                if kind == "coaching"
                else ""
            )
            action = (
                f'\n    <form method="post" class="d-flex flex-wrap gap-1" novalidate>{csrf}<input type="hidden" '
                f'name="item" value="{pk}"><input type="hidden" name="op" value="decide">\n'
                f'      <label class="visually-hidden" for="d-{pk}">{t["decision"]}</label><select id="d-{pk}" '
                f'name="decision" class="form-select form-select-sm w-auto">{decision_options}</select>\n'
                f"      {sessions}\n"
                f'      <label class="visually-hidden" for="x-{pk}">{t["reason"]}</label><input id="x-{pk}" '
                f'name="reason" class="form-control form-control-sm w-auto" placeholder="{t["reason_ph"]}">\n'
                f'      <button class="btn btn-outline-dark btn-sm" type="submit">{t["save"]}</button></form>\n  '
            )
        elif it["can_done"]:
            action = (
                f'\n    <form method="post">{csrf}<input type="hidden" name="item" value="{pk}"><input '
                f'type="hidden" name="op" value="done"><button class="btn btn-outline-success btn-sm" '
                f'type="submit">{t["done"]}</button></form>\n  '
            )
        elif it["done_on"]:
            action = _e(date_format(it["done_on"], "DATE_FORMAT"))
        else:
            action = ""
        out.append(
            f'\n  <tr><td>{_e(it["employee__name"])}<div class="small text-body-secondary">'
            f"{_e(it['unit__name'])}</div></td>"
            f"<td>{predikats.get(it['predikat']) or _e(it['predikat'])}</td>\n"
            f'  <td>{kinds.get(kind) or _e(kind)}<div class="small">{detail}</div></td>\n'
            f'  <td><span class="badge text-bg-secondary">{statuses.get(status) or _e(status)}</span>'
            f"{reason}</td>\n"
            f"  <td>{action}</td></tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


def _url_pattern(name: str) -> tuple[str, str]:
    """(prefix, suffix) of a URL with one integer argument, reversed once: prefix + str(pk) + suffix."""
    from django.urls import reverse

    sentinel = 987654321
    prefix, suffix = reverse(name, args=[sentinel]).split(str(sentinel))
    return _e(prefix), _e(suffix)


@register.simple_tag
def team_rows(employees: list[Any]) -> SafeString:
    """The head's team table rows (careers/team.html): name and post, unit, last session (and the "needs coaching"
    badge), open and overdue action items, the link to the timeline."""
    prefix, suffix = _url_pattern("careers:timeline")
    stale_badge = f' <span class="badge text-bg-warning">{_e(gettext("perlu dibimbing"))}</span>'
    timeline = _e(gettext("Linimasa"))
    out = []
    for e in employees:
        last = _e(date_format(e.last_session, "DATE_FORMAT")) if e.last_session else "—"
        position = e.position.title if e.position_id else ""
        overdue_cls = " text-danger fw-semibold" if e.overdue_items else ""
        out.append(
            f'\n  <tr data-testid="team-row"><td>{_e(e.name)}<div class="small text-body-secondary">{_e(position)}'
            f"</div></td><td>{_e(e.unit.name)}</td>\n"
            f"    <td>{last}{stale_badge if e.stale else ''}</td>\n"
            f'    <td class="text-end">{e.open_items}</td><td class="text-end{overdue_cls}">{e.overdue_items}</td>\n'
            f'    <td><a href="{prefix}{e.pk}{suffix}">{timeline}</a></td></tr>\n  '
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def session_rows(sessions: list[Any]) -> SafeString:
    """The sessions table rows (careers/session_list.html): date, kind and mode, topic (link), coach, the mentees
    (`mentee_rows`: dicts of `careers.mentoring.views.SESSION_MENTEE_KEYS`, a check mark once confirmed)."""
    prefix, suffix = _url_pattern("careers:session-detail")
    kinds, modes = ({v: _e(label) for v, label in c.choices} for c in (SessionKind, SessionMode))
    check = f' <i class="bi bi-check-circle text-success" role="img" aria-label="{_e(gettext("dikonfirmasi"))}"></i>'
    out = []
    for s in sessions:
        mentees = ", ".join(f"{_e(m['employee__name'])}{check if m['confirmed_at'] else ''}" for m in s.mentee_rows)
        out.append(
            f"\n  <tr><td>{_e(date_format(s.held_on, 'DATE_FORMAT'))}</td><td>{kinds.get(s.kind) or _e(s.kind)} · "
            f"{modes.get(s.mode) or _e(s.mode)}</td><td>"
            f'<a href="{prefix}{s.pk}{suffix}">{_e(s.topics)}</a></td><td>{_e(s.coach.name)}</td>\n'
            f"  <td>{mentees}</td></tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def plan_rows(plans: list[Any]) -> SafeString:
    """The career plans table rows (careers/plan_list.html): person (link to the plan), unit, target (the post or
    else the job family), status, progress with done/total actions."""
    prefix, suffix = _url_pattern("careers:plan-detail")
    statuses = {v: _e(label) for v, label in PlanStatus.choices}
    out = []
    for p in plans:
        target = p.target_position.title if p.target_position_id else p.target_family
        out.append(
            f'\n    <tr><td><a href="{prefix}{p.pk}{suffix}">{_e(p.employee.name)}</a></td>'
            f"<td>{_e(p.employee.unit.name)}</td><td>{_e(target)}</td><td>"
            f'<span class="badge text-bg-secondary">{statuses.get(p.status) or _e(p.status)}</span></td>'
            f'<td>{p.progress}% <small class="text-body-secondary">({p.n_done}/{p.n_actions})</small></td></tr>\n  '
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag(takes_context=True)
def box_rows(context: dict[str, Any], placements: list[Any], can_manage: bool, box_options: str) -> SafeString:
    """A 9-box list's rows (careers/review_box.html; `values()` dicts of `careers.talent.views.BOX_ROW_KEYS` with
    `may_override` and the bands' labels): person (link to the timeline) and post, unit, performance and potential
    with their scores, the override note, and for BKD the override form (or why not)."""
    request = context.get("request")
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(get_token(request))}">' if request else ""
    prefix, suffix = _url_pattern("careers:timeline")
    t = {
        "own": _e(gettext("Data Anda sendiri: disesuaikan oleh admin BKD lain.")),
        "box": _e(gettext("Kotak baru")),
        "reason": _e(gettext("Alasan penyesuaian")),
        "reason_ph": _e(gettext("Alasan")),
        "save": _e(gettext("Simpan")),
    }
    moved = gettext("Disesuaikan dari kotak %(b)s")
    language = get_language()
    out = []
    for p in placements:
        pk = p["pk"]
        position = p["position__title"] or ""
        note = (
            f"{_e(moved % {'b': _localized(p['computed_box'], language)})}: {_e(p['override_reason'])}"
            if p["override_reason"]
            else ""
        )
        manage = ""
        if can_manage:
            if not p["may_override"]:
                form = f'<span class="small text-body-secondary" data-testid="own-record-note">{t["own"]}</span>'
            else:
                form = (
                    f'<form method="post" class="d-flex flex-wrap gap-1" novalidate>{csrf}<input type="hidden" '
                    f'name="placement" value="{pk}">\n'
                    f'    <label class="visually-hidden" for="b-{pk}">{t["box"]}</label><select id="b-{pk}" '
                    f'name="o-box" class="form-select form-select-sm w-auto">{box_options}</select>\n'
                    f'    <label class="visually-hidden" for="r-{pk}">{t["reason"]}</label><input id="r-{pk}" '
                    f'name="o-reason" class="form-control form-control-sm w-auto" placeholder="{t["reason_ph"]}">\n'
                    f'    <button class="btn btn-outline-dark btn-sm" type="submit">{t["save"]}</button></form>'
                )
            manage = f"<td>{form}</td>"
        performance_score = _e(_localized(p["performance_score"], language))
        potential_score = _e(_localized(p["potential_score"], language))
        out.append(
            f'\n  <tr><td><a href="{prefix}{p["employee_id"]}{suffix}">{_e(p["employee__name"])}</a>'
            f'<div class="small text-body-secondary">{_e(position)}</div></td><td>{_e(p["unit__name"])}</td>\n'
            f"  <td>{_e(p['performance_label'])} <small>({performance_score})</small></td>"
            f"<td>{_e(p['potential_label'])} <small>({potential_score})</small></td>\n"
            f'  <td class="small">{note}</td>\n'
            f"  {manage}</tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


def _localized(value: Any, language: str | None) -> str:
    """`localize(value)` of a number, formatted once per process and language (a 9-box page shows ~100 scores)."""
    return _localized_text(type(value).__name__, str(value), value, language)


@functools.lru_cache(maxsize=8192)
def _localized_text(kind: str, text: str, value: Any, language: str | None) -> str:
    # The key is the value's type name and text (Decimal("75.0") == Decimal("75.00") but they print differently);
    # `value` rides along for the formatting.
    from django.utils.formats import localize

    return str(localize(value))


def _ce(value: Any) -> str:
    """Django's `conditional_escape` (what `{{ value }}` writes): text marked safe as it is, else escaped."""
    html = getattr(value, "__html__", None)
    return str(html()) if html is not None else escape(str(value))


def _date(value: Any) -> str:
    """`{{ value|date:"DATE_FORMAT" }}`: an aware datetime in local time first, as the template does."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        if settings.USE_TZ and timezone.is_aware(value):
            value = timezone.localtime(value)
        return escape(date_format(value, "DATE_FORMAT"))
    return _date_text(value, get_language())


@functools.lru_cache(maxsize=4096)
def _date_text(value: dt.date, language: str | None) -> str:
    """A date's `DATE_FORMAT` text, escaped, formatted once per process and language (a timeline lists ~30)."""
    return escape(date_format(value, "DATE_FORMAT"))


@register.simple_tag
def timeline_events(events: list[dict[str, Any]]) -> SafeString:
    """The career timeline's history items (careers/_timeline_list.html, the page and the profile panel): date,
    the kind's label, the title (a link when the event has a url) and the detail line."""
    out = []
    for e in events:
        url, title, detail = e.get("url"), _ce(e.get("title", "")), e.get("detail")
        out.append(
            f'\n  <li class="d-flex gap-3 py-2 border-bottom" data-kind="{_ce(e.get("kind", ""))}">'
            f'<span class="text-nowrap small text-body-secondary">{_date(e.get("date"))}</span>\n'
            f'  <span><span class="badge text-bg-light border">{_ce(e.get("label", ""))}</span> '
            + (f'<a href="{_ce(url)}">{title}</a>' if url else title)
            + (f'<div class="small text-body-secondary">{_ce(detail)}</div>' if detail else "")
            + "</span></li>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)
