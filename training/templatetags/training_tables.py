"""The long tables of the training pages (a page of 25 external learning records to verify), written as HTML in one
pass: the same markup as the template loop they replace, without a template variable lookup, a lazy translation or
an autoescape call per cell (issue #13). Every value is escaped with `html.escape` (the same five characters as
Django's `escape`); numbers and dates go through the same filters the template used."""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from training.models import LearningRecord

register = template.Library()


def _e(value: Any) -> str:
    return escape(str(value))


def _url_pattern(name: str) -> tuple[str, str]:
    """(prefix, suffix) of a URL with one integer argument, reversed once: prefix + str(pk) + suffix."""
    sentinel = 987654321
    prefix, suffix = reverse(name, args=[sentinel]).split(str(sentinel))
    return _e(prefix), _e(suffix)


def _csrf_input(context: Any) -> str:
    """The form's hidden CSRF field as `{% csrf_token %}` writes it (nothing when the template has no token)."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(token)}">'


@register.simple_tag(takes_context=True)
def verify_rows(context: Any, records: list[Any]) -> SafeString:
    """The rows of "Verifikasi pembelajaran eksternal" (training/verify.html): the person and unit, the activity
    (format, provider, date, hours), JP, certificate, then the decision form or the own-record note."""
    csrf = _csrf_input(context)
    t = {
        k: _e(gettext(text))
        for k, text in (
            ("hours", "jam"),
            ("file", "berkas"),
            ("own", "Data Anda sendiri: diverifikasi oleh admin BKD lain."),
            ("reason", "Alasan"),
            ("reason_ph", "Alasan (wajib bila ditolak)"),
            ("verify", "Verifikasi"),
            ("reject", "Tolak"),
        )
    }
    formats = {v: _e(label) for v, label in LearningRecord._meta.get_field("format").flatchoices}
    prefix, suffix = _url_pattern("training:learning-certificate")
    out = []
    for r in records:
        pk = r.pk
        emp = r.employee
        unit = _e(emp.unit.name) if emp.unit is not None else ""
        fmt = formats[r.format] if r.format in formats else _e(r.get_format_display())
        hours = f" · {floatformat(r.hours, '-2')} {t['hours']}" if r.hours else ""
        certificate = _e(r.certificate_number or "–")
        if r.certificate_file:
            certificate += f' <a href="{prefix}{pk}{suffix}">{t["file"]}</a>'
        if not r.may_verify:
            decision = f'<span class="small text-body-secondary" data-testid="own-record-note">{t["own"]}</span>'
        else:
            decision = (
                f'<form method="post" class="d-flex flex-wrap gap-1">{csrf}<input type="hidden" name="record" '
                f'value="{pk}">\n<label class="visually-hidden" for="vr-{pk}">{t["reason"]}</label><input '
                f'id="vr-{pk}" name="reason" class="form-control form-control-sm" placeholder="{t["reason_ph"]}">\n'
                f'<button class="btn btn-success btn-sm" name="decision" value="approve" type="submit">{t["verify"]}'
                f'</button><button class="btn btn-outline-danger btn-sm" name="decision" value="reject" type="submit">'
                f"{t['reject']}</button></form>"
            )
        out.append(
            f'<tr><td>{_e(emp.full_name)}<div class="small text-body-secondary">{unit}</div></td>\n'
            f'<td>{_e(r.title)}<div class="small">{fmt} · {_e(r.provider)} · {_e(date_format(r.date, "DATE_FORMAT"))}'
            f"{hours}</div></td>\n"
            f'<td class="text-end">{floatformat(r.jp, "-2")}</td><td class="small">{certificate}</td>\n'
            f"<td>{decision}</td></tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


def _url_with_action(name: str, action: str) -> tuple[str, str]:
    """(prefix, suffix) of a URL with an integer argument and `action`, reversed once."""
    sentinel = 987654321
    prefix, suffix = reverse(name, args=[sentinel, action]).split(str(sentinel))
    return _e(prefix), _e(suffix)


@register.simple_tag(takes_context=True)
def team_request_rows(context: Any, requests: list[Any], team_url: str) -> SafeString:
    """The rows of the head's pending requests on "Pelatihan tim" (training/team.html): the person and unit, the
    course and offering with its start, then the approve and decline forms."""
    csrf = _csrf_input(context)
    t = {
        k: _e(gettext(text))
        for k, text in (
            ("approve", "Setujui"),
            ("reason", "Alasan"),
            ("reason_ph", "Alasan penolakan"),
            ("decline", "Tolak"),
        )
    }
    offering_prefix, offering_suffix = _url_pattern("training:offering-detail")
    approve_prefix, approve_suffix = _url_with_action("training:enrollment-action", "approve")
    decline_prefix, decline_suffix = _url_with_action("training:enrollment-action", "decline")
    next_url = f'<input type="hidden" name="next" value="{_e(team_url)}">'
    out = []
    for e in requests:
        pk, emp, offering = e.pk, e.employee, e.offering
        unit = _e(emp.unit.name) if emp.unit is not None else ""
        start = _e(date_format(offering.start_date, "DATE_FORMAT")) if offering.start_date else ""
        out.append(
            f'<tr><td>{_e(emp.full_name)}<div class="small text-body-secondary">{unit}</div></td>\n'
            f'<td><a href="{offering_prefix}{e.offering_id}{offering_suffix}">{_e(offering.course.title)} – '
            f'{_e(offering.name)}</a><div class="small">{start}</div></td>\n'
            f'<td><div class="d-flex flex-wrap gap-1">\n'
            f'<form method="post" action="{approve_prefix}{pk}{approve_suffix}">{csrf}{next_url}<button '
            f'class="btn btn-success btn-sm" type="submit">{t["approve"]}</button></form>\n'
            f'<form method="post" action="{decline_prefix}{pk}{decline_suffix}" class="d-flex gap-1">{csrf}{next_url}'
            f'<label class="visually-hidden" for="reason-{pk}">{t["reason"]}</label><input id="reason-{pk}" '
            f'name="reason" required class="form-control form-control-sm" placeholder="{t["reason_ph"]}"><button '
            f'class="btn btn-outline-danger btn-sm" type="submit">{t["decline"]}</button></form>\n'
            f"</div></td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)
