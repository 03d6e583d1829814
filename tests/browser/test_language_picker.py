"""Browser: the language picker in the account menu shows each language's own name in full ("Bahasa
Indonesia", "English"), on a desktop (1280 px) and on a phone (390 px), and switches the language."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Room left in the select for its longest option (text width measured in the select's own font).
SPARE = """() => {
  const s = document.querySelector('#lang-select');
  const st = getComputedStyle(s);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = st.font;
  const inner = s.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight);
  return Math.min(...[...s.options].map(o => inner - ctx.measureText(o.text).width));
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_language_picker_shows_full_own_names_and_switches(live_server, page, org, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, org.staff.nip)
    if width < 992:
        page.locator(".navbar-toggler").click()
        # the menu slides open (Bootstrap's "collapsing"); a click while it moves can miss the account menu
        page.locator(".navbar-collapse.show").wait_for(state="visible")
    page.locator("#lang-select").wait_for(state="attached")
    page.locator(".nav-user-name").click()
    picker = page.locator("#lang-select")
    expect(picker).to_be_visible()
    assert [o.strip() for o in picker.locator("option").all_inner_texts()] == ["Bahasa Indonesia", "English"]
    assert page.evaluate(SPARE) >= 0, "an option's name is cut off"
    box = picker.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    ARTIFACTS.mkdir(exist_ok=True)
    picker.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"language-picker-{width}.png"))
    with page.expect_navigation():
        picker.select_option("en")
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "en"
    assert [o.strip() for o in page.locator("#lang-select option").all_inner_texts()] == ["Bahasa Indonesia", "English"]
