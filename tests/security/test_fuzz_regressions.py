"""What an outside OpenAPI fuzzer found: odd input answered 500 or an export without a body or type.
Each is bad input now (a 4xx with the usual error shape) or a proper document."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.utils.html import escape

from records.models import Comment, Proposal
from records.workflow import review
from tests.conftest import client_for, page_client
from tests.factories import publish

SUPERSCRIPT_TWO = "\u00b2"  # a digit to str.isdigit(), not to int()
ARABIC = str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")


@pytest.fixture
def memo(db):
    return publish("agreement", title="Memorandum", kind="memorandum", date="2013")


@pytest.mark.parametrize("digits", ["arabic", "superscript"])
def test_record_ids_in_other_digits_are_not_found(memo, api, signed_in, reviewer, digits):
    odd = str(memo.pk).translate(ARABIC) if digits == "arabic" else SUPERSCRIPT_TWO
    for path in (f"/api/v1/agreements/{odd}/", f"/api/v1/agreements/{odd}/history/"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    response = api.get(f"/api/v1/agreements/{memo.pk}/revisions/{odd[:1]}/")
    assert response.status_code == 404
    for path in (f"/agreements/{odd}/", f"/agreements/{odd}/history/", f"/agreements/{memo.pk}/revisions/{odd}/"):
        response = signed_in(reviewer).get(path)
        assert response.status_code == 404, path
        assert "text/html" in response["Content-Type"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # The API refuses a filter it cannot read; pages show the list (or search) without it.
        ("/api/v1/agreements/?country=²", 400),
        ("/api/v1/agreements/?page_size=²", 400),
        ("/search/?page=²", 400),
        ("/agreements/?country=²", 200),
        ("/agreements/?place=²", 200),
        ("/editing/lookup/?q=²", 200),
        ("/notifications/?before=²", 200),
        ("/proposals/?before=²", 200),
        ("/agreements/{pk}/history/?before=²", 200),
    ],
)
def test_numbers_in_other_digits_in_parameters_are_bad_input_not_errors(memo, reviewer, path, expected):
    response = page_client(reviewer).get(path.format(pk=memo.pk))
    assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0000-01-01", 400),
        ("99999-01-01", 400),
        ("-1", 400),
        ("2020-01-01T00:00:00+25:00", 400),
        ("2020-01-01T00:00:00+23:59", 400),  # parses in Python, out of PostgreSQL's range
        ("2020-01-01T00:00:00-23:59:59.999999", 400),
        ("2020-01-01T00:00:00+14:00", 200),
        ("2020-01-01T00:00:00Z", 200),
        ("0001-01-01T00:00:00+14:00", 200),  # before year 1 in UTC: the first moment
        ("9999-12-31T23:59:59-14:00", 200),  # after 9999 in UTC: the last one
    ],
)
def test_updated_after_out_of_range_or_offset(memo, api, value, expected):
    for path in ("/api/v1/agreements/", "/api/v1/places/", "/agreements/", "/places/"):
        response = api.get(path, {"q": "Memorandum", "updated_after": value})
        if path.startswith("/api/"):
            assert response.status_code == expected, (path, response.content[:300])
            if expected == 400:
                assert "updated_after" in response.json()["errors"]
        else:  # a page shows the form's error
            assert response.status_code == 200, (path, response.content[:300])


def test_updated_after_with_an_offset_is_read_as_the_moment_it_names(memo, api):
    published = memo.updated_at
    just_before = published.astimezone(ZoneInfo("Pacific/Kiritimati"))  # +14:00
    ids = [
        r["id"] for r in api.get("/api/v1/agreements/", {"updated_after": just_before.isoformat()}).json()["results"]
    ]
    assert memo.pk in ids
    later = (published.replace(microsecond=0) + dt.timedelta(seconds=1)).isoformat()
    assert api.get("/api/v1/agreements/", {"updated_after": later}).json()["results"] == []


SURROGATE_BODIES = [
    {"action": "create", "record_type": "place", "data": {"name": "A", "kind": "city", "\ud800": "x"}},
    {"action": "create\ud800", "record_type": "place", "data": {"name": "A", "kind": "city"}},
    {"action": "create", "record_type": "place\udfff", "data": {"name": "A", "kind": "city"}},
    {"action": "create", "record_type": "place", "data": {"name": "A\ud800", "kind": "city"}},
    {"action": "create", "record_type": "place", "data": {"name": "A", "kind": "city"}, "summary": "\udc00"},
    {"items": [{"action": "create", "record_type": "place", "ref": "\ud800", "data": {"name": "A", "kind": "city"}}]},
]
# A NUL, which PostgreSQL cannot store, in a draft's data, which is kept as typed (found by the suite's
# schemathesis run: a 500).
NUL_DRAFTS = [
    {"action": "create", "record_type": "event", "draft": True, "data": {"name": "A", "\x00": [[]]}},
    {"action": "create", "record_type": "event", "draft": True, "data": {"name": "A", "date": "19\x0099"}},
]


@pytest.mark.parametrize("body", NUL_DRAFTS)
def test_a_nul_in_a_draft_is_refused_and_nothing_is_stored(researcher, body):
    response = client_for(researcher).post("/api/v1/changes/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["data"] == ["Text cannot hold a NUL character (U+0000)."]
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("body", SURROGATE_BODIES)
def test_lone_surrogates_in_a_proposal_are_refused_and_nothing_is_stored(researcher, body):
    raw = json.dumps(body)  # ensure_ascii: the surrogates travel as "\ud800" escapes, as a fuzzer sends them
    assert "\\ud" in raw
    response = client_for(researcher).post("/api/v1/changes/", raw, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "surrogate" in response.json()["detail"]
    assert not Proposal.objects.exists()


def test_lone_surrogates_in_a_comment_or_decision_are_refused(researcher, reviewer):
    proposal = review.proposal_create(
        author=researcher, items=[review.ItemInput("create", "place", data={"name": "P", "kind": "city"})]
    )
    for path, user in (("comments/", researcher), ("approve/", reviewer)):
        raw = json.dumps({"body": "x\ud800", "comment": "y\ud800"})
        response = client_for(user).post(f"/api/v1/changes/{proposal.pk}/{path}", raw, content_type="application/json")
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "parse_error"
    assert not Comment.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


FORMATS = {
    "sources": ["json", "csv", "jsonld", "csljson", "bibtex"],
    "places": ["json", "csv", "jsonld", "geojson"],
    "agreements": ["json", "csv", "jsonld"],
}


@pytest.mark.parametrize(("plural", "fmt"), [(p, f) for p, formats in FORMATS.items() for f in formats])
@pytest.mark.parametrize("whole", [False, True])
def test_an_export_of_no_records_is_an_empty_document_with_its_type(db, api, plural, fmt, whole):
    params = {"q": "nothing matches this", "format": fmt, **({"all": "1"} if whole else {})}
    response = api.get(f"/api/v1/{plural}/", params)
    assert response.status_code == 200
    content_type = response["Content-Type"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    assert text.strip(), "an empty body"
    if fmt == "bibtex":
        assert content_type == "application/x-bibtex; charset=utf-8"
        assert "@" not in text
    elif fmt == "csv":
        assert content_type == "text/csv; charset=utf-8"
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) == 1 and "id" in rows[0]
    else:
        document = json.loads(text)
        assert (
            document
            in (
                {"next": None, "previous": None, "results": []},
                [],
                {"type": "FeatureCollection", "features": []},
            )
            or document.get("@graph") == []
        )
        assert content_type.split(";")[0] in {
            "application/json",
            "application/ld+json",
            "application/geo+json",
            "application/vnd.citationstyles.csl+json",
        }


@pytest.mark.parametrize("value", ["ux%OtYDR", "100%", "%(code)s", "%s%s%d"])
def test_a_percent_sign_in_a_vocabulary_filter_is_bad_input_named_as_sent(memo, api, value):
    """django-filter formats every error message with its parameters; a client's "%" once became a 500."""
    response = api.get("/api/v1/agreements/", {"kind": value, "format": "jsonld"})
    assert response.status_code == 400
    assert repr(value) in response.json()["errors"]["kind"][0]
    page = page_client().get("/agreements/", {"kind": value})
    assert page.status_code == 200  # the list, with the filter form saying what is wrong
    assert escape(repr(value)) in page.content.decode()
