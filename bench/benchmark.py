"""What readers and editors do, timed through the whole stack against a database of synthetic records.

`manage.py bench` (bench/management/commands/bench.py) points Django at a separate database, fills it
once with `bench.synthetic`, and runs `cases()`: each is a request (or a few) through Django's test
`Client`, so URL routing, middleware, authentication, throttling, views, serializers, renderers and the
database all take part, exactly as for a request from a browser — only the socket is missing.

A case is measured after warm-up runs, several times; the table gives median and 95th percentile wall
times, and, from one extra profiled run, the number of SQL queries and the slowest of them (whose plan
`--explain` prints with EXPLAIN (ANALYZE, BUFFERS)). Pages that do not exist yet show as "n/a":
adding a page to the benchmark is one line in `cases()`.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, resolve

from records.models import Record


@dataclass
class Targets:
    """Records and words the cases use, picked once from the benchmark database."""

    agreement: int
    event: int
    place_region: int
    place_district: int
    other_region: int
    region_name: str
    region_name_ru: str
    misspelt: str
    deep_cursor_url: str = ""
    researcher_token: str = ""
    reviewer_token: str = ""


@dataclass
class Case:
    """One thing a reader or editor does. `run` makes the request(s) and returns the last response."""

    name: str
    run: Callable[[Client], Any]
    path: str = ""  # for "does it exist yet" and the report
    repeat: int | None = None  # fewer repetitions for slow, writing cases
    optional: bool = False  # a page being built elsewhere: a non-2xx answer means "not there yet"
    after: Callable[[Any], None] | None = None  # untimed clean-up after each run


@dataclass
class Result:
    name: str
    path: str
    status: str  # "ok", "n/a ..." or "error ..."
    times_ms: list[float] = field(default_factory=list)
    queries: int = 0
    slowest_query_ms: float = 0.0
    slowest_sql: str = ""
    slowest_params: Any = None
    size_bytes: int = 0

    @property
    def median(self) -> float | None:
        return statistics.median(self.times_ms) if self.times_ms else None

    @property
    def p95(self) -> float | None:
        """Nearest-rank 95th percentile."""
        if not self.times_ms:
            return None
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "path": self.path,
            "status": self.status,
            "median_ms": round(self.median, 2) if self.median is not None else None,
            "p95_ms": round(self.p95, 2) if self.p95 is not None else None,
            "min_ms": round(min(self.times_ms), 2) if self.times_ms else None,
            "runs": len(self.times_ms),
            "queries": self.queries,
            "slowest_query_ms": round(self.slowest_query_ms, 2),
            "size_bytes": self.size_bytes,
        }


# ------------------------------------------------------------------ the cases


def get(name: str, path: str, *, optional: bool = False, headers: dict | None = None) -> Case:
    return Case(name, lambda client: client.get(path, headers=headers or {}), path=path, optional=optional)


def cases(t: Targets) -> list[Case]:
    """Everything measured, in the order of the report; one line per case."""
    kz_range = "date_after=2001-01-01&date_before=2001-12-31"
    return [
        # --- API: lists, filters, search
        get("API agreements, first page", "/api/v1/agreements/"),
        get("API places, first page", "/api/v1/places/"),
        get("API sources, first page", "/api/v1/sources/"),
        get("API agreements, 500 per page", "/api/v1/agreements/?page_size=500"),
        get("API agreements, 10,000 rows deep (cursor)", t.deep_cursor_url),
        get("API agreements ?country=KZ (most)", "/api/v1/agreements/?country=KZ"),
        get("API agreements ?country=RU", "/api/v1/agreements/?country=RU"),
        get("API agreements ?country=MN (few)", "/api/v1/agreements/?country=MN"),
        get("API agreements ?place=<region>", f"/api/v1/agreements/?place={t.place_region}"),
        get("API events ?place=<district>", f"/api/v1/events/?place={t.place_district}"),
        get("API agreements ?kind=memorandum", "/api/v1/agreements/?kind=memorandum"),
        get("API agreements ?sphere=trade", "/api/v1/agreements/?sphere=trade"),
        get("API agreements ?sphere=migration (rare)", "/api/v1/agreements/?sphere=migration"),
        get("API agreements in 2001 (date range)", f"/api/v1/agreements/?{kz_range}"),
        get(
            "API agreements RU+trade+2000..2005",
            "/api/v1/agreements/?country=RU&sphere=trade&date_after=2000-01-01&date_before=2005-12-31",
        ),
        get("API statistics ?indicator=exports&country=CN", "/api/v1/statistics/?indicator=exports&country=CN"),
        get("API agreements ?q=cooperation (common word)", "/api/v1/agreements/?q=cooperation"),
        get("API agreements ?q=<region name>", f"/api/v1/agreements/?{urlencode({'q': t.region_name})}"),
        get("API places ?q=<misspelt name> (trigram)", f"/api/v1/places/?{urlencode({'q': t.misspelt})}"),
        get("API agreements ?q=<Cyrillic name>", f"/api/v1/agreements/?{urlencode({'q': t.region_name_ru})}"),
        get(
            "API agreements ?q=<name>&country=RU&date",
            f"/api/v1/agreements/?{urlencode({'q': t.region_name})}&country=RU&date_after=2000-01-01",
        ),
        get("API search ?q=<region name>", f"/api/v1/search/?{urlencode({'q': t.region_name})}", optional=True),
        # --- API: one record
        get("API agreement detail", f"/api/v1/agreements/{t.agreement}/"),
        get("API place detail (region)", f"/api/v1/places/{t.place_region}/"),
        get("API agreement history", f"/api/v1/agreements/{t.agreement}/history/"),
        get("API agreement revision 1", f"/api/v1/agreements/{t.agreement}/revisions/1/"),
        # --- exports
        get(
            "CSV agreements ?country=RU&sphere=trade",
            "/api/v1/agreements/?country=RU&sphere=trade&format=csv",
            optional=True,
        ),  # fmt: skip
        get("GeoJSON places ?country=KZ", "/api/v1/places/?country=KZ&format=geojson", optional=True),
        # --- HTML pages (built in parallel: measured once they exist)
        get("HTML home", "/", optional=True),
        Case(
            "HTML home, figures recomputed (cold cache)",
            lambda client: (cache.delete("portal-figures"), client.get("/"))[1],
            path="/",
            optional=True,
        ),
        get("HTML agreements list", "/agreements/", optional=True),
        get("HTML agreements ?country=KZ&sphere=trade", "/agreements/?country=KZ&sphere=trade", optional=True),
        Case(
            "HTML agreements list, facets recomputed (cold cache)",
            lambda client: (cache.clear(), client.get("/agreements/?country=KZ&sphere=trade"))[1],
            path="/agreements/?country=KZ&sphere=trade",
            optional=True,
        ),
        get("HTML agreement detail", f"/agreements/{t.agreement}/", optional=True),
        get("HTML agreement history", f"/agreements/{t.agreement}/history/", optional=True),
        get("HTML place detail (region)", f"/places/{t.place_region}/", optional=True),
        get("HTML search ?q=<region name>", f"/search/?{urlencode({'q': t.region_name})}", optional=True),
        # --- editing
        Case(
            "propose an update (POST /changes/)",
            lambda client: propose_update(client, t, t.agreement),
            path="/api/v1/changes/",
            repeat=10,
            after=lambda response: withdraw(response, t),
        ),
        Case(
            "propose + approve an update",
            lambda client: propose_and_approve(client, t, t.event),
            path="/api/v1/changes/",
            repeat=10,
        ),
        Case(
            "propose + approve moving a district",
            lambda client: move_district(client, t),
            path="/api/v1/changes/",
            repeat=4,
        ),
    ]


def _auth(token: str) -> dict:
    return {"authorization": f"Token {token}"}


def _post(client: Client, path: str, data: dict, token: str):
    return client.post(path, json.dumps(data), content_type="application/json", headers=_auth(token))


def _current(record_id: int) -> tuple[str, int, int | None]:
    """The record's type and revision, and a place's parent (what the editor's page showed them)."""
    record = Record.objects.filter(pk=record_id).values("record_type", "revision", "as_place__parent").get()
    return record["record_type"], record["revision"], record["as_place__parent"]


def propose_update(client: Client, t: Targets, record_id: int):
    record_type, revision, _ = _current(record_id)
    return _post(
        client,
        "/api/v1/changes/",
        {
            "action": "update",
            "record_type": record_type,
            "record": record_id,
            "base_revision": revision,
            "data": {"notes": f"Benchmark edit {time.time_ns()}"},
            "summary": "Benchmark: an editor's update",
        },
        t.researcher_token,
    )


def withdraw(response, t: Targets) -> None:
    proposal = response.json()["id"]
    Client().post(f"/api/v1/changes/{proposal}/withdraw/", headers=_auth(t.researcher_token))


def propose_and_approve(client: Client, t: Targets, record_id: int):
    proposal = propose_update(client, t, record_id)
    if proposal.status_code != 201:
        return proposal
    return _post(client, f"/api/v1/changes/{proposal.json()['id']}/approve/", {"comment": "ok"}, t.reviewer_token)


def move_district(client: Client, t: Targets):
    """Move a district to the other region and back on the next run: approval re-indexes what is in it."""
    _, revision, parent = _current(t.place_district)
    target = t.other_region if parent != t.other_region else t.place_region
    proposal = _post(
        client,
        "/api/v1/changes/",
        {
            "action": "update",
            "record_type": "place",
            "record": t.place_district,
            "base_revision": revision,
            "data": {"parent": target},
            "summary": "Benchmark: a district moves to another region",
        },
        t.researcher_token,
    )
    if proposal.status_code != 201:
        return proposal
    return _post(client, f"/api/v1/changes/{proposal.json()['id']}/approve/", {"comment": "ok"}, t.reviewer_token)


# ------------------------------------------------------------------ measuring


def _consume(response) -> int:
    """Read the whole body (streamed exports too) so that the time includes producing it."""
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


class QueryRecorder:
    """Every SQL statement of a run, with its time (connection.execute_wrapper)."""

    def __init__(self) -> None:
        self.queries: list[tuple[float, str, Any]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql, params))


def _exists(path: str) -> bool:
    try:
        resolve(urlsplit(path).path)
    except Resolver404:
        return False
    return True


def measure(case: Case, client: Client, *, warmup: int, repeat: int, throttle_keys: list[str]) -> Result:
    result = Result(case.name, case.path, "ok")
    if case.path and not _exists(case.path):
        result.status = "n/a (no such page yet)"
        return result

    def once():
        cache.delete_many(throttle_keys)  # the benchmark is not a client to throttle
        started = time.perf_counter()
        response = case.run(client)
        size = _consume(response)
        elapsed = (time.perf_counter() - started) * 1000
        if case.after is not None and 200 <= response.status_code < 300:
            case.after(response)
        return response, size, elapsed

    try:
        response, size, _ = once()
    except Exception as exc:  # a case that cannot even run is reported, not fatal to the others
        result.status = f"error ({type(exc).__name__}: {str(exc)[:150]})"
        return result
    if not 200 <= response.status_code < 300:
        detail = response.content[:200].decode(errors="replace")
        missing = case.optional and response.status_code < 500
        result.status = f"{'n/a' if missing else 'error'} (HTTP {response.status_code}: {detail})"
        return result
    for _ in range(max(0, warmup - 1)):
        once()
    for _ in range(case.repeat or repeat):
        _, size, elapsed = once()
        result.times_ms.append(elapsed)
    result.size_bytes = size
    recorder = QueryRecorder()
    with connection.execute_wrapper(recorder):
        once()
    result.queries = len(recorder.queries)
    if recorder.queries:
        result.slowest_query_ms, result.slowest_sql, result.slowest_params = max(recorder.queries, key=lambda q: q[0])
    return result


def explain(result: Result) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest query of a case, in a transaction that is rolled back."""
    if not result.slowest_sql:
        return ""
    sql = result.slowest_sql
    plan: list[str] = []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", result.slowest_params)
            plan = [row[0] for row in cursor.fetchall()]
            transaction.set_rollback(True)
    except Exception as exc:  # a plan is a diagnostic: report why there is none
        plan = [f"(no plan: {exc})"]
    return "\n".join(plan)


def with_page_size(url: str, size: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "page_size"] + [("page_size", str(size))]
    return urlunsplit(("", "", parts.path, urlencode(query), ""))


def throttle_keys(user_ids: list[int]) -> list[str]:
    """Where DRF's throttles count the benchmark's requests (the test client comes from 127.0.0.1)."""
    return ["throttle_anon_127.0.0.1", *(f"throttle_user_{pk}" for pk in user_ids)]


def deep_cursor(client: Client, path: str, rows: int) -> str:
    """The `next` link of the list after `rows` rows, walked 500 at a time; returned for 50 per page."""
    url = with_page_size(path, 500)
    for _ in range(rows // 500):
        page = client.get(url).json()
        if not page.get("next"):
            break
        url = page["next"]
    return with_page_size(url, 50)


# ------------------------------------------------------------------ the report


def table(results: list[Result]) -> str:
    head = f"{'case':<46} {'median ms':>10} {'p95 ms':>9} {'queries':>8} {'slowest q ms':>13} {'KB':>8}"
    lines = [head, "-" * len(head)]
    for r in results:
        if r.times_ms:
            lines.append(
                f"{r.name[:46]:<46} {r.median:>10.1f} {r.p95:>9.1f} {r.queries:>8} {r.slowest_query_ms:>13.1f}"
                f" {r.size_bytes / 1024:>8.1f}"
            )
        else:
            lines.append(f"{r.name[:46]:<46} {r.status[:70]}")
    return "\n".join(lines)
