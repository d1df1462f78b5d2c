"""Reads of published data from PostgreSQL streaming replicas; everything else from the primary.

With `DATABASE_REPLICA_URLS` set (settings: aliases `replica1`, `replica2`, ...), the middleware picks
one replica per request — the whole request reads from it, so a page is one consistent state — and
the router sends there the reads of published data (the records app's tables, except the workflow's
own: proposals, their items, comments, notifications). To the primary go:

- every write, and every read of a request that writes (any method but GET, HEAD, OPTIONS);
- every read inside a transaction on the primary (`transaction.atomic()`: approvals read what they lock);
- every read of accounts, sessions, tokens, proposals and the queue (a revoked token must be revoked
  at once, a signed-in user must stay signed in, an author must see their proposal);
- every read of a caller who wrote in the last `DATABASE_REPLICA_PIN_SECONDS` (read-your-own-writes):
  a browser gets a short-lived cookie after a write, an API caller (Authorization header) a marker
  in the default cache (shared through Redis by every app server);
- every read while no replica answers: a replica that refuses a connection is left alone for
  `DATABASE_REPLICA_RETRY_SECONDS`, and its requests read from the primary meanwhile.

A replica that lags serves older published data to anonymous readers (and the publication cache,
records/caching.py, keys their pages to the version read from that replica, so a page is never
older than its key); a caller's own writes are read from the primary.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PIN_COOKIE = "bailanys_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The records app's tables that are not published data: the editors' workflow, read from the primary.
PRIVATE_MODELS = frozenset({"proposal", "proposalitem", "comment", "notification"})

_reading: ContextVar[str] = ContextVar("replica_reading", default="default")
_down_until: dict[str, float] = {}
_turns = itertools.count()


def replica_aliases() -> list[str]:
    return list(settings.DATABASE_REPLICAS)


def read_alias() -> str:
    """Where reads of published data go now: the request's replica, or the primary ("default")."""
    if connections["default"].in_atomic_block:
        return "default"
    return _reading.get()


def read_connection():
    """The connection for raw SQL reads of published data (the ORM's go through the router)."""
    return connections[read_alias()]


def replica_choose() -> str:
    """A replica that accepts a connection now (in turn), else the primary."""
    aliases = replica_aliases()
    start = next(_turns)
    for offset in range(len(aliases)):
        alias = aliases[(start + offset) % len(aliases)]
        if _down_until.get(alias, 0) > time.monotonic():
            continue
        try:
            # A kept connection is first checked (CONN_HEALTH_CHECKS): the replica may have gone since.
            connections[alias].close_if_health_check_failed()
            connections[alias].ensure_connection()
        except DatabaseError:
            logger.warning("replica %s does not answer; reading from the primary", alias)
            connections[alias].close()
            _down_until[alias] = time.monotonic() + settings.DATABASE_REPLICA_RETRY_SECONDS
            continue
        return alias
    return "default"


def anonymous_read_alias(cookies: dict) -> str:
    """Where an anonymous GET reads published data: what ReplicaMiddleware chooses for it (the WSGI
    front reads the publication version there, records/caching.py)."""
    if not settings.DATABASE_REPLICAS or PIN_COOKIE in cookies:
        return "default"
    return replica_choose()


def _pin_key(authorization: str) -> str:
    return "primary-pin:" + hashlib.sha256(authorization.encode()).hexdigest()


def pinned(request: HttpRequest) -> bool:
    """Whether the caller wrote recently (their reads go to the primary)."""
    if PIN_COOKIE in request.COOKIES:
        return True
    authorization = request.META.get("HTTP_AUTHORIZATION")
    return bool(authorization) and caches["default"].get(_pin_key(authorization)) is not None


def pin(request: HttpRequest, response: HttpResponse) -> None:
    """After a write: the caller's reads go to the primary for DATABASE_REPLICA_PIN_SECONDS."""
    seconds = settings.DATABASE_REPLICA_PIN_SECONDS
    authorization = request.META.get("HTTP_AUTHORIZATION")
    if authorization:
        caches["default"].set(_pin_key(authorization), 1, timeout=seconds)
    else:
        response.set_cookie(
            PIN_COOKIE, "1", max_age=seconds, httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE
        )


class ReplicaMiddleware:
    """Choose the database a request reads published data from (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        writing = request.method not in SAFE_METHODS
        alias = "default" if writing or pinned(request) else replica_choose()
        token = _reading.set(alias)
        try:
            response = self.get_response(request)
        finally:
            _reading.reset(token)
        if writing:
            pin(request, response)
        return response


class ReplicaRouter:
    """DATABASE_ROUTERS entry: published data read where `read_alias` says; all else on the primary."""

    def db_for_read(self, model, **hints) -> str:
        meta = model._meta
        if meta.app_label != "records" or meta.model_name in PRIVATE_MODELS:
            return "default"
        return read_alias()

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replicas are copies of the primary: every row exists on each

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == "default"  # replicas follow the primary's schema through replication
