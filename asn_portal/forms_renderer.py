"""The form renderer (settings.FORM_RENDERER): Django's widget HTML, built in Python for the common widgets.

Every form control on a page (filter bars on list pages, edit forms, crispy fields) is rendered by Django through
a template per widget plus one `{% include %}` per attribute list and per <option>: ~0.3 ms for a plain text
input, more for a select. `FastWidgetRenderer` produces the same string for `<input>` widgets (text, number,
date, email, hidden, checkbox, ...), <textarea> and <select>/<option>, without the template engine; any other
template, an unusual option template, or a project/app template overriding one of Django's widget templates
goes through Django's templates as before. Equality with Django's output is tested widget by widget
(tests/asn_portal/test_forms_renderer.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]

_WIDGETS = "django/forms/widgets/"
_INPUT_TEMPLATES = frozenset(
    _WIDGETS + name
    for name in (
        "input.html",
        "text.html",
        "number.html",
        "email.html",
        "url.html",
        "password.html",
        "hidden.html",
        "date.html",
        "datetime.html",
        "time.html",
        "checkbox.html",
        "search.html",
        "tel.html",
        "color.html",
    )
)
_SELECT = _WIDGETS + "select.html"
_OPTION = _WIDGETS + "select_option.html"
_TEXTAREA = _WIDGETS + "textarea.html"
_DJANGO_FORMS_DIR = str(Path(DjangoTemplates.__module__.replace(".", "/")).parent)  # "django/forms"


def _var(value: Any) -> str:
    """`{{ value }}` in an autoescaping template."""
    return str(conditional_escape(localize(template_localtime(value))))


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` in an autoescaping template."""
    text = str(value)  # "%s" % value, and str() of a tuple as the filter does
    return text if isinstance(value, SafeData) else str(escape(text))


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(f" {_var(name)}" if value is True else f' {_var(name)}="{_formatted(value)}"')
    return "".join(out)


def _input(widget: dict[str, Any]) -> str:
    value = f' value="{_formatted(widget["value"])}"' if widget["value"] != None else ""  # noqa: E711 - as the template
    return f'<input type="{_var(widget["type"])}" name="{_var(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _option(option: dict[str, Any]) -> str:
    return f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>{_var(option["label"])}</option>'


def _select(widget: dict[str, Any]) -> str | None:
    out = [f'<select name="{_var(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_var(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None
            out.append(f"\n  {_option(option)}\n")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _textarea(widget: dict[str, Any]) -> str:
    value = _var(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_var(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


class FastWidgetRenderer(DjangoTemplates):
    """Django's DjangoTemplates form renderer with the common widgets rendered in Python (see the module)."""

    def __init__(self) -> None:
        super().__init__()
        self._own: dict[str, bool] = {}

    def _is_djangos(self, template_name: str) -> bool:
        """True when the engine would load Django's own file for this widget template (not an override)."""
        own = self._own.get(template_name)
        if own is None:
            origin = str(self.get_template(template_name).origin.name)  # type: ignore[union-attr]
            own = origin.replace("\\", "/").endswith(f"{_DJANGO_FORMS_DIR}/templates/{template_name}")
            self._own[template_name] = own
        return own

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and template_name.startswith(_WIDGETS) and self._is_djangos(template_name):
            html: str | None = None
            if template_name in _INPUT_TEMPLATES and self._is_djangos(_WIDGETS + "input.html"):
                html = _input(widget)
            elif template_name == _SELECT and self._is_djangos(_OPTION):
                html = _select(widget)
            elif template_name == _TEXTAREA:
                html = _textarea(widget)
            if html is not None and self._is_djangos(_WIDGETS + "attrs.html"):
                return html.strip()
        return str(super().render(template_name, context, request=request))
