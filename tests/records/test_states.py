"""The one validation path: what each record type accepts, and the messages for what it refuses."""

import pytest

from records.workflow.publishing import ContentInvalid, state_validate
from tests.factories import publish


def errors_of(record_type, data, **kwargs) -> dict:
    with pytest.raises(ContentInvalid) as exc:
        state_validate(record_type, data, **kwargs)
    return exc.value.errors


@pytest.fixture
def kazakhstan(db):
    return publish("place", name="Kazakhstan", kind="country", iso_code="KZ")


def test_it_fills_defaults_and_returns_the_canonical_state(kazakhstan):
    data, _ = state_validate(
        "place",
        {
            "name": "East Kazakhstan Region",
            "kind": "region",
            "parent": kazakhstan.pk,
            "iso_code": "kz-vos",
            "latitude": "49.95",
            "longitude": "82.61",
            "aliases": ["Oskemen region", " ", "Oskemen region"],
        },
    )
    assert data["name"] == "East Kazakhstan Region"
    assert data["iso_code"] == "KZ-VOS"
    assert data["latitude"] == "49.95"
    assert data["aliases"] == ["Oskemen region"]
    assert data["borders"] == [] and data["citations"] == [] and data["certainty"] == "certain"


def test_a_record_sent_back_as_read_is_valid_unchanged(kazakhstan):
    agreement = publish(
        "agreement",
        title="Agreement on cooperation",
        kind="agreement",
        date="2001-09-03",
        parties=[{"id": kazakhstan.pk, "role": "party"}],
        spheres=["trade", "cultural"],
    )
    from records.workflow.publishing import state_of

    state = state_of(agreement)
    again, _ = state_validate("agreement", state, record_id=agreement.pk)
    assert again == state


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2001-13-45", "not a valid EDTF date"),
        ("the spring of nowhere", "not a valid EDTF date"),
        ("", "may not be blank"),
        (2001, "Expected an EDTF date"),
    ],
)
def test_a_bad_date_is_refused_naming_the_field(db, date, message):
    errors = errors_of("agreement", {"title": "A", "kind": "agreement", "date": date})
    assert message in str(errors["date"])


def test_a_required_date_must_be_given(db):
    errors = errors_of("event", {"name": "Visit", "kind": "visit"})
    assert "required" in str(errors["date"])


def test_a_date_is_optional_where_it_is_not_required(db):
    data, _ = state_validate("place", {"name": "Omsk Region", "kind": "region"})
    assert data["date"] == ""


def test_unknown_ids_and_wrong_types_of_records_are_refused(kazakhstan):
    source = publish("source", title="Belasu", kind="book")
    errors = errors_of("place", {"name": "X", "kind": "region", "parent": 999999})
    assert "No published place has the id 999999" in str(errors["parent"])
    errors = errors_of("place", {"name": "X", "kind": "region", "parent": source.pk})
    assert f"Record {source.pk} is a source; expected place" in str(errors["parent"])
    errors = errors_of("agreement", {"title": "A", "kind": "agreement", "date": "2001", "parties": [{"id": source.pk}]})
    assert "expected place or organization or person" in str(errors["parties"])
    errors = errors_of(
        "agreement", {"title": "A", "kind": "agreement", "date": "2001", "citations": [{"source": kazakhstan.pk}]}
    )
    assert "expected source" in str(errors["citations"])


def test_references_to_new_records_must_exist_in_the_proposal(db):
    errors = errors_of("organization", {"name": "Akimat", "kind": "akimat", "place": "$region"})
    assert "names no new record" in str(errors["place"])
    data, _ = state_validate(
        "organization", {"name": "Akimat", "kind": "akimat", "place": "$region"}, refs={"$region": "place"}
    )
    assert data["place"] == "$region"
    errors = errors_of("organization", {"name": "Akimat", "kind": "akimat", "place": "$src"}, refs={"$src": "source"})
    assert "is a source; expected place" in str(errors["place"])


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "X", "kind": 5}, "kind", "Expected a code"),
        ({"name": "X", "kind": "galaxy"}, "kind", "not a known place kind"),
        ({"name": "<script>alert(1)</script>", "kind": "region"}, "name", "markup"),
        ({"name": "X\x00Y", "kind": "region"}, "name", "Control characters"),
        ({"name": "X", "kind": "region", "aliases": "Oskemen"}, "aliases", "Expected a list"),
        ({"name": "X", "kind": "region", "names": {"english": "X"}}, "names", "Not a language code"),
        ({"name": "X", "kind": "region", "identifiers": {"wikidata": "X12"}}, "identifiers", "Wikidata"),
        ({"name": "X", "kind": "region", "latitude": "49.9"}, "longitude", "both latitude and longitude"),
        ({"name": "X", "kind": "region", "latitude": "north"}, "latitude", "valid number"),
        ({"name": "X", "kind": "region", "iso_code": "QQ-ABC"}, "iso_code", "not an ISO 3166-1 country code"),
        ({"name": "X", "kind": "region", "tittle": "typo"}, "tittle", "Unknown field"),
        ({"kind": "region"}, "name", "A name is required"),
        ({"name": "X" * 501, "kind": "region"}, "name", "no more than 500"),
    ],
)
def test_bad_place_input_is_refused_naming_the_field(db, data, field, message):
    errors = errors_of("place", data)
    assert message in str(errors[field])


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"indicator": "trade_turnover", "value": "1376.1", "date": "2001-01/2001-02"}, "unit", "either a unit"),
        (
            {"indicator": "trade_turnover", "value": "1", "currency": "USD", "unit": "persons", "date": "2001"},
            "unit",
            "either a unit",
        ),
        (
            {"indicator": "trade_turnover", "value": "1", "currency": "DOLLARS", "date": "2001"},
            "currency",
            "no more than 3",
        ),
        ({"indicator": "trade_turnover", "value": "1", "currency": "XYZ", "date": "2001"}, "currency", "ISO 4217"),
        ({"indicator": "trade_turnover", "value": 1.5e300, "currency": "USD", "date": "2001"}, "value", "digits"),
        (
            {"indicator": "repatriates", "value": "many", "unit": "persons", "date": "1998-09-01"},
            "value",
            "valid number",
        ),
    ],
)
def test_bad_figures_are_refused(db, data, field, message):
    errors = errors_of("statistic", data)
    assert message in str(errors[field])


def test_a_figure_gets_a_title_when_none_is_given(db):
    data, _ = state_validate(
        "statistic", {"indicator": "trade_turnover", "value": "600000000", "currency": "usd", "date": "1996"}
    )
    assert data["title"] == "trade turnover, 1996"
    assert data["currency"] == "USD"
    assert data["value"] == "600000000"


def test_money_needs_an_amount_and_a_known_currency(db):
    base = {"title": "Contract", "kind": "contract", "date": "2014"}
    assert "currency" in str(errors_of("agreement", {**base, "value_amount": "8950000"})["value_currency"])
    assert "without an amount" in str(errors_of("agreement", {**base, "value_currency": "EUR"})["value_amount"])
    data, _ = state_validate("agreement", {**base, "value_amount": "8950000", "value_currency": "eur"})
    assert (data["value_amount"], data["value_currency"]) == ("8950000", "EUR")


def test_archival_sources_need_archive_and_file(db):
    errors = errors_of("source", {"kind": "archival_file", "fund": "897"})
    assert "archive" in errors and "file" in errors
    archive = publish(
        "organization", name="Archive of Foreign Policy of the Russian Federation", kind="archive", acronym="AFP RF"
    )
    data, _ = state_validate(
        "source",
        {
            "kind": "archival_file",
            "archive": archive.pk,
            "fund": "897",
            "series": "4",
            "file": "13",
            "pages": "59, 60, 63",
        },
    )
    assert data["title"] == "Archival file: fund 897, series 4, file 13"


def test_the_same_link_twice_is_refused(kazakhstan):
    errors = errors_of(
        "agreement",
        {"title": "A", "kind": "agreement", "date": "2001", "parties": [{"id": kazakhstan.pk}, {"id": kazakhstan.pk}]},
    )
    assert "listed twice" in str(errors["parties"])


def test_a_record_cannot_point_at_itself(kazakhstan):
    errors = errors_of(
        "place", {"name": "Kazakhstan", "kind": "country", "parent": kazakhstan.pk}, record_id=kazakhstan.pk
    )
    assert "refer to itself" in str(errors["parent"])


def test_citations_name_existing_fields_only(db):
    source = publish("source", title="Belasu", kind="book")
    errors = errors_of(
        "agreement",
        {"title": "A", "kind": "agreement", "date": "2001", "citations": [{"source": source.pk, "field": "colour"}]},
    )
    assert "not a field of a agreement" in str(errors["citations"])
    data, _ = state_validate(
        "agreement",
        {
            "title": "A",
            "kind": "agreement",
            "date": "2001",
            "citations": [{"source": source.pk, "field": "date", "locator": "p. 4"}],
        },
    )
    assert data["citations"] == [{"source": source.pk, "field": "date", "locator": "p. 4", "quote": ""}]


def test_a_state_must_be_an_object(db):
    errors = errors_of("place", ["not", "an", "object"])
    assert "Expected an object" in str(errors)
