"""The browser machinery itself: Chromium starts, pages are served, axe runs, screenshots are written."""

import pytest

pytestmark = pytest.mark.browser


def test_it_serves_the_home_page_to_chromium(page, live_url, assert_accessible, screenshot):
    page.goto(live_url("/"))
    assert "Bailanys" in page.title()
    assert_accessible(page)
    desktop, phone = screenshot(page, "smoke-home")
    assert desktop.stat().st_size > 0
    assert phone.stat().st_size > 0
