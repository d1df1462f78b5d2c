"""The WSGI front (records/caching.py PublicationFront) answers stored anonymous reads before Django's
request cycle, with the very bytes Django answers, and never what Django would not."""

from __future__ import annotations

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from records.caching import PublicationFront
from records.workflow import review
from tests.factories import propose_update, staff_pair


@pytest.fixture
def django_app():
    """Django's WSGI application as gunicorn runs it, keeping the test's connection open (as the test
    client does: closing it would end the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def front(django_app):
    return PublicationFront(django_app)


@pytest.fixture
def django_runs():
    """How many requests reached Django's request cycle."""
    runs = []

    def count(**kwargs):
        runs.append(1)

    request_started.connect(count)
    yield runs
    request_started.disconnect(count)


def call(app, path: str, method: str = "GET", **headers) -> tuple[str, list, bytes]:
    """One request through a WSGI application: status line, headers, body."""
    environ = dict(RequestFactory().generic(method, path, HTTP_HOST="testserver", **headers).environ)
    answered = []
    body = app(environ, lambda status, headers, exc_info=None: answered.extend([status, list(headers)]))
    try:
        content = b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    return answered[0], answered[1], content


def requests_of(w) -> list[tuple[str, dict]]:
    return [
        (f"/places/{w.place.pk}/", {}),
        (f"/places/{w.place.pk}/", {"HTTP_ACCEPT_LANGUAGE": "ru,en;q=0.5"}),
        (f"/places/{w.place.pk}/", {"HTTP_COOKIE": "django_language=kk", "HTTP_ACCEPT_LANGUAGE": "ru"}),
        ("/agreements/?sphere=trade", {}),
        ("/api/v1/places/", {"HTTP_ACCEPT": "application/json"}),
        ("/api/v1/places/", {"HTTP_ACCEPT": "text/csv"}),
        ("/api/v1/places/", {"HTTP_ORIGIN": "https://elsewhere.example"}),
        (f"/api/v1/places/{w.place.pk}/", {}),
        (f"/places/{w.agreement.pk + 1000}/", {}),  # a 404 is kept too
    ]


def test_a_hit_through_the_front_is_byte_identical_to_django(small_world, front, django_app, django_runs):
    for path, headers in requests_of(small_world):
        through_django = call(django_app, path, **headers)
        runs = len(django_runs)
        first = call(front, path, **headers)  # not kept yet: Django answers, the front keeps it
        assert len(django_runs) == runs + 1, path
        again = call(front, path, **headers)
        assert len(django_runs) == runs + 1, (path, headers)  # answered by the front alone
        assert again == first == through_django, (path, headers)
        assert call(front, path, "HEAD", **headers) == call(django_app, path, "HEAD", **headers), path
    assert len(django_runs) == 3 * len(requests_of(small_world))  # the HEADs through the front too: none

    status, headers, body = call(front, f"/places/{small_world.place.pk}/", HTTP_COOKIE="django_language=kk")
    assert ("Content-Language", "kk") in headers
    assert "Заречный Ескі".encode() in body
    cross_origin = call(front, "/api/v1/places/", HTTP_ORIGIN="https://elsewhere.example")[1]
    assert ("access-control-allow-origin", "*") in [(name.lower(), value) for name, value in cross_origin]
    assert "access-control-allow-origin" not in {name.lower() for name, _ in call(front, "/api/v1/places/")[1]}


def test_revalidation_gets_the_304_django_gives(small_world, front, django_app, django_runs):
    for path in (f"/places/{small_world.place.pk}/", "/api/v1/places/", f"/api/v1/places/{small_world.place.pk}/"):
        status, headers, _ = call(front, path)
        assert call(django_app, path)[0] == status == "200 OK"
        validators = dict(headers)
        runs = len(django_runs)
        for conditional in (
            {"HTTP_IF_NONE_MATCH": validators["ETag"]},
            {"HTTP_IF_MODIFIED_SINCE": validators["Last-Modified"]},
        ):
            not_modified = call(front, path, **conditional)
            assert not_modified[0] == "304 Not Modified"
            assert not_modified == call(django_app, path, **conditional), (path, conditional)
        assert len(django_runs) == runs + 2  # the two through Django only
        assert call(front, path, HTTP_IF_NONE_MATCH='"another"')[0] == "200 OK"


def test_a_publication_is_visible_to_the_very_next_request(small_world, front, django_runs):
    w = small_world
    paths = [f"/places/{w.place.pk}/", "/api/v1/places/"]
    for path in paths:
        call(front, path)
        assert b"Zarechny Oldname" in call(front, path)[2]
    author, approver = staff_pair()
    review.proposal_approve(proposal_id=propose_update(w.place, author, name="Zarechny Newname").pk, reviewer=approver)
    for path in paths:
        runs = len(django_runs)
        body = call(front, path)[2]
        assert b"Zarechny Newname" in body and b"Zarechny Oldname" not in body, path
        assert len(django_runs) == runs + 1


def test_personal_requests_and_health_are_never_answered_from_it(small_world, front, django_app, django_runs):
    path = "/api/v1/places/"
    call(front, path)
    for personal in (
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "messages=x"},
        {"HTTP_AUTHORIZATION": "Token x"},
    ):
        runs = len(django_runs)
        status, headers, _ = call(front, path, **personal)
        assert len(django_runs) == runs + 1, personal
        assert "private" in dict(headers)["Cache-Control"]
    runs = len(django_runs)
    for health in ("/health/", "/ready/"):
        status, headers, body = call(front, health)
        assert status == "200 OK" and ("Cache-Control", "no-store") in headers
        assert (status, headers) == call(django_app, health)[:2]
    assert len(django_runs) == runs + 2  # the two through Django only
