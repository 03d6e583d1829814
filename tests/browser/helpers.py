"""Browser-test helpers: log in through the real login page; check a page with axe-core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from asn_portal.demo import DEMO_PASSWORD  # noqa: F401  (documented demo password)

AXE = (Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js").read_text()


def login(page: Any, live_server: Any, username: str, password: str = "rahasia-123") -> None:
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("NIP atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state("networkidle")


def open_menu(page: Any, section: str, entry: str) -> None:
    """Open a page from the grouped main menu: the section's dropdown, then the entry."""
    nav = page.get_by_role("navigation", name="Navigasi utama")
    nav.get_by_role("button", name=section).click()
    nav.get_by_role("link", name=entry, exact=True).click()
    page.wait_for_load_state("networkidle")


def axe_violations(page: Any) -> list[str]:
    """The serious or critical axe-core violations of the current page, one line each."""
    page.evaluate(AXE)  # evaluated through DevTools: the page CSP (no inline scripts) stays on
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}" for v in bad]


def assert_accessible(page: Any) -> None:
    """No serious or critical axe-core violation on the current page."""
    bad = axe_violations(page)
    details = "\n".join(bad)
    assert not bad, f"Accessibility violations on {page.url}:\n{details}"
