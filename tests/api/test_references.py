"""References to new records ("$ref") are told from text by the field they stand in, not by a leading "$"."""

import json

from records.models import Agreement, Proposal, ProposalItem
from tests.conftest import client_for, page_client
from tests.factories import publish

MEMO = {"title": "$2 billion memorandum", "kind": "memorandum", "date": "2013-06-20"}


def approve(reviewer, proposal_id: int):
    return client_for(reviewer).post(f"/api/v1/changes/{proposal_id}/approve/", {}, format="json")


def test_a_title_and_a_quote_starting_with_a_dollar_are_published_as_text(researcher, reviewer):
    source = publish("source", title="Kazakhstan Business Review, 2014")
    data = {**MEMO, "citations": [{"source": source.pk, "locator": "p. 4", "quote": "$5m"}]}
    body = {"action": "create", "record_type": "agreement", "data": data, "summary": "money in a title"}
    proposed = client_for(researcher).post("/api/v1/changes/", body, format="json")
    assert proposed.status_code == 201, proposed.content

    approved = approve(reviewer, proposed.json()["id"])

    assert approved.status_code == 200, approved.content
    record_id = approved.json()["items"][0]["record"]
    published = client_for(None).get(f"/api/v1/agreements/{record_id}/").json()
    assert published["title"] == "$2 billion memorandum"
    assert published["citations"][0]["quote"] == "$5m"
    assert published["citations"][0]["source"] == source.pk
    page = page_client().get(published["web_url"])
    assert page.status_code == 200
    assert "$2 billion memorandum" in page.content.decode() and "$5m" in page.content.decode()


def test_a_dollar_text_in_an_update_is_published_as_text(researcher, reviewer):
    agreement = publish("agreement", title="Memorandum on tourism")
    body = {
        "action": "update",
        "record_type": "agreement",
        "record": agreement.pk,
        "base_revision": 1,
        "data": {"title": "$3 memorandum", "notes": "$ signs everywhere"},
    }
    proposed = client_for(researcher).post("/api/v1/changes/", body, format="json")
    assert approve(reviewer, proposed.json()["id"]).status_code == 200
    agreement.refresh_from_db()
    assert (agreement.label, agreement.notes, agreement.revision) == ("$3 memorandum", "$ signs everywhere", 2)


def test_an_undefined_ref_in_a_citation_is_refused_when_proposed_even_as_a_draft(researcher):
    data = {**MEMO, "title": "Memorandum", "citations": [{"source": "$nope", "quote": "$5m"}]}
    for draft in (False, True):
        body = {"action": "create", "record_type": "agreement", "data": data, "draft": draft}
        response = client_for(researcher).post("/api/v1/changes/", body, format="json")
        assert response.status_code == 400, response.content
        errors = response.json()["errors"]
        assert "$nope" in json.dumps(errors["data"]["citations"]["0"]["source"])
    assert not Proposal.objects.exists() and not ProposalItem.objects.exists()


def test_an_undefined_ref_in_a_list_of_records_is_refused_in_a_draft(researcher):
    body = {
        "action": "create",
        "record_type": "event",
        "draft": True,
        "data": {"name": "Visit", "kind": "visit", "date": "2014-05", "agreements": ["$gone"]},
    }
    response = client_for(researcher).post("/api/v1/changes/", body, format="json")
    assert response.status_code == 400, response.content
    assert "$gone" in json.dumps(response.json()["errors"]["data"]["agreements"])
    assert not Proposal.objects.exists()


def test_new_records_of_one_change_set_refer_to_each_other(researcher, reviewer):
    body = {
        "summary": "An archive, its source and an agreement citing it",
        "items": [
            {
                "action": "create",
                "record_type": "organization",
                "ref": "$akimat",
                "data": {"name": "$ Akimat", "kind": "akimat"},
            },
            {
                "action": "create",
                "record_type": "source",
                "ref": "$report",
                "data": {"title": "$1m report", "kind": "book", "archive": "$akimat"},
            },
            {
                "action": "create",
                "record_type": "agreement",
                "data": {
                    **MEMO,
                    "parties": [{"id": "$akimat", "role": "party"}],
                    "citations": [{"source": "$report", "quote": "$akimat"}],
                },
            },
        ],
    }
    proposed = client_for(researcher).post("/api/v1/changes/", body, format="json")
    assert proposed.status_code == 201, proposed.content

    approved = approve(reviewer, proposed.json()["id"])

    assert approved.status_code == 200, approved.content
    organization_id, source_id, agreement_id = (item["record"] for item in approved.json()["items"])
    agreement = Agreement.objects.get(pk=agreement_id)
    assert agreement.label == "$2 billion memorandum"
    citation = agreement.citations.get()
    assert (citation.source_id, citation.quote) == (source_id, "$akimat")  # a quote naming a ref stays text
    assert agreement.party_links.get().party_id == organization_id
    published = client_for(None).get(f"/api/v1/sources/{source_id}/").json()
    assert (published["title"], published["archive"]) == ("$1m report", organization_id)
