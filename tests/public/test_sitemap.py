"""Sitemap (an index of id-range files, published records only) and robots.txt."""

import re

from records.views.public import sitemap
from tests.public.conftest import withdraw


def locations(response) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def test_the_index_points_at_id_range_files(world, reader, monkeypatch):
    monkeypatch.setattr(sitemap, "SITEMAP_CHUNK", 10)
    response = reader.get("/sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")
    highest = world.statistic.pk
    assert locations(response) == [f"http://testserver/sitemap-{n}.xml" for n in range(highest // 10 + 1)]


def test_it_lists_published_records_only(world, reader):
    withdraw(world.kurgan_agreement)
    urls = locations(reader.get("/sitemap-0.xml"))
    assert f"http://testserver/places/{world.east.pk}/" in urls
    assert f"http://testserver/sources/{world.article.pk}/" in urls
    assert f"http://testserver/agreements/{world.kurgan_agreement.pk}/" not in urls
    assert "<lastmod>" in reader.get("/sitemap-0.xml").content.decode()


def test_a_file_past_the_last_id_is_empty_and_a_huge_one_is_404(world, reader):
    assert locations(reader.get("/sitemap-999.xml")) == []
    assert "http://testserver/places/" in locations(reader.get("/sitemap-0.xml"))
    assert reader.get("/sitemap-99999999999999999999999.xml").status_code == 404


def test_sitemap_queries_are_constant(world, reader, django_assert_num_queries):
    # the publication version (the cache key), then one query
    with django_assert_num_queries(2):
        reader.get("/sitemap.xml")
    with django_assert_num_queries(2):
        reader.get("/sitemap-0.xml")


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_accounts(reader, db):
    response = reader.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /accounts/" in text
    assert "Disallow: /admin/" in text
