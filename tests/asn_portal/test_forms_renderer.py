"""The portal's form renderer (asn_portal.forms_renderer, widget HTML built in Python) gives byte for byte the HTML
Django's own template renderer gives, for every widget kind the portal uses, awkward values included, in both
languages; and it is the renderer forms actually use."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from asn_portal.forms_renderer import FastWidgetRenderer
from asn_portal.widgets import IsoDateInput, SearchableSelect
from training.choices import CourseFormat

AWKWARD = [None, "", "teks biasa", "<b>\"tanda\" & 'kutip'</b>", mark_safe("<i>aman</i>"), 0, 1234567, Decimal("12.50")]
CHOICES: list[Any] = [
    ("", "---------"),
    (1, "Satu"),
    (2, '<Dua & "tiga">'),
    (1234567, 1234567),
    ("Kelompok", [("a", gettext_lazy("Draf")), ("b", Decimal("2.5"))]),
    (date(2026, 11, 30), date(2026, 11, 30)),
]
ATTRS: dict[str, Any] = {"class": "form-control", "required": True, "disabled": False, "data-x": 'a"b<', "min": 0}


def _widgets() -> list[tuple[forms.Widget, list[Any]]]:
    return [
        (forms.TextInput(attrs=ATTRS), AWKWARD),
        (forms.NumberInput(attrs={"step": "any"}), [None, 3, Decimal("2.75"), 1234567]),
        (forms.EmailInput(), AWKWARD),
        (forms.PasswordInput(render_value=True), AWKWARD),
        (forms.HiddenInput(), AWKWARD),
        (forms.DateInput(), [None, date(2026, 11, 30), "2026-11-30"]),
        (IsoDateInput(), [None, date(2026, 11, 30)]),
        (forms.DateTimeInput(), [None, datetime(2026, 11, 30, 14, 5)]),
        (forms.CheckboxInput(attrs={"class": "form-check-input"}), [None, True, False, "on"]),
        (forms.Textarea(attrs={"rows": 3}), AWKWARD),
        (forms.Select(choices=CHOICES, attrs=ATTRS), [None, "", 1, "2", 1234567, "a", "b", "zz"]),
        (forms.Select(choices=CourseFormat.choices), [None, *CourseFormat.values]),
        (forms.SelectMultiple(choices=CHOICES), [None, [], [1, "a"], ["2", "b", 1234567]]),
        (forms.NullBooleanSelect(), [None, True, False, "unknown"]),
        (SearchableSelect(choices=CHOICES), [None, 1, "a"]),
        (forms.RadioSelect(choices=CHOICES[:3]), [None, 1]),  # not built in Python: Django's templates
        (forms.ClearableFileInput(), [None]),
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_widget_renders_exactly_as_djangos_templates(language: str) -> None:
    django_renderer, fast = DjangoTemplates(), FastWidgetRenderer()
    compared = 0
    with translation.override(language):
        for widget, values in _widgets():
            for value in values:
                expected = widget.render("f", value, attrs={"id": "id_f"}, renderer=django_renderer)
                assert widget.render("f", value, attrs={"id": "id_f"}, renderer=fast) == expected, (widget, value)
                compared += 1
    assert compared > 80


def test_crispy_filter_bar_renders_exactly_as_before() -> None:
    class Filter(forms.Form):
        status = forms.ChoiceField(label="Status", choices=CHOICES[:3], required=False)
        q = forms.CharField(label="Cari", required=False)
        since = forms.DateField(label="Mulai", required=False, widget=IsoDateInput())
        active = forms.BooleanField(label="Aktif", required=False)
        note = forms.CharField(label="Catatan", required=False, widget=forms.Textarea)

    template = engines["django"].from_string(
        "{% load crispy_forms_tags %}{% for f in form %}{{ f|as_crispy_field }}{% endfor %}"
    )
    data = {"status": "2", "q": '<x & "y">', "since": "2026-11-30", "active": "on"}
    for bound in (None, data, {"since": "bukan tanggal"}):
        html = [template.render({"form": Filter(bound, renderer=r)}) for r in (DjangoTemplates(), FastWidgetRenderer())]
        assert html[1] == html[0]
        if bound is data:
            assert 'value="&lt;x &amp; &quot;y&quot;&gt;"' in html[1] and '<option value="2" selected>' in html[1]


def test_inputs_selects_and_textareas_skip_the_template_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = FastWidgetRenderer()
    widgets = [forms.TextInput(), forms.Select(choices=CHOICES), forms.Textarea(), forms.CheckboxInput()]
    warm = [w.render("f", None, renderer=fast) for w in widgets]

    def no_templates(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("rendered through a template")

    monkeypatch.setattr(DjangoTemplates, "render", no_templates)
    assert [w.render("f", None, renderer=fast) for w in widgets] == warm
    with pytest.raises(AssertionError):
        forms.RadioSelect(choices=CHOICES[:2]).render("f", None, renderer=fast)


def test_forms_use_the_portal_renderer() -> None:
    assert isinstance(get_default_renderer(), FastWidgetRenderer)
    assert isinstance(forms.Form().renderer or get_default_renderer(), FastWidgetRenderer)
