"""The import journey in a real browser: a researcher uploads a small CSV, reads the dry run (a preview
and a possible duplicate), links the duplicate and proposes; a reviewer approves the change set; a reader
sees the new record published. Screenshots of the import pages, desktop and phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from records.models import Proposal, Record


@pytest.fixture
def cast(live_url, researcher, reviewer):
    return researcher, reviewer


def test_a_researcher_imports_a_table_and_a_reviewer_approves_it(
    page, browser, live_url, world, cast, sign_in, screenshot, assert_accessible
):
    researcher, reviewer = cast
    kurgan = world.kurgan
    csv = (
        "name,kind,parent,notes,ref\n"
        "Kurgan Regoin,region,,,kurgan\n"
        "Shadrinsk,city,$kurgan,A town of the Kurgan region.,\n"
    )
    sign_in(page, researcher)
    page.goto(live_url("/imports/new/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import records")
    page.set_input_files("#id_file", files=[{"name": "places.csv", "mimeType": "text/csv", "buffer": csv.encode()}])
    page.get_by_label("Record type of a table (CSV, XLSX)").select_option("place")
    page.get_by_label("Summary of the proposal").fill("Towns of the Kurgan region")
    assert_accessible(page, context="import form")
    screenshot(page, "import-form")
    page.get_by_role("button", name="Check the file").click()

    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    expect(page.locator(".import-counts")).to_contain_text("2 to create")
    duplicates = page.locator("table.import-duplicates")
    expect(duplicates).to_contain_text("Kurgan Region")
    expect(page.locator("table.import-preview")).to_contain_text("Shadrinsk")
    assert_accessible(page, context="import dry run")
    screenshot(page, "import-dry-run")
    duplicates.get_by_role("checkbox").first.check()  # use the published Kurgan Region
    page.get_by_role("button", name="Propose as one change set").click()

    expect(page).to_have_url(re.compile(r"/proposals/\d+/$"))
    proposal = Proposal.objects.get(author=researcher)
    assert proposal.items.count() == 1
    assert not Record.objects.filter(label="Shadrinsk").exists()

    review_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    review_page = review_context.new_page()
    sign_in(review_page, reviewer)
    review_page.goto(live_url(f"/proposals/{proposal.pk}/"))
    expect(review_page.locator("main")).to_contain_text("Shadrinsk")
    review_page.get_by_role("button", name="Approve and publish").click()
    expect(review_page.get_by_role("heading", level=1)).to_contain_text("approved")
    review_context.close()

    shadrinsk = Record.objects.get(label="Shadrinsk")
    reader = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    reader_page = reader.new_page()
    reader_page.goto(live_url(f"/places/{shadrinsk.pk}/"))
    expect(reader_page.locator("main")).to_contain_text("Shadrinsk")
    expect(reader_page.locator("main")).to_contain_text(kurgan.label)
    reader.close()
