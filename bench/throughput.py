"""Throughput as a deployment sees it: the portal served by gunicorn, loaded by wrk, beside two floors.

`manage.py bench` (bench/management/commands/bench.py) serves the benchmark database with gunicorn as
production runs it (bench/serving.py: debug off, static files collected, 2 workers) and, for every
endpoint of `endpoints()`, runs wrk (8 connections, a fixed duration) in two modes:

- warm: the same request over and over (what a cache, or PostgreSQL's buffers, make of a popular URL);
- cold: a request nobody made before, each time: another record for a detail, a fresh combination of
  filters for facets, and otherwise the same URL with a fresh harmless query parameter (`bench_cold=N`,
  which the API and the pages ignore), so that anything cached by URL misses.

Writes (propose, approve) run once, each request on another record. Every figure stands beside two
floors measured in the same run with the same gunicorn settings and the same wrk script: a bare WSGI
app and a minimal Django view answering with the very bytes and headers the portal answered
(bench/floor.py). A figure is only valid when every answer was a 2xx (`non2xx` is reported).

For each endpoint it also records the SQL queries of one request (in this process, through Django's
test client: `queries_warm` repeats the request, `queries_cold` is a fresh one) and, after its runs,
the memory of the portal's gunicorn workers (RSS and PSS from /proc).
"""

from __future__ import annotations

import base64
import random
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.loadgen import Request, cold_variants, wrk_run
from bench.machine import load_average, memory_of, now_utc


@dataclass
class Endpoint:
    """One thing readers or editors ask for. `cold` lists distinct requests; None: the warm request with
    a fresh `bench_cold` parameter each time. A write has no warm mode (`cold` is its list)."""

    key: str  # the floor's key: letters, digits and dashes
    name: str
    warm: Request
    cold: list[Request] | None = None
    token: str = ""  # Authorization: Token ... for every request (writes)
    write: bool = False
    prepare: Callable[[], list[Request]] | None = None  # a write's requests, made just before its run


# ------------------------------------------------------------------ what is measured


@dataclass
class Targets:
    """What the endpoints need from the benchmark database, picked once (deterministically)."""

    agreement: int
    agreements: list[int]  # distinct agreements, for cold details
    sphere: str
    spheres: list[str]
    countries: list[str]
    common_word: str = "cooperation"
    researcher_token: str = ""
    reviewer_token: str = ""
    propose: Callable[[int], list[Request]] = field(default=lambda count: [])
    approve: Callable[[], list[Request]] = field(default=lambda: [])


def facet_filters(t: Targets, count: int) -> list[Request]:
    """Distinct filter combinations of the agreements list (the facets are cached by filters)."""
    years = [(first, last) for first in range(1990, 2026) for last in range(first, 2026)]
    combos = [(c, s, y) for c in t.countries for s in t.spheres for y in years]
    random.Random(1).shuffle(combos)
    return [
        Request("GET", "/agreements/?" + urlencode({"country": c, "sphere": s, "year_from": y0, "year_to": y1}))
        for c, s, (y0, y1) in combos[:count]
    ]


def view_filters(t: Targets, path: str, count: int, warm: str = "") -> list[Request]:
    """Distinct filters of a view's data (the map, the timeline and the network are computed once per
    publication and filters, so a cold request is one with filters not asked before); in the format
    of `warm`, if it names one."""
    years = [(first, last) for first in range(1990, 2026) for last in range(first, 2026)]
    combos = [(c, y) for c in t.countries for y in years]
    random.Random(2).shuffle(combos)
    fmt = dict(parse_qsl(urlsplit(warm).query)).get("format")
    extra = {"format": fmt} if fmt else {}
    after, before = ("date_after", "date_before") if path.startswith("/api/") else ("year_from", "year_to")  # pages
    return [
        Request("GET", f"{path}?" + urlencode({"country": c, after: y0, before: y1, **extra}))
        for c, (y0, y1) in combos[:count]
    ]


def endpoints(t: Targets, cold_count: int) -> list[Endpoint]:
    """Everything measured, in the order of the report (writes last: they change what is published)."""
    filtered = f"/api/v1/agreements/?sphere={t.sphere}&date_after=2000-01-01&date_before=2009-12-31"
    export = "/api/v1/agreements/?country=RU&sphere=trade&page_size=500"  # 500 rows of an export
    details = t.agreements[:cold_count]
    return [
        Endpoint("api-list", "API list, 50 agreements", Request("GET", "/api/v1/agreements/?page_size=50")),
        Endpoint("api-filtered", "API list, sphere and date", Request("GET", filtered)),
        Endpoint(
            "api-detail",
            "API detail",
            Request("GET", f"/api/v1/agreements/{t.agreement}/"),
            cold=[Request("GET", f"/api/v1/agreements/{pk}/") for pk in details],
        ),
        Endpoint(
            "api-search", f"API search ?q={t.common_word}", Request("GET", f"/api/v1/agreements/?q={t.common_word}")
        ),
        Endpoint("html-list", "HTML agreements list", Request("GET", "/agreements/")),
        Endpoint(
            "html-detail",
            "HTML detail",
            Request("GET", f"/agreements/{t.agreement}/"),
            cold=[Request("GET", f"/agreements/{pk}/") for pk in details],
        ),
        Endpoint("html-search", f"HTML search ?q={t.common_word}", Request("GET", f"/search/?q={t.common_word}")),
        Endpoint(
            "facets",
            "HTML list with facets (filtered)",
            Request("GET", f"/agreements/?country=KZ&sphere={t.sphere}"),
            cold=facet_filters(t, cold_count),
        ),
        Endpoint("export-csv", "CSV export, filtered", Request("GET", export + "&format=csv")),
        Endpoint("export-json", "JSON export, filtered", Request("GET", export + "&format=json")),
        Endpoint(
            "map-data",
            "Map data, GeoJSON",
            Request("GET", "/api/v1/map/?format=geojson"),
            cold=view_filters(t, "/api/v1/map/", cold_count, "?format=geojson"),
        ),
        Endpoint(
            "timeline-data",
            f"Timeline data ?sphere={t.sphere}",
            Request("GET", f"/api/v1/timeline/?sphere={t.sphere}"),
            cold=view_filters(t, "/api/v1/timeline/", cold_count),
        ),
        Endpoint(
            "network-data",
            "Network data, GEXF",
            Request("GET", "/api/v1/network/?format=gexf"),
            cold=view_filters(t, "/api/v1/network/", cold_count, "?format=gexf"),
        ),
        Endpoint("html-map", "HTML map", Request("GET", "/map/"), cold=view_filters(t, "/map/", cold_count)),
        *(
            Endpoint(key, name, Request("GET", path), cold=view_filters(t, path.split("?")[0], cold_count, path))
            for key, name, path in (
                ("map-json", "Map data, JSON", "/api/v1/map/?format=json"),
                ("map-csv", "Map data, CSV", "/api/v1/map/?format=csv"),
                ("timeline-csv", "Timeline data, CSV", "/api/v1/timeline/?format=csv"),
                ("network-json", "Network data, JSON", "/api/v1/network/?format=json"),
                ("network-graphml", "Network data, GraphML", "/api/v1/network/?format=graphml"),
                ("html-timeline", "HTML timeline", "/timeline/"),
                ("html-network", "HTML network", "/network/"),
            )
        ),
        Endpoint(
            "propose",
            "propose (POST /api/v1/changes/)",
            Request("POST", "/api/v1/changes/"),
            token=t.researcher_token,
            write=True,
            prepare=lambda: t.propose(cold_count),
        ),
        Endpoint(
            "approve",
            "approve (POST /changes/N/approve/)",
            Request("POST", "/api/v1/changes/0/approve/"),
            token=t.reviewer_token,
            write=True,
            prepare=t.approve,
        ),
    ]


# ------------------------------------------------------------------ one request, inside and outside


def http(base: str, request: Request, token: str = "") -> tuple[int, list[tuple[str, str]], bytes]:
    """One request to the served portal: status, headers and body."""
    call = urllib.request.Request(base + request.path, data=request.body.encode() or None, method=request.method)
    if request.body:
        call.add_header("Content-Type", "application/json")
    if token:
        call.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(call, timeout=120) as response:
            return response.status, list(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, list(error.headers.items()), error.read()


def queries_of(request: Request, token: str = "") -> int:
    """SQL queries of one request through the whole Django stack, in this process."""
    client = Client(raise_request_exception=False)
    headers = {"authorization": f"Token {token}"} if token else {}
    with CaptureQueriesContext(connection) as captured:
        if request.method == "GET":
            response = client.get(request.path, headers=headers)
        else:
            response = client.generic(
                request.method, request.path, request.body, content_type="application/json", headers=headers
            )
        if getattr(response, "streaming", False):
            for _chunk in response.streaming_content:
                pass
    if not 200 <= response.status_code < 300:
        raise RuntimeError(f"{request.method} {request.path}: HTTP {response.status_code}")
    return len(captured.captured_queries)


def floor_record(status: int, headers: list[tuple[str, str]], body: bytes) -> dict:
    return {"status": status, "headers": headers, "body": base64.b64encode(body).decode()}


def floor_requests(endpoint: Endpoint) -> list[Request]:
    """The endpoint's floor (bench/floor.py), asked the way the endpoint is."""
    return [Request(endpoint.warm.method, f"/floor/{endpoint.key}/", endpoint.warm.body)]


# ------------------------------------------------------------------ the report


def ratio(value: float, floor: float) -> float | None:
    return round(value / floor, 4) if floor else None


def table(results: dict) -> str:
    """The results as a text table: one line per endpoint and mode."""
    head = (
        f"{'endpoint':<36} {'mode':<5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non2xx':>6} "
        f"{'/wsgi':>7} {'/django':>7} {'SQL':>4} {'RSS MiB':>8}"
    )
    lines = [head, "-" * len(head)]
    for row in results["endpoints"]:
        if row.get("error"):
            lines.append(f"{row['name'][:36]:<36} {row['error'][:90]}")
            continue
        for mode in ("warm", "cold"):
            figures = row.get(mode)
            if not figures:
                continue
            mark = "" if figures["valid"] else " INVALID"
            queries = row.get(f"queries_{mode}", "")
            lines.append(
                f"{row['name'][:36]:<36} {mode:<5} {figures['requests_per_second']:>8.1f} {figures['p50_ms']:>8.1f} "
                f"{figures['p99_ms']:>8.1f} {figures['non2xx']:>6} {figures['of_wsgi_floor'] or 0:>7.3f} "
                f"{figures['of_django_floor'] or 0:>7.3f} {queries:>4} {row['memory']['max_rss_mib']:>8.0f}{mark}"
            )
        floors = row["floors"]
        lines.append(
            f"{'  floors: wsgi / django':<36} {'':<5} {floors['wsgi']['requests_per_second']:>8.0f} "
            f"{floors['wsgi']['p50_ms']:>8.1f} {floors['wsgi']['p99_ms']:>8.1f}   "
            f"django {floors['django']['requests_per_second']:.0f} req/s, p99 {floors['django']['p99_ms']:.1f} ms"
        )
    return "\n".join(lines)


def result_path(records: int) -> Path:
    """bench/results/100k.json, 1m.json...: named by the database's size."""
    if records % 1_000_000 == 0:
        name = f"{records // 1_000_000}m"
    elif records % 1000 == 0:
        name = f"{records // 1000}k"
    else:
        name = str(records)
    return Path(settings.BASE_DIR) / "bench" / "results" / f"{name}.json"


# ------------------------------------------------------------------ the run


@dataclass
class Servers:
    """The portal and its two floors, each a running gunicorn (bench/serving.py's `Served`)."""

    portal: Any
    wsgi_floor: Any = None
    django_floor: Any = None


def sample(base: str, endpoint: Endpoint, requests: list[Request]) -> tuple[int, list[tuple[str, str]], bytes]:
    """Ask the served portal for the endpoint a few times (warming both workers); the last answer."""
    answer = (0, [], b"")
    for request in requests:
        answer = http(base, request, endpoint.token)
        if not 200 <= answer[0] < 300:
            break
    return answer


def measure(
    endpoint: Endpoint,
    servers: Servers,
    *,
    seconds: float,
    connections: int,
    cold_count: int,
    say: Callable[[str], object] = print,
) -> dict:
    """wrk runs of one endpoint (warm and cold, or the write), its floors, its SQL and the workers' memory."""
    headers = {"Authorization": f"Token {endpoint.token}"} if endpoint.token else {}
    if endpoint.warm.body or endpoint.write:
        headers["Content-Type"] = "application/json"
    row: dict[str, Any] = {"key": endpoint.key, "name": endpoint.name, "method": endpoint.warm.method}
    runs: dict[str, list[Request]] = {}
    if endpoint.write:
        runs["cold"] = endpoint.prepare() if endpoint.prepare else []
        row["path"] = runs["cold"][0].path if runs["cold"] else endpoint.warm.path
    else:
        runs["warm"] = [endpoint.warm]
        runs["cold"] = endpoint.cold if endpoint.cold is not None else cold_variants(endpoint.warm, cold_count)
        row["path"] = endpoint.warm.path
    floors = {
        "wsgi": wrk_run(servers.wsgi_floor.base, floor_requests(endpoint), seconds=seconds,
                        connections=connections, headers=headers),
        "django": wrk_run(servers.django_floor.base, floor_requests(endpoint), seconds=seconds,
                          connections=connections, headers=headers),
    }  # fmt: skip
    row["floors"] = {name: figures.as_dict() for name, figures in floors.items()}
    for mode, requests in runs.items():
        if not requests:
            row[mode] = None
            continue
        figures = wrk_run(servers.portal.base, requests, seconds=seconds, connections=connections, headers=headers)
        row[mode] = figures.as_dict() | {
            "distinct_requests": len(requests),
            "of_wsgi_floor": ratio(figures.requests_per_second, floors["wsgi"].requests_per_second),
            "of_django_floor": ratio(figures.requests_per_second, floors["django"].requests_per_second),
        }
        say(
            f"  {endpoint.name:<36} {mode:<5} {figures.requests_per_second:8.1f} req/s  p50 {figures.p50_ms:7.1f} ms"
            f"  p99 {figures.p99_ms:7.1f} ms  non-2xx {figures.non2xx}"
            f"  (floors {floors['wsgi'].requests_per_second:.0f} / {floors['django'].requests_per_second:.0f} req/s)"
        )
    row["memory"] = memory_of(servers.portal.worker_pids())
    return row


def results_document(
    *,
    records: int,
    seed: int,
    started: str,
    load_start: list[float],
    run: dict,
    machine: dict,
    rows: list[dict],
    floor_memory: dict,
) -> dict:
    """What bench/results/<size>.json holds: the run's settings, the machine, and a row per endpoint."""
    return {
        "records": records,
        "seed": seed,
        "started": started,
        "finished": now_utc(),
        "load_average_start": load_start,
        "load_average_end": load_average(),
        "settings": run | {"debug": False, "gunicorn_worker_class": "sync", "wrk_script": "bench/wrk/requests.lua"},
        "machine": machine,
        "floor_memory": floor_memory,
        "endpoints": rows,
    }
