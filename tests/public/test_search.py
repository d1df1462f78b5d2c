"""One search across every type: full text with highlighted snippets, spelling variants, other scripts."""

import re
from html import unescape

import pytest

from records.views.public import search as search_page
from tests.public.conftest import withdrawn_before_links_were_checked


def hits(response) -> list[str]:
    return [unescape(t) for t in re.findall(r'<h2 class="result-title"><a href="([^"]+)">', response.content.decode())]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Oskemen", "oskemen"),  # an alias
        ("Өскемен", "oskemen"),  # the Kazakh name
        ("Усть-Каменогорск", "oskemen"),  # the Russian name
        ("Korgan", "kurgan"),  # a spelling further off
        ("Курган", "kurgan"),  # Cyrillic query, Latin-labelled record with a Russian label
        ("Plzen", None),  # nothing of the kind: an honest empty answer
    ],
)
def test_it_finds_names_in_any_spelling_or_script(world, reader, query, expected):
    response = reader.get("/search/", {"q": query})
    assert response.status_code == 200
    found = hits(response)
    if expected is None:
        assert found == []
        assert "Nothing matches “Plzen”." in unescape(response.content.decode())
    else:
        assert found[0] == getattr(world, expected).get_absolute_url()


def test_it_ranks_and_highlights_words(world, reader):
    response = reader.get("/search/", {"q": "cooperation"})
    page = response.content.decode()
    assert set(hits(response)) >= {world.agreement.get_absolute_url(), world.xinjiang_agreement.get_absolute_url()}
    assert "<mark>cooperation</mark>" in page


def test_it_filters_by_type_and_counts_each_type(world, reader):
    everything = reader.get("/search/", {"q": "Altai"})
    kinds = {url.split("/")[1] for url in hits(everything)}
    assert {"places", "agreements", "events"} <= kinds
    only_events = reader.get("/search/", {"q": "Altai", "type": "event"})
    assert hits(only_events) == [world.event.get_absolute_url()]
    assert re.search(r"Events\s*1</span>", only_events.content.decode())


def test_it_leaves_out_withdrawn_records(world, reader):
    withdrawn_before_links_were_checked(world.kurgan)
    assert world.kurgan.get_absolute_url() not in hits(reader.get("/search/", {"q": "Kurgan"}))


def test_an_empty_query_shows_tips(reader, db):
    response = reader.get("/search/")
    assert response.status_code == 200
    assert "Oskemen finds Ust-Kamenogorsk" in response.content.decode()


def test_pages_are_bounded(world, reader, monkeypatch):
    monkeypatch.setattr(search_page, "SEARCH_PAGE_SIZE", 1)
    first = reader.get("/search/", {"q": "Altai"})
    assert len(hits(first)) == 1
    assert 'rel="next" href="?q=Altai&amp;page=2"' in first.content.decode()
    second = reader.get("/search/", {"q": "Altai", "page": 2})
    assert hits(second) != hits(first)
    too_deep = reader.get("/search/", {"q": "Altai", "page": 10_000})
    assert too_deep.status_code == 400
    assert "refine the words" in too_deep.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "<script>alert(1)</script>"},
        {"q": '"unbalanced quote'},
        {"q": "a & b | !c <-> d:*"},
        {"q": "nul\x00byte"},
        {"q": "x" * 10_000},
        {"q": "Altai", "type": "planet"},
        {"q": "Altai", "page": "-1"},
        {"q": "Altai", "page": "1e9"},
    ],
)
def test_bad_input_never_breaks_search(world, reader, params):
    response = reader.get("/search/", params)
    # A page number that cannot be read is refused; any query text is searched for as text.
    assert response.status_code == (400 if "page" in params else 200)
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "script" not in params["q"]


def test_search_queries_are_bounded(world, reader, django_assert_num_queries):
    # one query per tier of matches (a name is the query, the words in the names, in the text — a
    # tier is read only while the window is not full; similar spellings, and so the near words, only
    # when the words match nothing); the window's scores; the page's rows with their snippets; the
    # bounded counts per type; and the publication version (the cache key)
    with django_assert_num_queries(7):
        reader.get("/search/", {"q": "Altai"})
