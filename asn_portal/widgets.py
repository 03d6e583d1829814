"""Form widgets shared by every app's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

PICKER_TEXTS = {"data-picker-empty": _("Tidak ada yang cocok"), "data-picker-remove": _("Hapus")}


class IsoDateInput(forms.DateInput):
    """<input type="date">: browsers accept only ISO values (2026-11-30), whatever the page language; a
    localised value ("30-11-2026") would be dropped and the field shown blank."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs=attrs, format=format or "%Y-%m-%d")


class SearchableSelectMultiple(forms.SelectMultiple):
    """A multi-select shown as a searchable chip picker (Tom Select, vendored; enabled by static/js/app.js)."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__(attrs={"data-picker": "tags", **PICKER_TEXTS, **(attrs or {})}, choices=choices)


class SearchableSelect(forms.Select):
    """A long single-choice list with type-to-search (Tom Select)."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__(attrs={"data-picker": "search", **PICKER_TEXTS, **(attrs or {})}, choices=choices)
