"""The interactive API docs render in a real browser, offline, under the site's Content-Security-Policy."""

import pytest
from playwright.sync_api import sync_playwright

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_shows_every_operation_without_console_errors(live_server):
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("console", lambda message: message.type == "error" and problems.append(message.text))
            page.on("pageerror", lambda error: problems.append(str(error)))
            # Anything not from our own server would fail: the page must need nothing from the internet.
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(live_server.url)
                    else (problems.append(route.request.url), route.abort())
                ),
            )
            page.goto(f"{live_server.url}/api/docs/")
            page.wait_for_selector(".opblock", timeout=30_000)
            assert page.locator(".info .title").inner_text().startswith("Bailanys API")
            assert page.locator(".opblock").count() >= 40
            page.locator(".opblock-summary-path", has_text="/api/v1/search/").first.click()
            page.wait_for_selector("text=Words or names to search for")
        finally:
            browser.close()
    assert problems == []
