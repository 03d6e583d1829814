"""Small template helpers shared by every app."""

from __future__ import annotations

import html
from typing import Any

from django import template
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.html import format_html

from asn_portal.idempotency import FORM_FIELD, is_valid_key, new_key

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **kwargs: Any) -> str:
    """The current query string with some parameters replaced (pagination, sorting)."""
    request = context.get("request")
    query: QueryDict = request.GET.copy() if request else QueryDict(mutable=True)
    for key, value in kwargs.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def get_item(mapping: dict[Any, Any] | None, key: Any) -> Any:
    return (mapping or {}).get(key)


@register.filter
def percent(value: Any, digits: int = 1) -> str:
    """A percentage in the active language: 81,5% (Indonesian), 81.5% (English)."""
    if value is None or value == "":
        return "–"
    from django.utils.formats import number_format

    return number_format(round(float(value), digits), decimal_pos=digits) + "%"


@register.filter
def schedule_in_words(task: Any) -> str:
    """A scheduled job's crontab/interval in words in the active language."""
    from asn_portal.schedules import describe_schedule

    return describe_schedule(task)


def _escape(text: Any) -> str:
    """`django.utils.html.conditional_escape` as a plain string: safe strings as they are, anything else
    (lazy translations included) HTML-escaped exactly as Django escapes it."""
    if type(text) is str:  # the common case: a plain string has no __html__
        return html.escape(text)
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return str(text.__html__())
    return html.escape(str(text))


# The <option> markup of a choice list, by the list's values and labels (as the active language gives them): a
# unit filter's few hundred options are the same on every page of a user's list, and escaping them was most of
# its cost (issue #13). Keyed by the full input, so nothing goes stale; cleared when it grows past the limit.
_OPTIONS_HTML: dict[Any, str] = {}
_OPTIONS_HTML_LIMIT = 256


def _options_html(choices: Any, given_key: Any = None) -> str:
    """The options of `choices` (none selected): one f-string per option with Django's own escaping rule
    (`_escape`), built once per distinct list of values and labels, or per `given_key` (a field's
    `options_key()`: a hashable value that determines its choices, cheaper to build than their list)."""
    key = given_key
    if key is None:
        key = _choices_key(choices)
    markup = _OPTIONS_HTML.get(key)
    if markup is None:
        pairs = _choices_key(choices) if given_key is not None else key
        markup = "".join(f'<option value="{_escape(val)}">{_escape(text)}</option>' for val, text, _t in pairs)
        if len(_OPTIONS_HTML) >= _OPTIONS_HTML_LIMIT:
            _OPTIONS_HTML.clear()
        _OPTIONS_HTML[key] = markup
    return markup


def _choices_key(choices: Any) -> tuple[tuple[str, Any, type], ...]:
    return tuple(
        (str(getattr(v, "value", v)), text := str(label) if isinstance(label, Promise) else label, type(text))
        for v, label in choices
    )


def _selected(options: str, selected: str) -> str:
    """`options` with every option whose value is `selected` marked selected: values and labels are escaped, so
    `<option value="…">` with this value occurs only as that option's own start tag."""
    start = f'<option value="{_escape(selected)}">'
    return options.replace(start, f'<option value="{_escape(selected)}" selected>')


@register.simple_tag
def filter_field(bound_field: Any) -> str:
    """A labelled filter control rendered in one pass. Crispy/Django widget templates render each
    <option> through a template, which costs tens of milliseconds for a unit list of hundreds of
    options; filter bars on list pages use this instead."""

    from django.forms import Select, SelectMultiple
    from django.utils.html import conditional_escape, format_html
    from django.utils.safestring import mark_safe

    widget = bound_field.field.widget
    field_id = bound_field.auto_id or f"id_{bound_field.html_name}"
    label = format_html('<label class="form-label" for="{}">{}</label>', field_id, bound_field.label)
    if isinstance(widget, Select) and not isinstance(widget, SelectMultiple):
        value = bound_field.value()
        selected = "" if value is None else str(value)
        options_key = getattr(bound_field.field, "options_key", None)
        markup = _options_html(bound_field.field.choices, options_key() if options_key is not None else None)
        options = mark_safe(_selected(markup, selected))  # noqa: S308 - every value and label escaped
        control = format_html(
            '<select name="{}" id="{}" class="form-select">{}</select>', bound_field.html_name, field_id, options
        )
    else:
        attrs = {"class": "form-control"}
        control = bound_field.as_widget(attrs=attrs)
    return format_html('<div class="mb-3">{}{}</div>', label, conditional_escape(control))


@register.simple_tag(takes_context=True)
def idempotency_field(context: dict[str, Any]) -> str:
    """Hidden key that makes a create form's submit happen once (a re-shown form keeps its key)."""
    request = context.get("request")
    posted = request.POST.get(FORM_FIELD, "") if request is not None and request.method == "POST" else ""
    key = posted if is_valid_key(posted) else new_key()
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_FIELD, key)


@register.filter
def rule_text(entry: Any) -> str:
    """A stored rule reason or merit source ({message, params}) in the reader's language."""
    from asn_portal.i18n_text import rule_text as render

    return render(entry)


@register.filter
def catalogue_text(value: Any) -> str:
    """A stored Indonesian catalogue text (e.g. a merit component's label) in the reader's language."""
    from django.utils.translation import gettext

    return gettext(str(value)) if value else ""
