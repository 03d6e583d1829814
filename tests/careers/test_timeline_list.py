"""careers/_timeline_list.html writes its items in one pass (`careers_tables.timeline_events`): the same HTML as
the template loop it replaced, for every kind of event (issue #13)."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

# The template as it was before the items were written by the tag.
OLD = (
    '{% load i18n %}<ol class="list-unstyled timeline mb-0">{% for e in events %}\n'
    '  <li class="d-flex gap-3 py-2 border-bottom" data-kind="{{ e.kind }}"><span class="text-nowrap small'
    ' text-body-secondary">{{ e.date|date:"DATE_FORMAT" }}</span>\n'
    '  <span><span class="badge text-bg-light border">{{ e.label }}</span> {% if e.url %}<a href="{{ e.url }}">'
    '{{ e.title }}</a>{% else %}{{ e.title }}{% endif %}{% if e.detail %}<div class="small text-body-secondary">'
    "{{ e.detail }}</div>{% endif %}</span></li>\n"
    '{% empty %}<li>{% include "partials/empty.html" with message=_("Belum ada riwayat.") %}</li>{% endfor %}</ol>\n'
)

EVENTS = [
    {
        "date": dt.date(2026, 5, 27),
        "kind": "bimbingan",
        "label": gettext_lazy("Bimbingan"),
        "title": 'Mentoring: <Koordinasi> & "OPD"',
        "detail": "Kartika 'S'",
        "url": "/karier/bimbingan/7/?a=1&b=2",
    },
    {
        "date": dt.date(2025, 12, 31),
        "kind": "performance",
        "label": "SKP",
        "title": "Predikat 2025",
        "detail": "",
        "url": "",
    },
    {
        "date": timezone.make_aware(dt.datetime(2025, 1, 31, 20, 30)),
        "kind": "talenta",
        "label": "Talenta",
        "title": mark_safe("<b>kotak 9</b>"),
        "detail": None,
        "url": None,
    },
    {"date": dt.date(2020, 1, 2), "kind": gettext_lazy("Pelatihan"), "title": "Tanpa label", "detail": "2,50 JP"},
]


def test_the_items_are_the_old_loops_html() -> None:
    for language in ("id", "en"):
        with translation.override(language):
            for events in (EVENTS, EVENTS[:1], []):
                want = Template(OLD).render(Context({"events": events}))
                assert render_to_string("careers/_timeline_list.html", {"events": events}) == want
