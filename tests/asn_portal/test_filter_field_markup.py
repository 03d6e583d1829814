"""`{% filter_field %}` (the filter bars of the list pages) renders a select's options without a `format_html`
call per option (issue #13) and gives exactly the markup it gave before: every value and label escaped the way
Django escapes them (safe strings kept, lazy translations translated), the chosen option selected."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from asn_portal.templatetags.portal import filter_field
from people.models import OrgUnit


def _before(bound_field: Any) -> str:
    """The tag's rendering before the change (format_html_join per option), as the reference."""
    field_id = bound_field.auto_id or f"id_{bound_field.html_name}"
    label = format_html('<label class="form-label" for="{}">{}</label>', field_id, bound_field.label)
    value = bound_field.value()
    selected = "" if value is None else str(value)
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (str(val), mark_safe(" selected") if str(val) == selected else "", text)
            for val, text in ((getattr(v, "value", v), t) for v, t in bound_field.field.choices)
        ),
    )
    control = format_html(
        '<select name="{}" id="{}" class="form-select">{}</select>', bound_field.html_name, field_id, options
    )
    return format_html('<div class="mb-3">{}{}</div>', label, conditional_escape(control))


class _Form(forms.Form):
    kind = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Semua"),
            ("a&b", 'A & B <"x">'),
            ("'q'", mark_safe("<b>aman</b>")),
            ("lazy", gettext_lazy("Semua unit")),
            (3, "tiga"),
        ],
    )


@pytest.mark.parametrize("chosen", ["", "a&b", "'q'", "3", "lazy", "none-of-them"])
def test_the_markup_is_the_one_before(chosen: str) -> None:
    bound = _Form({"kind": chosen})["kind"]
    assert str(filter_field(bound)) == str(_before(bound))
    assert "&lt;&quot;x&quot;&gt;" in str(filter_field(bound)) and "<b>aman</b>" in str(filter_field(bound))


@pytest.mark.django_db
def test_a_model_choice_filter_is_the_same(org: Any) -> None:
    class Units(forms.Form):
        unit = forms.ModelChoiceField(queryset=OrgUnit.objects.order_by("name"), required=False)

    for data in ({}, {"unit": str(org.bidang.pk)}):
        bound = Units(data)["unit"]
        rendered = str(filter_field(bound))
        assert rendered == str(_before(bound)) and "Bidang Pelayanan" in rendered
    assert f'value="{org.bidang.pk}" selected' in str(filter_field(Units({"unit": str(org.bidang.pk)})["unit"]))


def test_the_kept_options_follow_the_language_and_the_selection() -> None:
    """The options' markup is kept per list of values and labels (`_options_html`): a lazy label gives each
    language its own markup, and each request's choice is marked on it (a value listed twice: both)."""
    from django.utils import translation

    class _Twice(forms.Form):
        kind = forms.ChoiceField(required=False, choices=[("x", "X"), ("y", gettext_lazy("Semua")), ("x", "X2")])

    seen = set()
    for language in ["id", "en", "id"]:
        with translation.override(language):
            for chosen in ["", "x", "y"]:
                bound = _Twice({"kind": chosen})["kind"]
                markup = str(filter_field(bound))
                assert markup == str(_before(bound))
                seen.add((language, markup))
    with translation.override("en"):
        english = str(filter_field(_Twice({"kind": "x"})["kind"]))
    assert english.count(" selected>") == 2 and ">All<" in english
    assert len(seen) == 6  # three choices in two languages
