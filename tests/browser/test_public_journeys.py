"""Readers' journeys in headless Chromium: search and open a record, browse with facets, switch the
language; the main pages pass axe-core (no serious or critical WCAG 2.1 A/AA violation) and are
photographed at desktop and phone widths (test-artifacts/screenshots/)."""

import re

import pytest
from playwright.sync_api import expect

from tests.public.conftest import withdraw

pytestmark = pytest.mark.browser


def test_search_and_open_a_record(page, live_url, world, assert_accessible, screenshot):
    page.goto(live_url("/"))
    assert_accessible(page, context="home")
    screenshot(page, "home")

    page.get_by_label("Search every record").fill("Oskemen")
    page.get_by_label("Search every record").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    result = page.get_by_role("link", name="Ust-Kamenogorsk", exact=True)
    expect(result).to_be_visible()
    expect(page.locator(".snippet mark")).to_have_text("Oskemen")
    assert_accessible(page, context="search results")
    screenshot(page, "search")

    result.click()
    expect(page).to_have_url(live_url(f"/places/{world.oskemen.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ust-Kamenogorsk")
    expect(page.get_by_text("Өскемен")).to_be_visible()
    assert_accessible(page, context="place page")


def test_a_spelling_further_off_still_finds_the_place(page, live_url, world):
    page.goto(live_url("/search/?q=Korgan"))
    page.get_by_role("link", name="Kurgan Region", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kurgan Region")


def test_browse_with_facets(page, live_url, world, assert_accessible, screenshot):
    page.goto(live_url("/agreements/"))
    expect(page.locator(".result")).to_have_count(3)
    assert_accessible(page, context="agreements list")
    screenshot(page, "agreements-list")

    page.locator("#facet-country + ul").get_by_role("link", name="Russia").click()
    expect(page.locator(".result")).to_have_count(2)
    expect(page.get_by_role("link", name="Remove filter: Russia")).to_be_visible()

    page.locator("#facet-sphere + ul, #facet-sphere ~ ul").first.get_by_role("link", name="Education").click()
    expect(page.locator(".result")).to_have_count(1)
    expect(page.locator(".result-title")).to_contain_text("Pavlodar Region and Kurgan Region")
    # the export links carry the same filters to the API
    csv = page.get_by_role("link", name="CSV").get_attribute("href")
    assert "country=RU" in csv
    assert "sphere=education" in csv

    page.get_by_role("link", name="Clear all").click()
    expect(page.locator(".result")).to_have_count(3)


def test_the_place_field_suggests_places_as_you_type(page, live_url, world):
    page.goto(live_url("/agreements/"))
    field = page.get_by_role("combobox", name="Place")
    field.fill("Altai")
    option = page.get_by_role("option", name=re.compile("Altai Krai"))
    expect(option).to_be_visible()
    field.press("ArrowDown")
    field.press("Enter")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(rf"place={world.altai.pk}"))
    expect(page.locator(".result")).to_have_count(1)


def test_browsing_works_without_javascript(browser, live_url, world):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_url("/agreements/"))
    page.get_by_label("Place").fill("Kurgan Region")
    page.get_by_label("From year").fill("2000")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".result")).to_have_count(1)
    expect(page.locator(".result-title")).to_contain_text("Kurgan")
    context.close()


def test_switch_language(page, live_url, world, assert_accessible, screenshot):
    page.goto(live_url(f"/places/{world.east.pk}/"))
    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page).to_have_url(live_url(f"/places/{world.east.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Восточно-Казахстанская область")
    expect(page.get_by_role("navigation", name="Типы записей")).to_contain_text("Соглашения")
    assert_accessible(page, context="place page in Russian")
    screenshot(page, "place-ru")

    page.get_by_label("Язык").select_option("kk")
    page.get_by_role("button", name="Сменить").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Шығыс Қазақстан облысы")
    page.goto(live_url("/agreements/"))
    assert_accessible(page, context="agreements in Kazakh")
    screenshot(page, "agreements-kk")


def test_keyboard_users_can_skip_to_the_content(page, live_url, world):
    page.goto(live_url("/places/"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None
    assert box["x"] >= 0  # visible once focused
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("place", lambda w: f"/places/{w.east.pk}/"),
        ("agreement", lambda w: f"/agreements/{w.xinjiang_agreement.pk}/"),
        ("event", lambda w: f"/events/{w.event.pk}/"),
        ("statistic", lambda w: f"/statistics/{w.statistic.pk}/"),
        ("organization", lambda w: f"/organizations/{w.akimat.pk}/"),
        ("person", lambda w: f"/persons/{w.governor.pk}/"),
        ("source", lambda w: f"/sources/{w.article.pk}/"),
        ("places-list", lambda w: "/places/"),
        ("search-empty", lambda w: "/search/?q=Atlantis"),
    ],
)
def test_main_pages_are_accessible_and_photographed(page, live_url, world, assert_accessible, screenshot, name, path):
    response = page.goto(live_url(path(world)))
    assert response.status == 200
    assert_accessible(page, context=name)
    screenshot(page, name)


def test_the_tombstone_is_accessible(page, live_url, world, assert_accessible, screenshot):
    withdraw(world.kurgan_agreement, summary="Duplicate of another agreement")
    response = page.goto(live_url(f"/agreements/{world.kurgan_agreement.pk}/"))
    assert response.status == 410
    expect(page.get_by_role("link", name="See its history")).to_be_visible()
    assert_accessible(page, context="tombstone")
    screenshot(page, "tombstone")


def test_phone_layout_has_no_horizontal_scroll(browser, live_url, world):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for path in ("/", "/agreements/", f"/places/{world.east.pk}/", f"/sources/{world.article.pk}/", "/search/?q=Altai"):
        page.goto(live_url(path))
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
    context.close()
