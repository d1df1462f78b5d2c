"""Anonymous reads are served from the cache until the next publication, never a stale or personal byte."""

from html import unescape

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from records.models import Sphere, publication_current
from records.workflow import review
from tests.caching.conftest import VERSION_QUERY, queries_of
from tests.conftest import page_client
from tests.factories import propose_update, publish, staff_pair
from tests.public.conftest import withdraw
from tests.tokens import token_for


def text(response) -> str:
    return unescape(response.content.decode())


def reads(w) -> list[str]:
    """What an anonymous reader looks at: pages and API, list, detail and search."""
    return [
        "/places/",
        f"/places/{w.place.pk}/",
        "/search/?q=Zarechny",
        "/api/v1/places/",
        f"/api/v1/places/{w.place.pk}/",
        "/api/v1/search/?q=Zarechny",
    ]


def test_a_repeated_anonymous_read_costs_only_the_version_query(small_world, reader):
    w = small_world
    for url in [*reads(w), "/", f"/agreements/{w.agreement.pk}/", f"/places/{w.place.pk}/history/", "/sitemap.xml"]:
        first = reader.get(url)
        assert first.status_code == 200, url
        again, sql = queries_of(reader, url)
        assert sql == [VERSION_QUERY], url
        assert again.status_code == 200
        assert again.content == first.content
        assert again["ETag"] == first["ETag"]


def test_a_missing_record_is_cached_too_and_appears_once_published(small_world, reader):
    missing = f"/places/{small_world.agreement.pk + 1000}/"
    assert reader.get(missing).status_code == 404
    response, sql = queries_of(reader, missing)
    assert response.status_code == 404
    assert sql == [VERSION_QUERY]


def test_an_approval_is_visible_to_the_next_anonymous_read(small_world, reader):
    w = small_world
    for url in reads(w):
        assert "Zarechny Oldname" in text(reader.get(url)), url
    author, approver = staff_pair()
    proposal = propose_update(w.place, author, name="Zarechny Newname")
    review.proposal_approve(proposal_id=proposal.pk, reviewer=approver)
    for url in reads(w):
        page = text(reader.get(url))
        assert "Zarechny Newname" in page, url
        assert "Zarechny Oldname" not in page, url


def test_a_withdrawal_is_visible_to_the_next_anonymous_read(small_world, reader):
    w = small_world
    lists = ["/places/", "/search/?q=Zarechny", "/api/v1/places/", "/api/v1/search/?q=Zarechny"]
    for url in lists:
        assert "Zarechny Oldname" in text(reader.get(url))
    assert reader.get(f"/places/{w.place.pk}/").status_code == 200
    assert reader.get(f"/api/v1/places/{w.place.pk}/").status_code == 200
    withdraw(w.agreement)  # the agreement names the place: withdrawn first
    withdraw(w.place)
    for url in lists:
        assert "Zarechny Oldname" not in text(reader.get(url)), url
    assert reader.get(f"/places/{w.place.pk}/").status_code == 410
    assert reader.get(f"/api/v1/places/{w.place.pk}/").status_code in (404, 410)


def test_a_vocabulary_label_change_is_visible_to_the_next_anonymous_read(small_world, reader):
    urls = [f"/agreements/{small_world.agreement.pk}/", "/agreements/", "/api/v1/vocabularies/sphere/"]
    for url in urls:
        assert "Commerce of the steppe" not in text(reader.get(url))
    sphere = Sphere.objects.get(code="trade")
    sphere.labels = {**sphere.labels, "en": "Commerce of the steppe"}
    sphere.save()
    for url in urls:
        assert "Commerce of the steppe" in text(reader.get(url)), url


def test_every_write_to_a_published_table_bumps_the_version_in_its_transaction(small_world):
    before = publication_current()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE records_sphere SET position = position WHERE code = 'trade'")
        inside = publication_current()
        assert inside.version > before.version
        transaction.set_rollback(True)
    assert publication_current() == before  # rolled back with the write
    publish("place", name="Another place")
    after = publication_current()
    assert after.version > inside.version  # a number is never handed out twice
    assert after.published_at >= before.published_at


def test_bulk_copies_and_public_names_bump_it_too(small_world, researcher):
    """COPY (the synthetic generator's way in, bench/bulk.py) fires the statement triggers; a new public
    name of an account changes the history pages, a sign-in's last_login changes nothing readers see."""
    before = publication_current().version
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy("COPY records_sphere (code, labels, description, position, active) FROM STDIN") as copy,
    ):
        copy.write_row(("steppe_trade", '{"en": "steppe trade"}', "", 99, True))
    copied = publication_current().version
    assert copied > before
    researcher.last_login = researcher.date_joined
    researcher.save(update_fields=["last_login"])
    assert publication_current().version == copied
    researcher.display_name = "Rita R."
    researcher.save(update_fields=["display_name"])
    assert publication_current().version > copied


def test_signed_in_readers_never_get_nor_leave_cached_bytes(small_world, reader, researcher):
    url = f"/places/{small_world.place.pk}/"
    anonymous = reader.get(url)
    assert "Rita Researcher" not in text(anonymous)
    signed_in = page_client(researcher)
    mine, sql = queries_of(signed_in, url)
    assert len(sql) > 1  # rendered for her, not taken from the cache
    assert "Rita Researcher" in text(mine)
    assert "private" in mine["Cache-Control"] and "public" not in mine["Cache-Control"]
    # Her page of another URL is not stored for the next anonymous reader either.
    signed_in.get("/places/")
    response, sql = queries_of(reader, "/places/")
    assert len(sql) > 1
    assert "Rita Researcher" not in text(response)
    assert "public" in response["Cache-Control"]


def test_token_requests_are_never_served_from_the_cache(small_world, reader, researcher):
    url = "/api/v1/places/"
    reader.get(url)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(researcher)}")
    response, sql = queries_of(client, url)
    assert response.status_code == 200
    assert len(sql) > 1
    assert "private" in response["Cache-Control"]


def test_languages_and_formats_are_separate_entries(small_world, reader):
    url = f"/places/{small_world.place.pk}/"
    english = reader.get(url, headers={"accept-language": "en"})
    russian = reader.get(url, headers={"accept-language": "ru"})
    kazakh = page_client(language="kk").get(url)
    assert "Zarechny Oldname" in text(english)
    assert "Заречный Старое" in text(russian)
    assert "Заречный Ескі" in text(kazakh)
    again, sql = queries_of(reader, url, headers={"accept-language": "ru"})
    assert sql == [VERSION_QUERY]
    assert again.content == russian.content
    assert reader.get(url, headers={"accept-language": "en"}).content == english.content

    api = "/api/v1/places/"
    as_json = reader.get(api, headers={"accept": "application/json"})
    as_csv = reader.get(api, headers={"accept": "text/csv"})
    by_query = reader.get(api + "?format=csv")
    assert as_json["Content-Type"].startswith("application/json")
    assert as_csv["Content-Type"].startswith("text/csv")
    assert by_query["Content-Type"].startswith("text/csv")
    again, sql = queries_of(reader, api, headers={"accept": "application/json"})
    assert sql == [VERSION_QUERY]
    assert again["Content-Type"].startswith("application/json")
    assert again.content == as_json.content


def test_validators_answer_304_without_rendering_until_the_next_publication(small_world, reader):
    url = "/places/"
    first = reader.get(url)
    assert first["ETag"].startswith('"') and not first["ETag"].startswith("W/")
    assert first["Last-Modified"]
    reader_caches = [
        {"if-none-match": first["ETag"]},
        {"if-modified-since": first["Last-Modified"]},
    ]
    for headers in reader_caches:
        response, sql = queries_of(reader, url, headers=headers)
        assert response.status_code == 304, headers
        assert response.content == b""
        assert sql == [VERSION_QUERY]
        assert response["ETag"] == first["ETag"]
    # Known to the browser but no longer in this process' cache: still 304, still without the view.
    from django.core.cache import caches

    caches["publication"].clear()
    response, sql = queries_of(reader, url, headers={"if-none-match": first["ETag"]})
    assert response.status_code == 304
    assert sql == [VERSION_QUERY]

    publish("place", name="Zarechny Second")
    response = reader.get(url, headers={"if-none-match": first["ETag"]})
    assert response.status_code == 200
    assert "Zarechny Second" in text(response)
    assert response["ETag"] != first["ETag"]


def test_the_record_etag_of_the_api_detail_is_kept(small_world, reader):
    url = f"/api/v1/places/{small_world.place.pk}/"
    first = reader.get(url)
    assert first["ETag"].startswith(f'"{small_world.place.pk}-r1-')
    for _ in range(2):  # from the view, then from the cache
        response = reader.get(url, headers={"if-none-match": first["ETag"]})
        assert response.status_code == 304
        assert response["ETag"] == first["ETag"]


ANONYMOUS_PAGES = ["/", "/places/", "/agreements/", "/search/?q=Zarechny", "/api/v1/", "/api/v1/places/"]


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_anonymous_pages_set_no_cookie_and_say_what_they_vary_on(small_world, reader, url):
    for response in (reader.get(url), reader.get(url)):  # rendered, then from the cache
        assert response.status_code == 200
        assert not response.cookies, response.cookies
        assert "Set-Cookie" not in response
        vary = {part.strip().lower() for part in response["Vary"].split(",")}
        assert {"accept", "accept-language", "cookie", "authorization"} <= vary
        assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]


def test_anonymous_record_pages_set_no_cookie(small_world, reader):
    for url in (f"/places/{small_world.place.pk}/", f"/api/v1/places/{small_world.place.pk}/"):
        response = reader.get(url)
        assert response.status_code == 200
        assert not response.cookies


def test_the_language_switch_still_works_without_a_token(small_world, reader):
    assert "Zarechny Oldname" in text(reader.get("/places/"))
    response = reader.post("/i18n/setlang/", {"language": "ru", "next": "/places/"})
    assert response.status_code == 302
    assert "Заречный Старое" in text(reader.get("/places/", headers={"accept-language": "en"}))


def test_the_sign_in_form_keeps_its_csrf_token_and_is_not_shared(small_world, reader):
    response = reader.get("/accounts/login/")
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "public" not in response.get("Cache-Control", "")
    again = reader.get("/accounts/login/")
    assert "csrfmiddlewaretoken" in again.content.decode()
    assert again.content != response.content  # a freshly masked token: rendered again, not shared


def test_a_pending_proposal_never_reaches_anonymous_readers(small_world, reader, researcher, reviewer):
    w = small_world
    proposal = propose_update(w.place, researcher, name="Zarechny Secretname")
    # Those who may see it look first; nothing of theirs is kept for the reader.
    page_client(reviewer).get(f"/proposals/{proposal.pk}/")
    page_client(researcher).get(f"/places/{w.place.pk}/")
    for url in [*reads(w), f"/places/{w.place.pk}/history/", "/"]:
        for _ in range(2):
            page = text(reader.get(url))
            assert "Secretname" not in page, url


def test_head_is_answered_from_the_cache_but_never_fills_it(small_world, reader):
    url = "/agreements/"
    assert reader.head(url).status_code == 200
    response, sql = queries_of(reader, url)
    assert len(sql) > 1  # the HEAD stored nothing
    with CaptureQueriesContext(connection) as captured:
        head = reader.head(url)
    assert head.status_code == 200
    assert [query["sql"] for query in captured.captured_queries] == [VERSION_QUERY]
    assert head["ETag"] == response["ETag"]


def test_whole_exports_stream_and_are_not_stored(small_world, reader):
    url = "/api/v1/places/?format=csv&all=1"
    first = reader.get(url)
    assert first.status_code == 200 and first.streaming
    b"".join(first.streaming_content)
    response, sql = queries_of(reader, url)
    assert len(sql) > 1
    assert "Zarechny Oldname" in b"".join(response.streaming_content).decode()
