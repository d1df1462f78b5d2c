"""The record form: every record type round-trips (propose in the form → approve → published), bad
input is shown next to its field without losing anything typed, and edits start from the record.
Pickers and dates: test_pickers_and_dates.py; drafts, conflicts, withdrawals, reverts: test_proposing.py."""

from __future__ import annotations

import pytest

from records.content.registry import registry
from records.models import Proposal, ProposalStatus, Revision
from records.workflow.publishing import load_record
from tests.conftest import page_client as signed_in
from tests.editing.helpers import form_data, new_form, text_of

pytestmark = pytest.mark.django_db


def fill_new(world) -> dict:
    """What a researcher types into each type's form (names as the form shows them)."""
    w = world
    return {
        "place": {
            "d-name": "Pavlodar Region",
            "d-names-ru": "Павлодарская область",
            "d-kind": "region",
            "d-parent": str(w["kz"].pk),
            "d-iso_code": "kz-pav",
            "d-latitude": "52,3",
            "d-longitude": "76.95",
            "d-aliases": "Pavlodar oblysy\n\nPavlodarskaya oblast",
            "d-identifiers-0-scheme": "wikidata",
            "d-identifiers-0-value": "Q206998",
            "d-borders-0-id": str(w["omsk"].pk),
            "d-date": "1938/..",
            "d-citations-0-source": str(w["book"].pk),
            "d-citations-0-locator": "p. 3",
            "d-citations-0-field": "name",
        },
        "organization": {
            "d-name": "Akimat of Pavlodar Region",
            "d-kind": "akimat",
            "d-acronym": "AkPR",
            "d-country": str(w["kz"].pk),
        },
        "person": {
            "d-name": "Daniyal Akhmetov",
            "d-positions-0-title": "Akim",
            "d-positions-0-organization": str(w["akimat"].pk),
            "d-positions-0-date": "1997/2001",
        },
        "agreement": {
            "d-title": "Agreement on cooperation between East Kazakhstan and Omsk",
            "d-kind": "agreement",
            "d-level": "interregional",
            "d-date": "2001-33",
            "d-parties-0-id": str(w["east"].pk),
            "d-parties-0-role": "party",
            "d-parties-1-id": str(w["omsk"].pk),
            "d-spheres": ["trade", "cultural"],
            "d-value_amount": "1 200 000",
            "d-value_currency": "usd",
        },
        "event": {
            "d-name": "Visit of the Omsk delegation",
            "d-kind": "visit",
            "d-date": "1999-12",
            "d-place": str(w["east"].pk),
            "d-participants-0-id": str(w["omsk"].pk),
            "d-agreements-0": str(w["agreement"].pk),
        },
        "statistic": {
            "d-indicator": "trade_turnover",
            "d-value": "12.8",
            "d-currency": "USD",
            "d-date": "2001",
            "d-subjects-0-id": str(w["east"].pk),
        },
        "source": {
            "d-title": "Kazakhstan's regions abroad",
            "d-kind": "book",
            "d-date": "2010",
            "d-authors-0-family": "Abenova",
            "d-authors-0-given": "G.",
            "d-publisher": "Nauka",
        },
    }


EXPECTED = {
    "place": lambda r, w: (
        r.label == "Pavlodar Region"
        and r.labels == {"ru": "Павлодарская область"}
        and r.parent_id == w["kz"].pk
        and r.iso_code == "KZ-PAV"
        and str(r.latitude) == "52.300000"
        and r.aliases == ["Pavlodar oblysy", "Pavlodarskaya oblast"]
        and r.identifiers == {"wikidata": "Q206998"}
        and [b.neighbour_id for b in r.border_links.all()] == [w["omsk"].pk]
        and [(c.source_id, c.locator, c.field) for c in r.citations.all()] == [(w["book"].pk, "p. 3", "name")]
    ),
    "organization": lambda r, w: r.acronym == "AkPR" and r.country_id == w["kz"].pk and r.kind_id == "akimat",
    "person": lambda r, w: (
        [(p.title, p.organization_id, p.date) for p in r.positions.all()] == [("Akim", w["akimat"].pk, "1997/2001")]
    ),
    "agreement": lambda r, w: (
        r.date == "2001-33"
        and r.level_id == "interregional"
        and sorted(s.code for s in r.spheres.all()) == ["cultural", "trade"]
        and [(p.party_id, p.role_id) for p in r.party_links.all()] == [(w["east"].pk, "party"), (w["omsk"].pk, "party")]
        and str(r.value_amount) == "1200000.00"
        and r.value_currency == "USD"
    ),
    "event": lambda r, w: (
        r.place_id == w["east"].pk
        and [p.participant_id for p in r.participant_links.all()] == [w["omsk"].pk]
        and [a.pk for a in r.agreements.all()] == [w["agreement"].pk]
    ),
    "statistic": lambda r, w: str(r.value) == "12.8000" and r.currency == "USD" and r.indicator_id == "trade_turnover",
    "source": lambda r, w: r.authors == [{"family": "Abenova", "given": "G."}] and r.publisher == "Nauka",
}


@pytest.mark.parametrize("record_type", list(EXPECTED))
def test_it_round_trips_every_record_type_through_the_form(world, researcher, reviewer, record_type):
    spec = registry.get(record_type)
    author = signed_in(researcher)
    data = new_form(author, spec.plural)
    data.update(fill_new(world)[record_type])
    data.update(summary=f"New {record_type} from the article", submit_review="1")

    response = author.post(f"/{spec.plural}/new/", data)

    assert response.status_code == 302, text_of(response.content)[:2000]
    proposal = Proposal.objects.get(author=researcher)
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.summary == f"New {record_type} from the article"

    # A reviewer sees the proposed fields on the proposal page, then approves it there.
    checker = signed_in(reviewer)
    page = checker.get(f"/proposals/{proposal.pk}/")
    assert page.status_code == 200
    response = checker.post(f"/proposals/{proposal.pk}/approve/", {"comment": "Matches the source."})
    assert response.status_code == 302

    record_id = proposal.items.get().record_id
    record = load_record(record_id, record_type)
    assert record.is_published
    assert EXPECTED[record_type](record, world)
    revision = Revision.objects.get(record=record, number=1)
    assert revision.author == researcher and revision.reviewer == reviewer


def test_the_edit_form_starts_from_the_current_revision(world, researcher):
    client = signed_in(researcher)
    east = world["east"]

    data = form_data(client.get(f"/places/{east.pk}/edit/").content)

    assert data["d-name"] == "East Kazakhstan Region"
    assert data["d-kind"] == "region"
    assert data["d-parent"] == str(world["kz"].pk)
    assert data["base_revision"] == "1"


def test_an_edit_is_proposed_against_its_base_and_published_on_approval(world, researcher, reviewer):
    client = signed_in(researcher)
    east = world["east"]
    data = form_data(client.get(f"/places/{east.pk}/edit/").content)
    data.update({"d-names-kk": "Шығыс Қазақстан облысы", "d-aliases": "Oskemen region", "summary": "Kazakh name"})

    response = client.post(f"/places/{east.pk}/edit/", data)

    assert response.status_code == 302
    proposal = Proposal.objects.get(author=researcher)
    item = proposal.items.get()
    assert (item.action, item.record_id, item.base_revision) == ("update", east.pk, 1)
    page = signed_in(reviewer).get(f"/proposals/{proposal.pk}/")
    text = text_of(page.content)
    assert "Oskemen region" in text and "Шығыс Қазақстан облысы" in text
    signed_in(reviewer).post(f"/proposals/{proposal.pk}/approve/")
    east.refresh_from_db()
    assert east.revision == 2
    assert east.labels["kk"] == "Шығыс Қазақстан облысы"
    assert east.aliases == ["Oskemen region"]


# ------------------------------------------------------------------ invalid input keeps what was typed

BAD_INPUT = [
    # (field kind, what is typed, the error shown)
    ("edtf", {"d-date": "2001-13-45"}, "is not a valid EDTF date"),
    ("decimal", {"d-value_amount": "a lot", "d-value_currency": "USD"}, "A valid number is required"),
    ("vocabulary", {"d-kind": ""}, "This field is required"),
    ("record", {"d-place_signed": "99999999"}, "No published place has the id 99999999"),
    ("record by name", {"d-place_signed": "Atlantis"}, "No published record matches “Atlantis”"),
    ("row record", {"d-parties-0-id": "424242"}, "No published place or organization or person has the id 424242"),
    ("plain text", {"d-title": "<b>Bold</b> agreement"}, "Plain text only"),
    ("labels", {"d-titles-ru": "<i>Соглашение</i>"}, "Plain text only"),
    ("identifiers", {"d-identifiers-0-scheme": "wikidata", "d-identifiers-0-value": "232"}, "a Wikidata id looks like"),
    ("currency", {"d-value_amount": "100", "d-value_currency": "XYZ"}, "is not an ISO 4217 currency code"),
    ("lines", {"d-aliases": "Trade agreement\n\n<b>bold</b>"}, "Line 3: Plain text only"),
]


@pytest.mark.parametrize(("kind", "typed", "message"), BAD_INPUT, ids=[case[0] for case in BAD_INPUT])
def test_invalid_input_is_shown_at_its_field_and_nothing_typed_is_lost(world, researcher, kind, typed, message):
    client = signed_in(researcher)
    data = new_form(client, "agreements")
    data.update(
        {
            "d-title": "Agreement on trade",
            "d-kind": "agreement",
            "d-date": "2001-09-03",
            "d-notes": "Signed in Ust-Kamenogorsk.",
            "d-aliases": "Trade agreement\nTorgovoe soglashenie",
            "d-parties-0-id": str(world["east"].pk),
            "d-citations-0-source": str(world["book"].pk),
            "d-citations-0-quote": "an agreement was signed",
            "summary": "From the article",
        }
    )
    data.update(typed)

    response = client.post("/agreements/new/", data)

    assert response.status_code == 400
    assert not Proposal.objects.filter(author=researcher).exists()
    page = response.content.decode()
    assert message in text_of(page)
    assert 'aria-invalid="true"' in page
    assert "error-summary" in page
    again = form_data(page)
    for name, value in {**data, **typed}.items():
        if name.startswith("d-") and not name.endswith("-rows"):
            assert again.get(name) == value, name
    assert again["summary"] == "From the article"


def test_a_missing_required_field_and_summary_are_both_reported(world, researcher):
    client = signed_in(researcher)
    data = new_form(client, "agreements")
    data.update({"d-title": "Untitled memorandum", "d-kind": "memorandum"})

    response = client.post("/agreements/new/", data)

    assert response.status_code == 400
    text = text_of(response.content)
    assert "Date or period (EDTF): This field is required." in text
    assert "Summary: Say in a sentence what this change does and why." in text
    assert form_data(response.content)["d-title"] == "Untitled memorandum"


def test_more_rows_adds_empty_rows_without_submitting(world, researcher):
    client = signed_in(researcher)
    data = new_form(client, "agreements")
    data.update({"d-title": "Half typed", "d-parties-0-id": str(world["east"].pk), "add_rows": "d-parties"})

    response = client.post("/agreements/new/", data)

    assert response.status_code == 200
    assert not Proposal.objects.filter(author=researcher).exists()
    again = form_data(response.content)
    assert again["d-title"] == "Half typed"
    assert again["d-parties-0-id"] == str(world["east"].pk)
    assert int(again["d-parties-rows"]) == 5  # the typed row, the spare one, three more


def test_the_form_shows_a_date_in_words(world, researcher):
    client = signed_in(researcher)
    data = new_form(client, "agreements")
    data.update({"d-date": "2001-01/2001-03", "add_rows": ""})

    response = client.post("/agreements/new/", data)

    assert "January 2001 – March 2001" in text_of(response.content)
