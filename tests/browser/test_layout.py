"""Browser: the menu fits one row at 1280 px; phone pages (390 px) do not scroll sideways; heatmap cells
are coloured by level."""

import pytest
from django.contrib.auth import get_user_model

from people.choices import AgencyRoleKind
from people.models import AgencyRole
from tests.browser.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROWS = """() => new Set([...document.querySelectorAll('#mainNav > ul.me-auto > li.nav-item')]
  .map(li => Math.round(li.getBoundingClientRect().top))).size"""


NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
WIDEST = """() => [...document.querySelectorAll('body *')].filter(e => {
    if (e.getBoundingClientRect().right <= innerWidth + 1) return false;
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return false;
    }
    return true;
  }).slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.mark.parametrize("who", ["head", "admin", "every-role"])
def test_main_menu_fits_one_row_at_1280px(live_server, page, org, who):
    if who == "every-role":  # a head who is also BKD admin and on the committee: the longest menu (7 entries)
        get_user_model().objects.filter(pk=org.head.user_id).update(
            first_name="Administrator Sistem", last_name="Kepegawaian Daerah Provinsi"
        )
        for role in (AgencyRoleKind.HR_ADMIN, AgencyRoleKind.COMMITTEE):
            AgencyRole.objects.create(user=org.head.user, agency=org.agency, role=role)
        who = "head"
    login(page, live_server, getattr(org, who).nip)
    entries = page.evaluate("() => document.querySelectorAll('#mainNav > ul.me-auto > li.nav-item').length")
    assert entries <= 7
    if who == "head" and AgencyRole.objects.filter(user=org.head.user).exists():
        assert entries == 7
    assert page.evaluate(ROWS) == 1
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate(WIDEST)
    # Keyboard: the section dropdowns open from the keyboard and list their pages.
    page.locator("#mainNav .dropdown-toggle").first.focus()
    page.keyboard.press("Enter")
    assert page.locator("#mainNav .dropdown-menu.show .dropdown-item").first.is_visible()


def _phone(page):
    page.set_viewport_size({"width": 390, "height": 844})


def test_competency_page_fits_a_phone(live_server, page, org):
    import datetime as dt

    from tests.competencies.factories import record, set_standard

    comps = set_standard(org.staff.position, [3, 3, 3, 3, 3, 3, 3, 3, 3])
    record(org.staff, {c.pk: 2 for c in comps[:6]}, on=dt.date.today())
    _phone(page)
    login(page, live_server, org.staff.nip)
    page.goto(f"{live_server.url}/kompetensi/saya/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("radar-chart").get_attribute("data-rendered") == "1"
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate(WIDEST)
    # The radar's labels are wrapped onto short lines to fit round the chart on a phone.
    labels = page.evaluate("() => Chart.getChart(document.querySelector('[data-testid=radar-chart]')).data.labels")
    assert all(isinstance(label, list) and max(map(len, label)) <= 16 for label in labels), labels


def test_skp_inbox_fits_a_phone_and_its_actions_are_reachable(live_server, page, org):
    from performance.choices import PlanStatus
    from tests.performance import factories as f

    f.periods(org.agency)
    f.plan(org.staff, status=PlanStatus.SUBMITTED)
    f.plan(org.staff2, status=PlanStatus.SUBMITTED)
    _phone(page)
    login(page, live_server, org.head.nip)
    page.goto(f"{live_server.url}/kinerja/kotak-masuk/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate(WIDEST)
    action = page.locator("main a.btn, main button.btn").last
    box = action.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_heatmap_cells_are_coloured_by_level(live_server, page, org):
    import datetime as dt

    from tests.competencies.factories import record, set_standard

    comps = set_standard(org.staff.position, [3, 3, 3, 3])
    record(org.staff, {comps[0].pk: 3, comps[1].pk: 2, comps[2].pk: 1}, on=dt.date.today())
    login(page, live_server, org.head.nip)
    page.goto(f"{live_server.url}/kompetensi/tim/")
    colours = page.evaluate(
        """() => Object.fromEntries(['heat-0', 'heat-1', 'heat-2', 'heat-3'].map(level => {
             const td = document.querySelector(`[data-testid=heatmap] td[data-level=${level}]`);
             return [level, td ? getComputedStyle(td).backgroundColor : null];
           }))"""
    )
    assert None not in colours.values(), colours
    assert len(set(colours.values())) == 4, colours
    assert "rgb(255, 255, 255)" not in colours.values()


# Every action in <main> is on screen, or inside a box that scrolls sideways (a table's card) and that box is.
ACTIONS_REACHABLE = """() => [...document.querySelectorAll('main .btn, main button, main input[type=submit]')]
  .filter(e => e.offsetParent !== null)
  .filter(e => {
    const r = e.getBoundingClientRect();
    if (r.left >= -1 && r.right <= innerWidth + 1) return false;
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) {
        const b = p.getBoundingClientRect();
        return !(b.left >= -1 && b.right <= innerWidth + 1);
      }
    }
    return true;
  }).slice(0, 6)
  .map(e => (e.innerText || e.value || e.tagName).trim() + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _wide_table_world(org):
    """Data for the wide-table pages: SKPs, a promotion queue, a vacancy with ranked candidates, training."""
    import datetime as dt

    from performance.choices import PlanStatus
    from promotions.queue import services as queue_services
    from promotions.vacancies import services as vacancy_services
    from tests.people.factories import PositionFactory
    from tests.performance import factories as pf
    from tests.promotions.factories import give_predikat, period

    pf.periods(org.agency)
    pf.plan(org.staff, status=PlanStatus.SUBMITTED)
    give_predikat([org.staff, org.staff2, org.bidang_staff, org.other_staff], [2023, 2024, 2025])
    kp = period(dt.date(2027, 2, 1))
    queue_services.queue_build(period=kp, agency_id=org.agency.pk, actor=None)
    post = PositionFactory(unit=org.dinas, kind="pengawas", title="Kepala Seksi Gizi Masyarakat", headcount=1,
                           reports_to=org.head.position)  # fmt: skip
    vacancy = vacancy_services.vacancy_open(position=post, actor=org.admin.user)
    return {"queue": f"/kenaikan-pangkat/periode/{kp.pk}/", "vacancy": f"/kenaikan-pangkat/lowongan/{vacancy.pk}/"}


WIDE_PAGES = {
    "head": [
        "/pegawai/",
        "/kompetensi/tim/",
        "/kinerja/tim/",
        "/kinerja/kotak-masuk/",
        "/pelatihan/tim/",
        "/karier/tim/",
        "/karier/rencana/",
        "/karier/bimbingan/",
    ],
    "admin": [
        "/pegawai/",
        "/kinerja/daftar/",
        "/kinerja/kalibrasi/",
        "/kinerja/predikat-unit/",
        "/kinerja/statistik/",
        "/pelatihan/kelola/",
        "/pelatihan/laporan/kepatuhan-jp/",
        "/pelatihan/laporan/kebutuhan/",
        "/pelatihan/laporan/kuesioner/",
        "/kenaikan-pangkat/",
        "{queue}",
        "/kenaikan-pangkat/usulan/",
        "/kenaikan-pangkat/lowongan/",
        "{vacancy}",
        "/kenaikan-pangkat/laporan-merit/",
        "/pekerjaan/",
    ],
    "staff": ["/pelatihan/saya/", "/kinerja/", "/karier/saya/", "/kenaikan-pangkat/saya/"],
}


@pytest.mark.parametrize("who", ["staff", "head", "admin"])
def test_wide_table_pages_fit_a_phone_and_keep_their_actions_reachable(live_server, page, org, who):
    urls = _wide_table_world(org)
    _phone(page)
    login(page, live_server, getattr(org, who).nip)
    problems = {}
    for path in WIDE_PAGES[who]:
        path = path.format(**urls)
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert response is not None and response.status == 200, path
        if not page.evaluate(NO_SIDEWAYS_SCROLL):
            problems[path] = ["page scrolls sideways", *page.evaluate(WIDEST)]
        elif unreachable := page.evaluate(ACTIONS_REACHABLE):
            problems[path] = ["actions off screen", *unreachable]
    assert not problems, problems
