"""Filtering lists: every filter narrows as documented, and bad filter input is a 400 naming the field."""

import datetime as dt

import pytest
from django.utils import timezone

from records.models import Record


def ids(api, path, **params):
    response = api.get(path, {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_q_finds_words_and_spelling_variants(world, api):
    assert ids(api, "/api/v1/agreements/", q="trade") == {world.agreement.pk}
    assert ids(api, "/api/v1/places/", q="Shygys") == {world.vko.pk}
    assert world.vko.pk in ids(api, "/api/v1/places/", q="Восточно-Казахстанская")
    assert world.vko.pk in ids(api, "/api/v1/places/", q="East Kazakstan")  # trigram: a misspelling
    assert ids(api, "/api/v1/agreements/", q="Zanzibar") == set()


def test_place_matches_records_about_the_place_or_a_place_inside_it(world, api):
    assert ids(api, "/api/v1/agreements/", place=world.omsk.pk) == {world.agreement.pk}
    assert ids(api, "/api/v1/agreements/", place=world.kz.pk) == {world.agreement.pk, world.memorandum.pk}
    assert ids(api, "/api/v1/statistics/", place=world.omsk.pk) == {world.turnover.pk}
    assert ids(api, "/api/v1/events/", place=world.ru.pk) == {world.event.pk}


def test_country_takes_an_iso_code_or_an_id(world, api):
    assert ids(api, "/api/v1/agreements/", country="RU") == {world.agreement.pk}
    assert ids(api, "/api/v1/agreements/", country="ru") == {world.agreement.pk}
    assert ids(api, "/api/v1/agreements/", country=str(world.ru.pk)) == {world.agreement.pk}
    assert ids(api, "/api/v1/statistics/", country="KZ") == {world.turnover.pk, world.exports.pk}
    assert ids(api, "/api/v1/agreements/", country="CN") == set()


def test_kind_sphere_and_indicator_take_codes_and_repeat_for_any_of_several(world, api):
    assert ids(api, "/api/v1/agreements/", kind="memorandum") == {world.memorandum.pk}
    assert ids(api, "/api/v1/agreements/", kind=["memorandum", "agreement"]) == {
        world.memorandum.pk,
        world.agreement.pk,
    }
    assert ids(api, "/api/v1/places/", kind="country") == {world.kz.pk, world.ru.pk}
    assert ids(api, "/api/v1/organizations/", kind="archive") == {world.archive.pk}
    assert ids(api, "/api/v1/events/", kind="visit") == {world.event.pk}
    assert ids(api, "/api/v1/sources/", kind="archival_file") == {world.archival_file.pk}
    assert ids(api, "/api/v1/agreements/", sphere="tourism") == {world.memorandum.pk}
    assert ids(api, "/api/v1/agreements/", sphere=["trade", "economic"]) == {world.agreement.pk}
    assert ids(api, "/api/v1/statistics/", indicator="exports") == {world.exports.pk}


def test_vocabulary_filters_exist_only_where_the_type_has_that_field(world, api):
    # Unknown parameters are ignored, as usual for query strings; the filter simply is not there.
    assert ids(api, "/api/v1/persons/", kind="akimat") == {world.person.pk}


def test_date_filters_overlap_the_edtf_bounds(world, api):
    assert ids(api, "/api/v1/agreements/", date_after="2001-09-03", date_before="2001-09-03") == {world.agreement.pk}
    assert ids(api, "/api/v1/agreements/", date_after="2001") == {world.agreement.pk}
    assert ids(api, "/api/v1/agreements/", date_before="2000") == {world.memorandum.pk}  # "1996?"
    assert ids(api, "/api/v1/agreements/", date_after="1996-06", date_before="1996-06") == {world.memorandum.pk}
    assert ids(api, "/api/v1/events/", date_after="2001-09-30") == {world.event.pk}  # "2001-09" ends on the 30th
    assert ids(api, "/api/v1/events/", date_after="2001-10") == set()
    assert ids(api, "/api/v1/statistics/", date_before="2001-01-01") == {world.turnover.pk}  # the year 2001
    assert ids(api, "/api/v1/places/", date_after="1900") == set()  # undated records never match


def test_updated_after(world, api):
    everything = ids(api, "/api/v1/places/")
    assert ids(api, "/api/v1/places/", updated_after="2000-01-01T00:00:00Z") == everything
    Record.objects.filter(pk=world.kz.pk).update(updated_at=timezone.now() + dt.timedelta(days=1))
    tomorrow = (timezone.now() + dt.timedelta(hours=12)).isoformat()
    assert ids(api, "/api/v1/places/", updated_after=tomorrow) == {world.kz.pk}


def test_source_finds_what_cites_it(world, api):
    assert ids(api, "/api/v1/agreements/", source=world.article.pk) == {world.agreement.pk}
    assert ids(api, "/api/v1/statistics/", source=world.article.pk) == {world.turnover.pk}
    assert ids(api, "/api/v1/events/", source=world.archival_file.pk) == {world.event.pk}
    assert ids(api, "/api/v1/events/", source=world.article.pk) == set()


def test_has_coordinates(world, api):
    with_coordinates = ids(api, "/api/v1/places/", has_coordinates="true")
    assert with_coordinates == {world.kz.pk, world.vko.pk}
    assert ids(api, "/api/v1/places/", has_coordinates="false") == {world.ru.pk, world.omsk.pk}


def test_filters_combine(world, api):
    assert ids(api, "/api/v1/agreements/", country="KZ", sphere="tourism", date_before="1999") == {world.memorandum.pk}
    assert ids(api, "/api/v1/agreements/", country="RU", sphere="tourism") == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_after": "2001-13-01"}, "date_after"),
        ({"date_after": "yesterday"}, "date_after"),
        ({"date_before": "0000"}, "date_before"),
        ({"date_before": "2001-02-30"}, "date_before"),
        ({"date_after": "2005", "date_before": "2001"}, "date_before"),
        ({"updated_after": "soon"}, "updated_after"),
        ({"place": "abc"}, "place"),
        ({"place": "-3"}, "place"),
        ({"place": "99999999999999999999"}, "place"),
        ({"source": "0"}, "source"),
        ({"source": "9223372036854775808"}, "source"),
        ({"country": "Kazakhstan"}, "country"),
        ({"country": "99999999999999999999"}, "country"),
        ({"kind": "no_such_kind"}, "kind"),
        ({"kind": "Robert'); DROP TABLE records_record;--"}, "kind"),
        ({"kind": "bad\x00code"}, "kind"),
        ({"sphere": "memorandum"}, "sphere"),
        ({"q": "x" * 201}, "q"),
        ({"q": "null\x00byte"}, "q"),
        ({"ordering": "title"}, "ordering"),
        ({"ordering": "relevance"}, "ordering"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "-5"}, "page_size"),
        ({"page_size": "501"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"all": "maybe"}, "all"),
    ],
)
def test_bad_filter_input_is_a_400_naming_the_field(world, api, params, field):
    response = api.get("/api/v1/agreements/", params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"], body


def test_an_unknown_code_points_to_the_vocabulary(world, api):
    body = api.get("/api/v1/places/", {"kind": "planet"}).json()
    assert "/api/v1/vocabularies/place_kind/" in body["errors"]["kind"][0]
