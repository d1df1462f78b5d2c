"""`/health/` and `/ready/`, for load balancers and monitoring, answered before anything else runs.

`/health/` says the process answers (no database, no cache): a load balancer restarts or drops a
machine that stops answering it. `/ready/` says this process can serve: the primary database, the
caches and the queue (procrastinate's tables) answer; otherwise 503 with a JSON body naming what
failed, so the load balancer sends requests elsewhere meanwhile. Replicas are reported, never failed
on: reads fall back to the primary when one is away (portal/replicas.py).

The WSGI front (records/caching.py PublicationFront, portal/wsgi.py) answers them before Django's
request cycle; the middleware, first in MIDDLEWARE, for the test client and ASGI. Either way the
checks cost no session, no host check (a load balancer may ask by address), no HTTPS redirect, no
throttle and no cache lookup; every answer says
`Cache-Control: no-store` and sets no cookie. Nothing about the failure beyond its name is shown
(the exception goes to the log).
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from procrastinate.contrib.django import app

from portal.replicas import replica_aliases

logger = logging.getLogger(__name__)
PATHS = ("/health/", "/ready/")


def _database(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")


def _caches() -> None:
    for alias in settings.CACHES:
        cache, key = caches[alias], f"ready:{uuid.uuid4().hex}"
        cache.set(key, 1, timeout=5)
        if cache.get(key) != 1:
            raise RuntimeError(f"cache {alias} did not keep a value")
        cache.delete(key)


def _queue() -> None:
    if not app.check_connection():
        raise RuntimeError("procrastinate's tables are missing (run migrate)")


def _replicas() -> dict[str, str]:
    report = {}
    for alias in replica_aliases():
        try:
            _database(alias)
            report[alias] = "ok"
        except DatabaseError:
            logger.warning("replica %s does not answer", alias, exc_info=True)
            report[alias] = "unavailable"
    return report


CHECKS = {"database": lambda: _database("default"), "cache": _caches, "queue": _queue}


def readiness() -> tuple[bool, dict]:
    """Run the checks; (ready, the body of the answer)."""
    checks = {}
    for name, check in CHECKS.items():
        try:
            check()
            checks[name] = "ok"
        except Exception:  # any failure means: not ready; the log has the reason
            logger.exception("readiness check %s failed", name)
            checks[name] = "unavailable"
    failed = [name for name, state in checks.items() if state != "ok"]
    body = {"status": "unavailable" if failed else "ok", "checks": checks}
    if failed:
        body["failed"] = failed
    replicas = _replicas()
    if replicas:
        body["replicas"] = replicas
    return not failed, body


def answer(path: str) -> HttpResponse:
    """The answer to one of PATHS (here, and from the WSGI front, records/caching.py)."""
    if path == "/health/":
        response = JsonResponse({"status": "ok"})
    else:
        ready, body = readiness()
        response = JsonResponse(body, status=200 if ready else 503)
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    """Answer `/health/` and `/ready/` before any other middleware (see the module). Served by gunicorn,
    the WSGI front (portal/wsgi.py) answers them before Django; this is for every other way in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in PATHS:
            return self.get_response(request)
        return answer(request.path)
