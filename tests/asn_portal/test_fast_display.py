"""The base model's choice labels (mapped once per field) and the searchable select (rendered in Python) give the
same output as Django's own code paths, in each language."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Model
from django.utils import translation

from asn_portal.widgets import SearchableSelect, SearchableSelectMultiple
from people.choices import PositionType
from people.models import Position
from training.choices import CourseFormat
from training.models import Course


def _django_display(obj: Any, name: str) -> Any:
    return Model._get_FIELD_display(obj, obj._meta.get_field(name))


def test_choice_labels_equal_django_in_both_languages_and_for_unknown_values() -> None:
    for lang in ("id", "en"):
        with translation.override(lang):
            for value in [*CourseFormat.values, "bukan-format", ""]:
                course = Course(format=value)
                assert course.get_format_display() == _django_display(course, "format")
            for value in PositionType.values:
                position = Position(kind=value)
                assert position.get_kind_display() == _django_display(position, "kind")


def _normalise(html: str) -> list[str]:
    """Tags and texts in order, each tag's attributes sorted (attribute order and whitespace do not matter)."""
    out = []
    for tag, text in re.findall(r"(<[^>]+>)|([^<]+)", html):
        if tag:
            name, *attrs = re.findall(r'[\w/-]+(?:="[^"]*")?', tag)
            out.append(" ".join([name, *sorted(attrs)]))
        elif text.strip():
            out.append(text.strip())
    return out


def test_searchable_selects_render_like_django_select() -> None:
    choices: list[Any] = [("", "---"), ("1", 'A <b>"&'), ("Grup", [("2", "x"), ("3", "y")])]

    class Form(forms.Form):
        one = forms.ChoiceField(choices=choices, widget=SearchableSelect)
        many = forms.MultipleChoiceField(choices=choices[1:], widget=SearchableSelectMultiple, required=False)

    form = Form(initial={"one": "3", "many": ["1", "2"]})
    for name, base in (("one", forms.Select), ("many", forms.SelectMultiple)):
        ours = str(form[name])
        widget = form.fields[name].widget
        attrs = form[name].build_widget_attrs({"id": form[name].auto_id})
        theirs = base.render(widget, form[name].html_name, form[name].value(), attrs)
        assert _normalise(ours) == _normalise(theirs)
        assert "&lt;b&gt;&quot;&amp;" in ours or name == "many"
    assert '<option value="3" selected>y</option>' in str(form["one"])
