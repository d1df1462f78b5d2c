"""Browser tests: headless Chromium (Debian's /usr/bin/chromium) driven by Playwright for Python.

Playwright's own browser download is never used (`playwright install` is not run): the browser is
the OS package, which scripts/browser_deps.sh installs. Pages are served by pytest-django's
live_server against the test database, so these tests use `transactional_db` and build their data
with tests/factories.py (through the real proposal + approval workflow).

What the fixtures give a test:
- `page`: a fresh browser context (1280×900, English) and page; `live_url(path)` builds URLs.
- `world`: the sample records of tests/world.py, published.
- `sign_in(page, user)`: the page's browser is signed in as `user` (a real session cookie).
- `assert_accessible(page)`: runs axe-core (from node_modules) on the current page and fails on any
  serious or critical violation of WCAG 2.1 A/AA.
- `screenshot(page, name)`: writes test-artifacts/screenshots/<name>-desktop.png (1280 wide) and
  <name>-phone.png (390 wide), full page.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import page_client

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("BAILANYS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run while one
    # is running unless told that this (test-only, single-threaded) use is safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright  # here: only the browser tests need Playwright

    # The same bound for assertions as for actions (15 s, not Playwright's 5 s): a live preview is a
    # round trip to the test server, which shares two cores with the other worker's tests.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def live_url(live_server, transactional_db):
    # tests/conftest.py puts the migrations' vocabularies back after each flush of transactional tests.
    base = live_server.url.rstrip("/")
    return lambda path="/": base + path


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def world(live_url):
    from tests.world import build_world

    return build_world()


@pytest.fixture
def sign_in(live_url):
    """Give the page's browser context a real session of `user` (no form round trip)."""

    def sign_in(page, user) -> None:
        client = page_client(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_url("/")}])

    return sign_in


SERIOUS = ("serious", "critical")


@pytest.fixture
def assert_accessible():
    source = AXE.read_text(encoding="utf-8")

    def check(page, *, context: str = "") -> list[dict]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(source)  # evaluated by the debugger protocol: not subject to the page's CSP
        result = page.evaluate(
            """async () => {
              const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']});
              return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
            }"""
        )
        bad = [v for v in result if v["impact"] in SERIOUS]
        assert not bad, f"accessibility violations on {context or page.url}:\n" + json.dumps(bad, indent=1)
        return result

    return check


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(page, name: str) -> list[Path]:
        paths = []
        original = page.viewport_size or DESKTOP
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            path = SCREENSHOTS / f"{name}-{label}.png"
            page.screenshot(path=str(path), full_page=True)
            paths.append(path)
        page.set_viewport_size(original)
        return paths

    return shoot
