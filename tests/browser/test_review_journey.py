"""The editing journey in a real browser: a researcher proposes an edit through the form (using the
record picker's type-ahead and the date preview), a reviewer signs in, finds it in the queue and approves
it, and a reader sees the change published and in the history. Screenshots of each page, desktop and
phone, go to test-artifacts/screenshots/; axe-core checks each page for serious accessibility problems."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from records.models import Proposal, ProposalStatus
from tests.factories import PASSWORD


@pytest.fixture
def cast(live_url, researcher, reviewer):
    for user in (researcher, reviewer):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return researcher, reviewer


def test_propose_review_approve_and_see_it_published(
    page, browser, live_url, world, cast, sign_in, screenshot, assert_accessible
):
    researcher, reviewer = cast
    agreement = world.kurgan_agreement

    # The researcher opens the agreement and proposes an edit.
    sign_in(page, researcher)
    page.goto(live_url(f"/agreements/{agreement.pk}/"))
    page.get_by_role("link", name="Propose an edit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit")
    date = page.get_by_label("Date or period (EDTF)")
    expect(date).to_have_value("2001-01/2001-03")
    date.fill("2001-33")
    expect(page.locator("#id_d-date-preview")).to_have_text("1st quarter of 2001")

    # A third party, found by name with the type-ahead of the record picker.
    search = page.locator("#id_d-parties-2-id-search")
    search.fill("Altai")
    option = page.get_by_role("option", name=re.compile("Altai Krai"))
    option.click()
    expect(page.locator("#id_d-parties-2-id")).to_have_value(str(world.altai.pk))
    page.get_by_label("Summary of the change").fill("The source dates it to the first quarter; Altai Krai joined.")
    assert_accessible(page, context="edit form")
    screenshot(page, "edit-form")
    page.get_by_role("button", name="Submit for review").click()

    expect(page).to_have_url(re.compile(r"/proposals/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("submitted")
    proposal = Proposal.objects.get(author=researcher)

    # The reviewer signs in through the sign-in page and finds the proposal in the queue.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    review_page = context.new_page()
    review_page.goto(live_url("/accounts/login/?next=/review/"))
    review_page.get_by_label("Login").fill("vera")
    review_page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    review_page.locator("form.account-form button[type=submit]").click()
    expect(review_page).to_have_url(re.compile(r"/review/$"))
    row = review_page.get_by_role("row", name=re.compile(f"#{proposal.pk}"))
    expect(row).to_contain_text("Rita Researcher")
    expect(row).to_contain_text("Agreement between Pavlodar Region and Kurgan Region")
    assert_accessible(review_page, context="review queue")
    screenshot(review_page, "review-queue")

    row.get_by_role("link", name=f"#{proposal.pk}").click()
    changes = review_page.locator("table.diff")
    expect(changes).to_contain_text("1st quarter of 2001")
    expect(changes).to_contain_text("Altai Krai")
    review_page.get_by_role("button", name="Claim: I am reviewing this").click()
    expect(review_page.get_by_text("You are reviewing this proposal")).to_be_visible()
    review_page.get_by_label("Comment (optional)").fill("Checked against the article, p. 9.")
    assert_accessible(review_page, context="proposal page")
    screenshot(review_page, "proposal-page")
    review_page.get_by_role("button", name="Approve and publish").click()
    expect(review_page.get_by_role("heading", level=1)).to_contain_text("approved")
    context.close()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED

    # A reader (not signed in) sees the change published, and its history.
    reader = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    reader_page = reader.new_page()
    reader_page.goto(live_url(f"/agreements/{agreement.pk}/"))
    expect(reader_page.locator("main")).to_contain_text("1st quarter of 2001")
    expect(reader_page.locator("main")).to_contain_text("Altai Krai")
    reader_page.get_by_role("link", name="History").first.click()
    expect(reader_page.get_by_role("heading", level=1)).to_contain_text("History")
    reader_page.get_by_role("link", name="diff").first.click()
    expect(reader_page.locator("table.diff")).to_contain_text("Altai Krai")
    expect(reader_page.locator("main")).to_contain_text("Vera Reviewer")
    assert "example.org" not in reader_page.content()
    assert_accessible(reader_page, context="history page")
    screenshot(reader_page, "history-page")
    reader.close()

    # The author has been told.
    page.goto(live_url("/notifications/"))
    expect(page.locator("main")).to_contain_text(f"Your proposal #{proposal.pk} was approved by Vera Reviewer")


def test_the_form_without_javascript_still_adds_rows_and_keeps_values(browser, live_url, world, researcher, sign_in):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, researcher)
    page.goto(live_url("/events/new/"))
    page.get_by_label("Name", exact=True).fill("Forum of border regions")
    page.locator("#id_d-participants-0-id").fill(str(world.kurgan.pk))
    page.locator("button[name=add_rows][value=d-participants]").click()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Forum of border regions")
    expect(page.locator("#id_d-participants-4-id")).to_be_visible()
    expect(page.locator("#id_d-participants-0-id-name")).to_contain_text("Kurgan Region")

    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#error-summary")).to_contain_text("Kind: This field is required.")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Forum of border regions")
    context.close()
