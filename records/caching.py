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

Served by gunicorn (portal/wsgi.py), the hits are answered earlier still, by `PublicationFront`, a WSGI
application ahead of Django's: it reads the version (one prepared statement on the worker's kept
connection, on the database ReplicaMiddleware would read from), looks the entry up under the version
and the request's raw identity (FrontIdentity: scheme, host, path and query, Accept, Origin, and the
language chosen by the very function LocaleMiddleware calls) and replays the whole response Django
gave the first time — the outer middleware's headers included — or the 304 Django would give. No
request object, middleware, signal or URL resolution runs for a hit. Everything it does not answer
goes to Django, whose middleware then leaves storing to the front (FRONT_STORE): one entry per
response, never two. Personal requests, If-Match/If-Unmodified-Since and requests without a Host
never touch it. PUBLICATION_FRONT=0 leaves the hits to the middleware.

A cache hit skips the view and with it the API's throttles: a repeated anonymous read costs one
primary-key query and a cache read, so it is not counted against the caller's rate.
"""

from __future__ import annotations

import hashlib
import time
import weakref
from calendar import timegm
from dataclasses import dataclass

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.cache import caches
from django.core.handlers.wsgi import get_str_from_wsgi
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, parse_cookie
from django.utils import translation
from django.utils.cache import (
    _if_modified_since_passes,
    _if_none_match_passes,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from psycopg import pq

from portal import health, replicas
from records.models import publication_current, publication_pinned

STORED_STATUSES = frozenset({200, 404, 410})
VARY = ("Accept", "Accept-Language", "Cookie", "Authorization")
# Cookies that make a request someone's: a session (signed in, or an anonymous session with state) and
# queued messages (shown once on the next page). The language cookie is part of the key instead.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def personal(meta: dict, cookies: dict) -> bool:
    """Whether the request (its META or WSGI environ, its cookies) may carry an identity or personal
    state: then nothing is shared with it."""
    return "HTTP_AUTHORIZATION" in meta or any(name in cookies for name in PERSONAL_COOKIES)


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

    Behind the front (`PublicationFront`, which sets FRONT_IDENTITY in the WSGI environ) it neither
    looks up nor stores entries of its own: the front has just missed, and keeps the whole response
    (with the outer middleware's headers) itself when this middleware says it may (FRONT_STORE).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches[settings.PUBLICATION_CACHE_ALIAS]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or personal(request.META, request.COOKIES):
            response = self.get_response(request)
            if personal(request.META, request.COOKIES):
                patch_cache_control(response, private=True)
            return response
        state = publication_current()
        if state is None:  # no publication row (a flushed test database): nothing may be shared
            return self.get_response(request)
        key = cache_key(request, state.version)
        etag = f'"p{state.version}-{key[4:24]}"'
        last_modified = timegm(state.published_at.utctimetuple())
        front: FrontIdentity | None = request.META.get(FRONT_IDENTITY)

        entry = None if front else self.cache.get(key)
        if entry is not None:
            status, headers, content = entry
            response = HttpResponse(content, status=status)
            del response["Content-Type"]  # set again below, in the order the rendered response had it
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
            if front is None:
                self.cache.set(key, (response.status_code, list(response.items()), response.content))
            elif front.language == request.LANGUAGE_CODE:  # the front's key names the language rendered
                request.META[FRONT_STORE] = (state.version, list(response.items()))
        return get_conditional_response(
            request, etag=response.get("ETag"), last_modified=last_modified, response=response
        )


# ------------------------------------------------------------------ the front, ahead of Django

# Set in the WSGI environ by the front before it hands a request to Django: what its key is made of.
FRONT_IDENTITY = "bailanys.front.identity"
# Set by the middleware when the response may be kept by the front: (version, the headers it had).
FRONT_STORE = "bailanys.front.store"
# What a 304 keeps of the response it stands for (django.utils.cache._not_modified, RFC 9110 15.4.5).
NOT_MODIFIED_KEPT = ("Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Last-Modified", "Vary")
VERSION_STATEMENT = b"bailanys_publication_version"
VERSION_SQL = b"SELECT version FROM records_publication WHERE id = 1"


@dataclass(frozen=True)
class FrontIdentity:
    """Everything in a request that changes the bytes of an anonymous answer, but the version.

    Raw WSGI values, so that computing them costs no request object: the scheme's inputs, the host
    (and the forwarded host when trusted), the path and query, the Accept header, the Origin (CORS
    headers depend on it) and the language as LocaleMiddleware chooses it."""

    parts: str
    language: str


class _LanguageInputs:
    """What `get_language_from_request` reads of a request: its cookies and its META."""

    def __init__(self, environ: dict, cookies: dict):
        self.META, self.COOKIES = environ, cookies


def front_identity(environ: dict, cookies: dict) -> FrontIdentity:
    proxy = settings.SECURE_PROXY_SSL_HEADER
    forwarded_host = environ.get("HTTP_X_FORWARDED_HOST", "") if settings.USE_X_FORWARDED_HOST else ""
    parts = (
        environ.get("wsgi.url_scheme", ""),
        environ.get(proxy[0], "") if proxy else "",
        environ.get("HTTP_HOST", ""),
        forwarded_host,
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        " ".join(environ.get("HTTP_ACCEPT", "").split()),
        environ.get("HTTP_ORIGIN", ""),
    )
    # The very function LocaleMiddleware calls, on the same inputs (no language prefixes in the URLs:
    # the front stands aside when there are, see PublicationFront).
    language = translation.get_language_from_request(_LanguageInputs(environ, cookies))
    return FrontIdentity("\x1f".join(parts), language)


def front_key(version: int, identity: FrontIdentity) -> str:
    raw = f"{version}\x1f{identity.language}\x1f{identity.parts}"
    return "front:" + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def publication_version(alias: str) -> int | None:
    """The committed publication version, read on the kept connection of `alias` through a prepared
    statement (a few tens of microseconds); None when that cannot be done now (Django will reconnect).

    libpq directly (psycopg.pq), not a Django cursor: a cursor costs several times the round trip."""
    wrapper = connections[alias]
    if wrapper.close_at is not None and time.monotonic() >= wrapper.close_at and not wrapper.in_atomic_block:
        wrapper.close()  # past DATABASE_CONN_MAX_AGE: closed, as Django would at the start of a request
    wrapper.ensure_connection()
    raw = wrapper.connection
    pgconn = raw.pgconn
    if pgconn.transaction_status not in (pq.TransactionStatus.IDLE, pq.TransactionStatus.INTRANS):
        return None
    if raw not in _prepared:
        known = pgconn.exec_params(b"SELECT 1 FROM pg_prepared_statements WHERE name = $1", [VERSION_STATEMENT])
        if known.status != pq.ExecStatus.TUPLES_OK:
            return None
        if not known.ntuples and pgconn.prepare(VERSION_STATEMENT, VERSION_SQL).status != pq.ExecStatus.COMMAND_OK:
            return None
        _prepared.add(raw)
    result = pgconn.exec_prepared(VERSION_STATEMENT, [])
    if result.status != pq.ExecStatus.TUPLES_OK or result.ntuples != 1:
        return None
    return int(result.get_value(0, 0))


_prepared: weakref.WeakSet = weakref.WeakSet()  # the psycopg connections the statement is prepared on


def _status_code(status_line: str) -> int:
    return int(status_line.split(" ", 1)[0])


class PublicationFront:
    """A WSGI application ahead of Django's (portal/wsgi.py): answers anonymous GET/HEAD hits of the
    publication cache without a request object, middleware or signals, and /health/ and /ready/.

    Per request: the cookies parsed once; a personal request (PERSONAL_COOKIES, Authorization), one
    with If-Match / If-Unmodified-Since or without a Host goes to Django untouched. Otherwise the
    version is read (one prepared statement on the kept connection of the database the request would
    read from, portal/replicas.py) and the entry looked up under the version and FrontIdentity. A hit
    is replayed as Django answered it the first time — status line, every header (the outer
    middleware's too) and body — or as the 304 Django would answer for it. A miss goes to Django with
    the identity in the environ; PublicationCacheMiddleware reads the version again, renders, decides
    whether the answer may be shared (`shareable`) and says so (FRONT_STORE), and the front keeps
    the final response under that version.
    """

    def __init__(self, application):
        self.application = application
        self.cache = caches[settings.PUBLICATION_CACHE_ALIAS]
        # With language prefixes in the URLs (i18n_patterns) the front would have to resolve paths too.
        self.enabled = not is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]

    def __call__(self, environ: dict, start_response):
        if not environ.get("SCRIPT_NAME") and environ.get("PATH_INFO") in health.PATHS:
            response = health.answer(environ["PATH_INFO"])
            start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
            return [response.content]
        if not self.enabled or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.application(environ, start_response)
        cookies = parse_cookie(get_str_from_wsgi(environ, "HTTP_COOKIE", ""))
        if (
            personal(environ, cookies)
            or "HTTP_HOST" not in environ
            or "HTTP_IF_MATCH" in environ
            or "HTTP_IF_UNMODIFIED_SINCE" in environ
        ):
            return self.application(environ, start_response)
        try:
            version = publication_version(replicas.anonymous_read_alias(cookies))
        except DatabaseError:  # Django reconnects (CONN_HEALTH_CHECKS) and answers, or says why not
            version = None
        identity = front_identity(environ, cookies)
        entry = None if version is None else self.cache.get(front_key(version, identity))
        if entry is None:
            environ[FRONT_IDENTITY] = identity
            return self.keep(environ, start_response, identity)
        return self.replay(entry, environ, start_response)

    def replay(self, entry: tuple, environ: dict, start_response):
        status_line, headers, body, not_modified_headers, etag, last_modified = entry
        if 200 <= _status_code(status_line) < 300:  # as get_conditional_response decides
            if_none_match = parse_etags(environ.get("HTTP_IF_NONE_MATCH", ""))
            if_modified_since = environ.get("HTTP_IF_MODIFIED_SINCE")
            if_modified_since = if_modified_since and parse_http_date_safe(if_modified_since)
            if (if_none_match and not _if_none_match_passes(etag, if_none_match)) or (
                not if_none_match
                and if_modified_since
                and not _if_modified_since_passes(last_modified, if_modified_since)
            ):
                start_response("304 Not Modified", list(not_modified_headers))
                return [b""]
        start_response(status_line, list(headers))
        return [body]

    def keep(self, environ: dict, start_response, identity: FrontIdentity):
        answered: list = []

        def capture(status, headers, exc_info=None):
            answered[:] = [status, headers]
            return start_response(status, headers, exc_info)

        result = self.application(environ, capture)
        mark = environ.get(FRONT_STORE)
        if mark is None or not answered or _status_code(answered[0]) not in STORED_STATUSES:
            return result
        status_line, headers = answered
        if any(name.lower() == "set-cookie" for name, _ in headers):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        version, inner = mark
        self.cache.set(front_key(version, identity), entry_of(status_line, headers, body, inner))
        return [body]


def entry_of(status_line: str, headers: list, body: bytes, inner: list) -> tuple:
    """What the front keeps: the answer, and the headers of the 304 that stands for it — those a 304
    keeps (NOT_MODIFIED_KEPT, in Django's order) and those the middleware outside the cache added."""
    final = {name.lower(): value for name, value in headers}
    kept = [(name, final[name.lower()]) for name in NOT_MODIFIED_KEPT if name.lower() in final]
    kept_names = {name.lower() for name in NOT_MODIFIED_KEPT}
    inner_pairs = {(name.lower(), value) for name, value in inner}
    outer = [(n, v) for n, v in headers if n.lower() not in kept_names and (n.lower(), v) not in inner_pairs]
    last_modified = parse_http_date_safe(final.get("last-modified", ""))
    return (status_line, headers, body, kept + outer, final.get("etag"), last_modified)
