"""The map, the timeline, the network and a place's charts in headless Chromium, on the article's data:
the drawings hold the places, links, bars and nodes their data has, at desktop and phone widths, with no
console error and no serious axe-core violation; screenshots in test-artifacts/screenshots/views-*.

One test: the article is loaded once (a live server's test data is committed and flushed after every
test), and every view is checked at both widths in it."""

import re

import pytest
from playwright.sync_api import expect

from records.models import Place
from records.workflow.seeding import seed_load
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS

pytestmark = pytest.mark.browser


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_the_views_draw_the_articles_data(browser, live_url, assert_accessible):
    seed_load()
    east = Place.objects.get(label="East Kazakhstan Region")
    for size in (DESKTOP, PHONE):
        check_the_views(browser, live_url, assert_accessible, size, east)
    # without JavaScript: the tables, no drawing
    plain = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = plain.new_page()
    page.goto(live_url("/map/"))
    expect(page.locator("#map-canvas svg")).to_have_count(0)
    expect(page.get_by_role("table").first).to_be_visible()
    expect(page.get_by_role("link", name="GeoJSON")).to_have_attribute("href", re.compile("format=geojson"))
    plain.close()


def check_the_views(browser, live_url, assert_accessible, size, east):
    label = "desktop" if size == DESKTOP else "phone"
    context = browser.new_context(viewport=size, locale="en-GB")
    page = context.new_page()
    problems = watch_console(page)

    # The map: a circle per located place, a line per link between two located places, the basemap.
    data = page.request.get(live_url("/api/v1/map/")).json()
    located = {place["id"] for place in data["places"]}
    drawable = [link for link in data["links"] if link["home"] in located and link["partner"] in located]
    page.goto(live_url("/map/"))
    expect(page.locator("#map-canvas.drawn")).to_have_count(1)
    expect(page.locator("#map-canvas circle.place")).to_have_count(len(data["places"]))
    expect(page.locator("#map-canvas path.link")).to_have_count(len(drawable))
    assert page.locator("#map-canvas path.country").count() > 100
    expect(page.locator("#map-canvas path.country.home")).to_have_count(1)
    expect(page.locator(".unplaced-list li")).to_have_count(13)
    assert_accessible(page, context=f"map ({label})")
    page.screenshot(path=str(shot("map", label)), full_page=False)
    # choosing a place opens its partnerships
    page.locator(f'#map-canvas circle.place[data-id="{east.pk}"]').dispatch_event("click")
    expect(page).to_have_url(re.compile(rf"/places/{east.pk}/"))
    expect(page.get_by_role("heading", name="Partnerships")).to_be_visible()

    # A place's charts: a bar per figure of each series.
    bars = page.locator(".series:has(.chart-canvas) .series-table tbody tr").count()
    assert bars > 0
    expect(page.locator(".chart-canvas rect.chart-bar")).to_have_count(bars)
    assert_accessible(page, context=f"place with charts ({label})")
    page.locator(".series:has(.chart-canvas)").first.screenshot(path=str(shot("charts", label)))

    # The timeline: a bar per entry, the uncertain ones marked.
    entries = page.request.get(live_url("/api/v1/timeline/?limit=200")).json()["entries"]  # what it draws
    page.goto(live_url("/timeline/"))
    expect(page.locator("#timeline-canvas rect.bar")).to_have_count(len(entries))
    expect(page.locator("#timeline-canvas rect.bar.uncertain")).to_have_count(sum(e["uncertain"] for e in entries))
    assert_accessible(page, context=f"timeline ({label})")
    page.screenshot(path=str(shot("timeline", label)), full_page=False)
    page.goto(live_url("/timeline/?sphere=trade&type=agreement"))
    trade = page.request.get(live_url("/api/v1/timeline/?sphere=trade&type=agreement")).json()["entries"]
    expect(page.locator("#timeline-canvas rect.bar.agreement")).to_have_count(len(trade))
    expect(page.locator("#timeline-canvas rect.bar.event")).to_have_count(0)

    # The network: a circle per node, a line per edge; choosing a node opens its page.
    network = page.request.get(live_url("/api/v1/network/")).json()
    page.goto(live_url("/network/"))
    expect(page.locator("#network-canvas circle.node")).to_have_count(len(network["nodes"]))
    expect(page.locator("#network-canvas line.edge")).to_have_count(len(network["edges"]))
    assert_accessible(page, context=f"network ({label})")
    page.screenshot(path=str(shot("network", label)), full_page=False)
    # its tables a part at a time: the next part holds the rest of the nodes (a screen reader's way to each)
    nodes = page.locator(".network-nodes tbody tr")
    expect(nodes).to_have_count(min(50, len(network["nodes"])))
    section = page.locator("section:has(.network-nodes)")
    if len(network["nodes"]) > 50:
        section.get_by_role("link", name=re.compile("^Next rows")).click()
        expect(nodes).to_have_count(min(50, len(network["nodes"]) - 50))
        expect(section.get_by_role("link", name=re.compile("^Previous rows"))).to_be_visible()
        assert_accessible(page, context=f"network, second part ({label})")
    section.screenshot(path=str(shot("network-table", label)))
    page.goto(live_url("/network/"))
    page.locator(f'#network-canvas circle.node[data-id="{east.pk}"]').dispatch_event("click")
    expect(page).to_have_url(re.compile(rf"/places/{east.pk}/"))

    assert problems == [], problems
    context.close()


def shot(name: str, label: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"views-{name}-{label}.png"
