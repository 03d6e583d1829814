"""Form widgets shared by every app's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

PICKER_TEXTS = {"data-picker-empty": _("Tidak ada yang cocok"), "data-picker-remove": _("Hapus")}


class IsoDateInput(forms.DateInput):
    """<input type="date">: browsers accept only ISO values (2026-11-30), whatever the page language; a
    localised value ("30-11-2026") would be dropped and the field shown blank."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs=attrs, format=format or "%Y-%m-%d")


class _DirectOptions:
    """Renders the <select> and its options in Python instead of one template include per option: a picker
    over an agency's 1,100 posts cost ~1.5 s a page through the per-option templates, this ~20 ms. The HTML
    is Django's own select (same attributes, option values, selected/optgroup markup)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        parts: list[str] = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html('<option value="{}"{}>{}</option>', o["value"], flatatt(o["attrs"]), o["label"])
                for o in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # every part above was escaped by format_html


class SearchableSelectMultiple(_DirectOptions, forms.SelectMultiple):
    """A multi-select shown as a searchable chip picker (Tom Select, vendored; enabled by static/js/app.js)."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__(attrs={"data-picker": "tags", **PICKER_TEXTS, **(attrs or {})}, choices=choices)


class SearchableSelect(_DirectOptions, forms.Select):
    """A long single-choice list with type-to-search (Tom Select)."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__(attrs={"data-picker": "search", **PICKER_TEXTS, **(attrs or {})}, choices=choices)
