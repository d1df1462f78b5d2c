"""Anonymous reads cached under the publication version, for the server and for browsers and proxies.

Every anonymous GET or HEAD (no session or messages cookie, no Authorization header) is looked up in the
"publication" cache under a key made of everything that changes its bytes:

    the publication version (records.models.publication — bumped by database triggers in the
    transaction of every write to a published table), the absolute URL with its query string (scheme
    and host too: the API's links are absolute), the Accept header (the API's formats) and the active
    language (LocaleMiddleware: the language cookie, else Accept-Language).

The version is read once per request, before the view runs, so a stored response was rendered from a
state at least as new as its version: a publication is visible to the next request, and nothing older
is ever served. Entries of older versions are never read again and expire (PUBLICATION_CACHE_SECONDS,
or Redis' LRU).

Stored: status 200, and 404/410 too (a missing or withdrawn record is as much a function of the
published state, and crawlers ask for them again and again); never a response that sets a cookie or
modifies the session, says private/no-store/no-cache, varies on another header, streams (whole
exports, `?all=1`) or is larger than PUBLICATION_CACHE_MAX_BYTES. HEAD is answered from the cache
but only GET fills it (a HEAD body is not to be trusted).

Browsers and proxies: a 200 carries a strong `ETag` (the view's own — a record's detail has one,
records/api/etags.py — else one made from the key, which includes the version), `Last-Modified` (the
publication time), `Cache-Control: public, max-age=PUBLICATION_CACHE_MAX_AGE` and
`Vary: Accept, Accept-Language, Cookie, Authorization`; `If-None-Match` / `If-Modified-Since` get 304
without the view running when the response is stored (and `If-None-Match` with our ETag for this
version even when it is not: another process filled the cache, or it was evicted). Last-Modified has
one-second resolution: two publications within one second are told apart by the ETag only, which
takes precedence whenever a client sends both (RFC 9110 13.2.2; browsers do).

Responses to a signed-in session or a token are never stored nor served from here and carry
`Cache-Control: private`.

A cache hit skips the view and with it the API's throttles: a repeated anonymous read costs one
primary-key query and a cache read, so it is not counted against the caller's rate.
"""

from __future__ import annotations

import hashlib
from calendar import timegm

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from records.models import publication_current, publication_pinned

STORED_STATUSES = frozenset({200, 404, 410})
VARY = ("Accept", "Accept-Language", "Cookie", "Authorization")
# Cookies that make a request someone's: a session (signed in, or an anonymous session with state) and
# queued messages (shown once on the next page). The language cookie is part of the key instead.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def personal(request: HttpRequest) -> bool:
    """Whether the request may carry an identity or personal state: then nothing is shared with it."""
    return "HTTP_AUTHORIZATION" in request.META or any(name in request.COOKIES for name in PERSONAL_COOKIES)


def cache_key(request: HttpRequest, version: int) -> str:
    parts = (
        str(version),
        request.build_absolute_uri(),
        " ".join(request.META.get("HTTP_ACCEPT", "").split()),
        getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
    )
    return "pub:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the response is the same for every anonymous reader of this key (and small enough)."""
    if response.status_code not in STORED_STATUSES or response.streaming:
        return False
    if response.cookies or getattr(getattr(request, "session", None), "modified", False):
        return False
    if request.META.get("CSRF_COOKIE_USED"):  # a form with a CSRF token: it belongs to one browser
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    known = {header.lower() for header in VARY}
    varies = {h.strip().lower() for h in response.get("Vary", "").split(",") if h.strip()}
    if varies - known:
        return False
    return len(response.content) <= settings.PUBLICATION_CACHE_MAX_BYTES


def make_public(response: HttpResponse, etag: str, last_modified: int) -> None:
    """The headers that let browsers and shared caches keep an anonymous response and revalidate it."""
    if response.status_code == 200:
        if not response.has_header("ETag"):
            response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
    response.headers.pop("Expires", None)
    patch_cache_control(response, public=True, max_age=settings.PUBLICATION_CACHE_MAX_AGE)
    patch_vary_headers(response, VARY)


class PublicationCacheMiddleware:
    """Serve and store anonymous GET/HEAD responses under the publication version (see the module).

    Placed after LocaleMiddleware (the language is part of the key) and before the view-side
    middleware, so a hit skips CSRF, authentication, messages and the view itself; the headers the
    outer middleware add (security, CSP, CORS, Content-Language) are added to hits as well.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches[settings.PUBLICATION_CACHE_ALIAS]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or personal(request):
            response = self.get_response(request)
            if personal(request):
                patch_cache_control(response, private=True)
            return response
        state = publication_current()
        if state is None:  # no publication row (a flushed test database): nothing may be shared
            return self.get_response(request)
        key = cache_key(request, state.version)
        etag = f'"p{state.version}-{key[4:24]}"'
        last_modified = timegm(state.published_at.utctimetuple())

        entry = self.cache.get(key)
        if entry is not None:
            status, headers, content = entry
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return get_conditional_response(
                request, etag=response.get("ETag"), last_modified=last_modified, response=response
            )

        # Not stored (here, or any more): an ETag of ours for this very key and version is still good.
        # (Only ours: it was given only to a shareable 200 of this URL, while If-Modified-Since or `*`
        # would also match a URL that has no such response; those are checked after rendering.)
        if etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
            validators = HttpResponse()
            make_public(validators, etag, last_modified)
            answer = get_conditional_response(request, etag=etag, last_modified=last_modified, response=validators)
            if answer.status_code == 304:
                return answer

        with publication_pinned(state):
            response = self.get_response(request)
        if not shareable(request, response):
            if response.cookies:
                patch_cache_control(response, private=True)
            return response
        make_public(response, etag, last_modified)
        if request.method == "GET":
            self.cache.set(key, (response.status_code, list(response.items()), response.content))
        return get_conditional_response(
            request, etag=response.get("ETag"), last_modified=last_modified, response=response
        )
