"""The home page: what the portal holds, recent changes, ways in."""

import re

from tests.public.conftest import withdraw


def test_it_shows_counts_by_type_and_the_years_covered(world, reader):
    page = reader.get("/").content.decode()
    assert re.search(r'Places</span>\s*<span class="type-card-count">9<', page)
    assert re.search(r'Agreements</span>\s*<span class="type-card-count">3<', page)
    assert "1999–2005" in page


def test_it_lists_recent_published_changes_newest_first(world, reader):
    page = reader.get("/").content.decode()
    statistic = page.index(f'href="/statistics/{world.statistic.pk}/"')
    event = page.index(f'href="/events/{world.event.pk}/"')
    assert statistic < event


def test_it_counts_from_a_short_lived_cache_not_per_request(world, reader, django_assert_max_num_queries):
    reader.get("/")
    with django_assert_max_num_queries(1):  # the recent changes only
        reader.get("/")


def test_it_does_not_count_withdrawn_records(world, reader):
    withdraw(world.kurgan_agreement)
    page = reader.get("/").content.decode()
    assert re.search(r'Agreements</span>\s*<span class="type-card-count">2<', page)


def test_it_offers_search_and_every_type(world, reader):
    page = reader.get("/").content.decode()
    assert 'action="/search/"' in page
    for plural in ("places", "organizations", "persons", "agreements", "events", "statistics", "sources"):
        assert f'href="/{plural}/"' in page
