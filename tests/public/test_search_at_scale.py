"""Search and facets that stay honest with many records: relevance over every match (not the first
1,000 an index happens to return), near spellings and other scripts, estimated counts said to be
estimates, and facet counts kept at publication and withdrawal."""

import re
from html import unescape

import pytest
from django.core.cache import caches
from django.db import connection

from records.models import FacetCount, Record
from records.reads import search
from records.reads.search import matches_per_type, search_all
from records.workflow.indexing import SEARCH_NAMES_SQL, SEARCH_VECTOR_SQL, facet_keys_rebuild
from tests.factories import publish
from tests.public.conftest import withdraw
from tests.public.test_lists import facet_block


def clone_persons(count: int, *, name: str, notes: str) -> None:
    """`count` published person records (core rows only: search reads nothing else), written in one
    statement with the search fields publication derives — far cheaper than `count` approvals."""
    texts = {"names": "%(name)s || ' ' || g", "english": "%(notes)s", "russian": "''", "other": "%(notes)s"}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO records_record (record_type, status, revision, label, labels, aliases, identifiers, notes,
                certainty, certainty_note, date, date_text, place_ids, facet_keys, created_at, updated_at,
                search_names, search_vector)
            SELECT 'person', 'published', 1, %(name)s || ' ' || g, '{{}}', '{{}}', '{{}}', %(notes)s, 'certain', '',
                '', '', '{{}}', '{{}}', now(), now(),
                {SEARCH_NAMES_SQL.format(**texts)}, {SEARCH_VECTOR_SQL.format(**texts)}
            FROM generate_series(1, %(count)s) AS g
            """,
            {"name": name, "notes": notes, "count": count},
        )
        cursor.execute("ANALYZE records_record")


def test_the_best_match_ranks_first_however_many_match_before_it(world):
    # 1,100 records mention the word only in their notes, all written before the one whose title has it:
    # ranking only the first 1,000 matches an index returns would never have looked at that one.
    clone_persons(1100, name="Clerk", notes="Kept the files on the Irtysh barge trade")
    titled = publish("agreement", title="Memorandum on the Irtysh barge trade")
    results = search_all("barge", limit=5)
    assert results.hits[0].id == titled.pk
    assert len(results.hits) == 5 and results.has_more


def test_a_record_named_exactly_as_the_query_comes_first(world):
    clone_persons(1100, name="Zhanaarka", notes="")  # "Zhanaarka 1", "Zhanaarka 2"...: the word in the name
    place = publish("place", name="Zhanaarka", kind="region")
    assert search_all("Zhanaarka", limit=3).hits[0].id == place.pk
    assert search_all("ZHANAARKA", limit=3).hits[0].id == place.pk


def test_pages_of_many_matches_are_one_order(world, reader):
    clone_persons(700, name="Clerk", notes="Irtysh barge")
    first = reader.get("/api/v1/search/", {"q": "barge", "page_size": 100}).json()
    second = reader.get(first["next"]).json()
    ids = [hit["id"] for hit in first["results"] + second["results"]]
    assert len(ids) == len(set(ids)) == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Pavlodr Regoin", "pavlodar"),  # two words misspelt
        ("Павлодарская область", "pavlodar"),  # the Russian name
        ("Павлодар облысы", "pavlodar"),  # the Kazakh name
        ("Kurgn", "kurgan"),
    ],
)
def test_misspelt_and_cyrillic_names_are_found(world, query, expected):
    assert search_all(query, limit=3).hits[0].id == getattr(world, expected).pk


def test_a_newly_published_name_can_be_misspelt_at_once(world):
    place = publish("place", name="Ekibastuz District", kind="region")
    assert search_all("Ekibastus", limit=3).hits[0].id == place.pk


def test_withdrawn_records_are_neither_found_nor_counted(world):
    place = publish("place", name="Shchuchinsk District", kind="region")
    assert matches_per_type("Shchuchinsk", ["place"]) == ({"place": 1}, True)
    withdraw(place)
    assert search_all("Shchuchinsk").hits == []
    assert search_all("Shchuchinks").hits == []  # its words may still be suggested; it is not found
    assert matches_per_type("Shchuchinsk", ["place"]) == ({}, True)


def test_counts_beyond_the_exact_limit_are_shown_as_estimates(world, reader, monkeypatch):
    clone_persons(40, name="Clerk", notes="Irtysh barge")
    exact = unescape(reader.get("/search/", {"q": "barge"}).content.decode())
    assert re.search(r"\b40 matching records", exact)
    monkeypatch.setattr(search, "EXACT_COUNT_LIMIT", 10)
    caches["publication"].clear()  # the same page again, rendered anew rather than served from the cache
    estimated = unescape(reader.get("/search/", {"q": "barge"}).content.decode())
    assert re.search(r"≈[\d,]+ matching records", estimated)
    # The estimate comes from a uniform sample of the matches in hash order: one that holds every
    # match (as here, with fewer than SHARES_SAMPLE) gives the number itself, by type.
    persons = Record.objects.filter(record_type="person", status="published", notes__icontains="barge").count()
    assert matches_per_type("barge", ["person", "place"]) == ({"person": persons}, False)
    monkeypatch.setattr(search, "SHARES_SAMPLE", 20)  # the 20 lowest hashes stand for them all
    estimate = matches_per_type("barge", ["person"])[0]["person"]
    assert persons / 4 <= estimate <= persons * 4


# ------------------------------------------------------------------ facet counts kept at publication


def recounted() -> dict[tuple[str, str], int]:
    """The facet counts counted afresh over every published record."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT record_type, key, count(*) FROM records_record, unnest(facet_keys) AS key"
            " WHERE status = 'published' GROUP BY record_type, key"
        )
        return {(t, k): n for t, k, n in cursor.fetchall()}


def kept() -> dict[tuple[str, str], int]:
    return {(c.record_type, c.key): c.count for c in FacetCount.objects.filter(count__gt=0)}


def sphere_count(reader, name: str) -> str | None:
    match = re.search(rf"{name}</a> <span class=\"count\">([^<]+)<", facet_block(reader.get("/agreements/"), "sphere"))
    return match.group(1) if match else None


def test_facet_counts_follow_publication_and_withdrawal(world, reader):
    assert kept() == recounted()
    assert facet_keys_rebuild() == 0  # what publication derived is what the tables say
    energy = FacetCount.objects.filter(record_type="agreement", key="sphere:energy")
    assert sphere_count(reader, "Energy") is None
    first = publish("agreement", title="Energy agreement", parties=[{"id": world.kurgan.pk}], spheres=["energy"])
    publish("agreement", title="Power lines", parties=[{"id": world.pavlodar.pk}], spheres=["energy", "trade"])
    assert energy.get().count == 2
    assert sphere_count(reader, "Energy") == "2"
    withdraw(first)
    assert energy.get().count == 1
    assert sphere_count(reader, "Energy") == "1"
    assert FacetCount.objects.get(record_type="agreement", key=f"place:{world.kurgan.pk}").count == (
        Record.objects.filter(
            record_type="agreement", status="published", place_ids__contains=[world.kurgan.pk]
        ).count()
    )
    assert kept() == recounted()


def test_an_unfiltered_list_reads_its_total_and_filtered_ones_estimate_beyond_the_cap(world, reader, monkeypatch):
    from records.reads import facets

    published = Record.objects.filter(record_type="place", status="published").count()
    page = unescape(reader.get("/places/").content.decode())
    assert f"{published} records" in page
    monkeypatch.setattr(facets, "CAP", 2)
    # A sample in hash order of a share of the matches, as at a million.
    monkeypatch.setattr(facets, "SAMPLE_ENOUGH", 3)
    filtered = reader.get("/places/?country=KZ")
    assert re.search(r"≈[\d,]+ records", unescape(filtered.content.decode()))
    assert "≈" in facet_block(filtered, "kind")
