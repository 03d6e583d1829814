"""Forms people can use: date inputs carry ISO values, multi-selects and long pickers are searchable,
position options name their unit and type, the plan's status dropdown is not squeezed."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from people.models import Position

pytestmark = pytest.mark.django_db


def _client(employee, lang="id"):
    c = Client()
    c.force_login(employee.user)
    if lang != "id":
        c.post("/i18n/setlang/", {"language": lang, "next": "/"})
    return c


@pytest.mark.parametrize("lang", ["id", "en"])
def test_catat_sesi_prefills_a_date_the_date_input_accepts(org, lang):
    html = _client(org.head, lang).get("/karier/bimbingan/baru/").content.decode()
    field = re.search(r'<input[^>]*name="held_on"[^>]*>', html).group(0)
    assert 'type="date"' in field
    assert f'value="{timezone.localdate().isoformat()}"' in field


def test_mentees_are_chosen_in_a_searchable_chip_picker(org):
    html = _client(org.head).get("/karier/bimbingan/baru/").content.decode()
    select = re.search(r'<select[^>]*name="mentees"[^>]*>', html).group(0)
    assert 'data-picker="tags"' in select and "multiple" in select
    assert "vendor/tom-select/tom-select.complete.min.js" in html
    assert "vendor/tom-select/tom-select.bootstrap5.min.css" in html
    static = Path(settings.BASE_DIR) / "static" / "vendor" / "tom-select"
    assert (static / "LICENSE").exists() and (static / "tom-select.complete.min.js").exists()


def test_position_picker_names_unit_and_type_and_searches(org):
    twin = Position.objects.filter(pk=org.staff.position_id).values("title", "kind").get()
    Position.objects.create(
        agency=org.agency, unit=org.other_dinas, code="TWIN-1", title=twin["title"], kind=twin["kind"]
    )
    html = _client(org.staff).get("/karier/rencana/baru/").content.decode()
    select = html[html.index('name="target_position"') - 200 :]
    select = select[: select.index("</select>")]
    assert 'data-picker="search"' in select
    assert f"{twin['title']} · {org.other_dinas.name} · " in select
    assert f"{twin['title']} · {org.dinas.name} · " in select


def test_plan_action_status_dropdown_keeps_its_full_width(org):
    from careers.models import DevelopmentAction
    from tests.careers import factories as f

    plan = f.plan(org.staff)
    DevelopmentAction.objects.create(plan=plan, kind="training", title="Diklat analis", due_date=timezone.localdate())
    html = _client(org.staff).get(f"/karier/rencana/{plan.pk}/").content.decode()
    select = re.search(r'<select[^>]*name="status"[^>]*>', html).group(0)
    assert "select-fit" in select  # min-width in app.css: "Sedang dilaksanakan" is not cut off
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    assert re.search(r"\.select-fit \{[^}]*min-width", css)
