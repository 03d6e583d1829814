#!/usr/bin/env python3
"""`make guide`: re-take the user guide's screenshots (docs/panduan/img/<lang>/<task>.png) on the demo data.

Starts the portal on a throw-away database with the demo seed (an embedded PostgreSQL in a temporary folder, the
machinery of `make run`; or, with `--database-url`, a database you give, seeded when empty), signs in as each demo
role in Debian's Chromium (Playwright, never its own browser download), walks each task of the guide in both
languages and saves a 1280×800 screenshot (a few at 390 px, phone width) made small: a 64-colour palette PNG,
re-quantised to fewer colours until it is under 150 KB. The server and the database are removed afterwards.

    make guide                               # everything, both languages
    .venv/bin/python scripts/guide_screenshots.py --only kalibrasi --lang en
    .venv/bin/python scripts/guide_screenshots.py --database-url postgres://postgres@127.0.0.1:5432/asn_guide_demo

Each task below names the screenshot the chapters show; tests/asn_portal/test_guide.py checks that every
screenshot a chapter shows exists and is small.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_portal import DB_NAME, ROOT, Stop, _raise_stop, database, log, manage  # noqa: E402

DEMO_PASSWORD = "demo-asn-2026"  # asn_portal.demo.DEMO_PASSWORD (this runs before Django is configured)

IMG = ROOT / "docs" / "panduan" / "img"
MAX_BYTES = 150_000
DESKTOP = (1280, 800)
PHONE = (390, 844)
USERS = {"staff": "demo.pegawai.medan", "head": "demo.kepala.medan", "admin": "demo.admin.medan"}


# --- the tasks ------------------------------------------------------------------------------------------


def _go(page: Any, base: str, path: str) -> None:
    page.goto(base + path)
    page.wait_for_load_state("networkidle")


def _top(page: Any, selector: str, offset: int = 16) -> None:
    """Scroll so that `selector` sits near the top of the viewport."""
    page.locator(selector).first.evaluate(
        "(el, offset) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - offset)", offset
    )
    page.wait_for_timeout(150)


def home(page: Any, base: str, state: dict[str, str]) -> None:
    _go(page, base, "/")


def competency_gaps(page: Any, base: str, state: dict[str, str]) -> None:
    _go(page, base, "/kompetensi/saya/")
    _top(page, "[data-testid=profile-table]", 90)


def career_plan(page: Any, base: str, state: dict[str, str]) -> None:
    _go(page, base, "/karier/saya/")
    with page.expect_navigation():
        page.locator("main a[href^='/karier/rencana/']").first.click()
    page.wait_for_load_state("networkidle")


def enrol(page: Any, base: str, state: dict[str, str]) -> None:
    _go(page, base, "/pelatihan/")


def questionnaire(page: Any, base: str, state: dict[str, str]) -> None:
    _go(page, base, "/pelatihan/kuesioner/")
    answer = page.locator("main a[href^='/pelatihan/kuesioner/']")
    if answer.count():
        answer.first.click()
        page.wait_for_load_state("networkidle")
        radios = page.locator("main input[type=radio][value='4']")
        for i in range(min(radios.count(), 3)):
            radios.nth(i).check()


def my_skp(page: Any, base: str, state: dict[str, str]) -> None:
    _go(page, base, "/kinerja/")


def team_heatmap(page: Any, base: str, state: dict[str, str]) -> None:
    _go(page, base, "/kompetensi/tim/")
    _top(page, "[data-testid=heatmap]", 120)


def mentoring(page: Any, base: str, state: dict[str, str]) -> None:
    _go(page, base, "/karier/bimbingan/baru/")
    topic = page.locator("main input[name=topics], main textarea[name=topics]")
    if topic.count():
        topic.first.fill(state.get("topic", "Rencana pengembangan kompetensi tahun ini"))


def skp_inbox(page: Any, base: str, state: dict[str, str]) -> None:
    _go(page, base, "/kinerja/kotak-masuk/")


def skp_appraisal(page: Any, base: str, state: dict[str, str]) -> None:
    _go(page, base, "/kinerja/kotak-masuk/")
    page.locator("main a[href$='/nilai/']").first.click()
    page.wait_for_load_state("networkidle")


def plan_review(page: Any, base: str, state: dict[str, str]) -> None:
    _go(page, base, "/karier/rencana/?status=submitted")
    page.locator("main table a[href^='/karier/rencana/']").first.click()
    page.wait_for_load_state("networkidle")
    _top(page, "#rev-h", 200)


def calibration(page: Any, base: str, state: dict[str, str]) -> None:
    _go(page, base, "/kinerja/kalibrasi/")


BUSIEST_PERIOD = """() => {
  let best = null, most = -1;
  for (const row of document.querySelectorAll('main table tbody tr')) {
    const link = row.querySelector('a[href*="/periode/"]');
    const cells = [...row.querySelectorAll('td')].map(td => parseInt(td.innerText, 10)).filter(n => !isNaN(n));
    const total = cells.reduce((a, b) => a + b, 0);
    if (link && total > most) { most = total; best = link.getAttribute('href'); }
  }
  return best;
}"""


def kp_queue(page: Any, base: str, state: dict[str, str]) -> None:
    _go(page, base, "/kenaikan-pangkat/")
    href = page.evaluate(BUSIEST_PERIOD)
    build = page.locator(f"main form[action='{href}hitung/'] button")
    if build.count():
        with page.expect_navigation():
            build.first.click()  # tasks run in-process (no broker): the queue is rebuilt before the page returns
        page.wait_for_load_state("networkidle")
    _go(page, base, href)


POSTS = """() => {
  const options = [...document.querySelectorAll('main select[name=position] option')].filter(o => o.value);
  const heads = options.filter(o => /^Kepala (Bidang|Bagian|Seksi|Sub)/.test(o.text));
  return [...heads, ...options.filter(o => !heads.includes(o))].map(o => o.value);
}"""
CHOOSE = """(value) => {
  const select = document.querySelector('main select[name=position]');
  if (select.tomselect) select.tomselect.setValue(value); else select.value = value;
}"""


def vacancy_ranking(page: Any, base: str, state: dict[str, str]) -> None:
    if "vacancy" not in state:  # open one vacancy once, then show the same ranking in every language
        _go(page, base, "/kenaikan-pangkat/lowongan/")
        for value in page.evaluate(POSTS)[:40]:  # a filled post is refused; the first vacant one opens
            _go(page, base, "/kenaikan-pangkat/lowongan/")
            page.evaluate(CHOOSE, value)
            with page.expect_navigation():
                page.locator("main form[method=post] button[type=submit]").first.click()
            page.wait_for_load_state("networkidle")
            path = page.url.removeprefix(base)
            if path.rstrip("/").split("/")[-1].isdigit() and page.locator("[data-testid=merit-explain]").count() > 2:
                state["vacancy"] = path
                break
        else:
            raise RuntimeError("no vacant post with candidates to rank")
    _go(page, base, state["vacancy"])
    page.locator(".merit-explain-toggle").first.click()
    page.wait_for_timeout(400)  # the collapse animation
    _top(page, "[data-testid=candidates]", 60)


def vacancy_phone(page: Any, base: str, state: dict[str, str]) -> None:
    _go(page, base, state["vacancy"])
    _top(page, "[data-testid=candidates]", 60)


def compliance(page: Any, base: str, state: dict[str, str]) -> None:
    _go(page, base, "/pelatihan/laporan/kepatuhan-jp/")


@dataclass(frozen=True)
class Shot:
    name: str  # docs/panduan/img/<lang>/<name>.png
    role: str  # a USERS key
    walk: Callable[[Any, str, dict[str, str]], None]
    viewport: tuple[int, int] = DESKTOP


SHOTS = [
    Shot("beranda", "staff", home),
    Shot("kesenjangan-kompetensi", "staff", competency_gaps),
    Shot("rencana-karier", "staff", career_plan),
    Shot("mendaftar-pelatihan", "staff", enrol),
    Shot("mengisi-kuesioner", "staff", questionnaire),
    Shot("skp-saya", "staff", my_skp),
    Shot("peta-kompetensi-tim", "head", team_heatmap),
    Shot("mencatat-bimbingan", "head", mentoring),
    Shot("menilai-skp", "head", skp_inbox),
    Shot("menilai-skp-formulir", "head", skp_appraisal),
    Shot("menyetujui-rencana-karier", "head", plan_review),
    Shot("kotak-masuk-ponsel", "head", skp_inbox, PHONE),
    Shot("kalibrasi", "admin", calibration),
    Shot("antrean-kp", "admin", kp_queue),
    Shot("peringkat-lowongan", "admin", vacancy_ranking),
    Shot("peringkat-lowongan-ponsel", "admin", vacancy_phone, PHONE),
    Shot("kepatuhan-jp", "admin", compliance),
]


# --- small PNGs -----------------------------------------------------------------------------------------


def small_png(raw: bytes, target: Path) -> int:
    """A palette PNG under MAX_BYTES: 64 colours, fewer if still too big. Returns its size."""
    from PIL import Image

    image = Image.open(io.BytesIO(raw)).convert("RGB")
    for colours in (64, 48, 32, 24, 16):
        out = io.BytesIO()
        image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            out, "PNG", optimize=True
        )
        if out.tell() < MAX_BYTES:
            break
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(out.getvalue())
    return out.tell()


# --- the browser walk -----------------------------------------------------------------------------------


def _login(page: Any, base: str, username: str, lang: str) -> None:
    _go(page, base, "/akun/masuk/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    # The account menu's language form (the same the user would use).
    with page.expect_navigation():
        page.evaluate(
            "(lang) => { const s = document.querySelector('#lang-select'); s.value = lang; s.form.submit(); }", lang
        )
    page.wait_for_load_state("networkidle")


def walk(base: str, shots: list[Shot], langs: list[str]) -> list[tuple[str, int]]:
    from playwright.sync_api import sync_playwright

    made: list[tuple[str, int]] = []
    state: dict[str, str] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars"],
        )
        try:
            for lang in langs:
                for role in USERS:
                    todo = [s for s in shots if s.role == role]
                    if not todo:
                        continue
                    context = browser.new_context(
                        viewport={"width": DESKTOP[0], "height": DESKTOP[1]}, locale="id-ID", device_scale_factor=1
                    )
                    page = context.new_page()
                    page.set_default_timeout(20000)
                    _login(page, base, USERS[role], lang)
                    for shot in todo:
                        page.set_viewport_size({"width": shot.viewport[0], "height": shot.viewport[1]})
                        shot.walk(page, base, state)
                        page.mouse.move(0, 0)
                        target = IMG / lang / f"{shot.name}.png"
                        size = small_png(page.screenshot(full_page=False), target)
                        made.append((str(target.relative_to(ROOT)), size))
                        log(f"{target.relative_to(ROOT)}  {size / 1024:.0f} KB")
                    context.close()
        finally:
            browser.close()
    return made


# --- the portal on a throw-away database ----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def portal(env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(urllib.error.URLError, OSError),
                urllib.request.urlopen(f"{base}/akun/masuk/", timeout=2) as r,
            ):
                if r.status == 200:
                    break
            if server.poll() is not None:
                raise RuntimeError("the portal did not start")
            time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", default=None, help="screenshot names to re-take (default: all)")
    parser.add_argument("--lang", nargs="*", default=["id", "en"], choices=["id", "en"])
    parser.add_argument("--employees", type=int, default=300, help="demo employees (default 300, as make run)")
    parser.add_argument("--database-url", default=None, help="use this database (seeded when empty) instead")
    args = parser.parse_args()
    shots = [s for s in SHOTS if args.only is None or s.name in args.only]
    if args.only and "peringkat-lowongan-ponsel" in args.only and "peringkat-lowongan" not in args.only:
        shots = [s for s in SHOTS if s.name == "peringkat-lowongan"] + shots  # the phone shot reuses its vacancy
    signal.signal(signal.SIGTERM, _raise_stop)
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="asn-guide-"))
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    try:
        with database(None if args.database_url else tmp / "pgdata", DB_NAME, delete=True) as (db_url, what):
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "asn_portal.settings.local",
                "DATABASE_URL": db_url,
                "DEBUG": "1",
                "EMAIL_URL": "memorymail://",
            }
            env.pop("CELERY_BROKER_URL", None)  # no broker: the jobs a page starts run in-process
            log(f"Database: {what}.")
            manage(env, "migrate", "--noinput", "-v0")
            manage(env, "compilemessages", "-v0", "--ignore=.venv")
            manage(env, "seed_demo", "--if-empty", "--employees", str(args.employees), "--seed", "1")
            with portal(env) as base:
                made = walk(base, shots, args.lang)
        biggest = max(size for _, size in made)
        log(f"{len(made)} screenshots in {time.perf_counter() - started:.0f} s; largest {biggest / 1024:.0f} KB.")
        return 0 if biggest < MAX_BYTES else 1
    except (KeyboardInterrupt, Stop):
        return 130
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
