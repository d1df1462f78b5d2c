"""The throughput benchmark's parts, run for real: the floors serve the recorded bytes through gunicorn,
wrk's figures are read from a real (one-second) run, and a measured endpoint makes a result document
of the shape bench/results/*.json have. No timing is asserted: only structure and counts."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from bench import loadgen, machine, serving, throughput
from bench.loadgen import Request
from bench.throughput import Endpoint
from portal import pgtools

pytestmark = pytest.mark.slow

BODY = json.dumps({"results": [{"id": 1, "label": "Алматы – Almaty"}], "next": None}, ensure_ascii=False).encode()
HEADERS = [
    ("Content-Type", "application/json"),
    ("Content-Language", "en"),
    ("Vary", "Accept, Accept-Language"),
    ("Content-Length", "999"),  # stale: the floor gives the true length
    ("Date", "Sat, 01 Jan 2000 00:00:00 GMT"),  # the server's own
]


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


@pytest.fixture(scope="module")
def floor_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("floor") / "responses.json"
    path.write_text(json.dumps({"api-list": throughput.floor_record(200, HEADERS, BODY)}))
    return path


@pytest.fixture(scope="module")
def env(floor_file, static_root):
    return serving.production_env(pgtools.database_url(), BENCH_FLOOR_FILE=str(floor_file), STATIC_ROOT=static_root)


@pytest.fixture(scope="module")
def bare(env):
    with serving.gunicorn_served(env, "bench.floor:application", workers=1) as served:
        get(served.base + "/floor/api-list/")  # up (requests wait in the socket's backlog until it is)
        yield served


@pytest.fixture(scope="module")
def minimal(env):
    with serving.gunicorn_served(dict(env, DJANGO_SETTINGS_MODULE="bench.floor_settings"), "portal.wsgi") as served:
        get(served.base + "/floor/api-list/")
        yield served


@pytest.mark.parametrize("floor", ["bare", "minimal"])
def test_a_floor_serves_the_recorded_bytes_and_headers_whatever_the_query(floor, request):
    served = request.getfixturevalue(floor)
    for path in ("/floor/api-list/", "/floor/api-list/?bench_cold=7&page_size=50"):
        status, headers, body = get(served.base + path)
        assert status == 200
        assert body == BODY
        assert headers["Content-Type"] == "application/json"
        assert headers["Content-Language"] == "en"
        assert headers["Vary"].startswith("Accept, Accept-Language")
        assert headers["Content-Length"] == str(len(BODY))
        assert headers["Date"] != "Sat, 01 Jan 2000 00:00:00 GMT"
    assert get(served.base + "/floor/nothing-recorded/")[0] == 404


def test_wrk_figures_are_read_from_a_real_run(bare):
    figures = loadgen.wrk_run(bare.base, [Request("GET", "/floor/api-list/")], seconds=1, connections=4)
    assert figures.requests > 0
    assert figures.non2xx == 0
    assert figures.socket_errors == 0
    assert figures.valid
    assert figures.bytes >= figures.requests * len(BODY)
    assert 0 < figures.p50_ms <= figures.p90_ms <= figures.p99_ms <= figures.max_ms
    assert figures.requests_per_second == pytest.approx(figures.requests / figures.seconds)
    assert figures.wrapped  # one request, sent again and again


def test_a_run_with_answers_other_than_2xx_is_invalid(bare):
    distinct = [Request("GET", f"/floor/missing-{n}/") for n in range(100_000)]
    figures = loadgen.wrk_run(bare.base, distinct, seconds=1, connections=2)
    assert figures.requests > 0
    assert figures.non2xx == figures.requests
    assert not figures.valid
    assert not figures.wrapped  # fewer requests than distinct lines: every one was new


def test_wrk_output_without_figures_is_an_error():
    with pytest.raises(ValueError, match="wrk printed no figures"):
        loadgen.wrk_parse("Running 1s test @ http://127.0.0.1:1/\n  0 requests in 1.00s\n")


def test_cold_requests_differ_only_in_a_harmless_parameter():
    cold = loadgen.cold_variants(Request("GET", "/api/v1/agreements/?page_size=50"), 3)
    assert [r.path for r in cold] == [f"/api/v1/agreements/?page_size=50&bench_cold={n}" for n in range(3)]
    assert loadgen.cold_variants(Request("GET", "/search/"), 1)[0].path == "/search/?bench_cold=0"


@pytest.mark.django_db
def test_a_measured_endpoint_makes_a_result_document_of_the_expected_shape(bare, minimal, tmp_path):
    endpoint = Endpoint("api-list", "API list, 50 agreements", Request("GET", "/floor/api-list/"))
    servers = throughput.Servers(portal=bare, wsgi_floor=bare, django_floor=minimal)
    row = throughput.measure(endpoint, servers, seconds=1, connections=2, cold_count=1000, say=lambda line: None)
    document = throughput.results_document(
        records=100_000,
        seed=1,
        started=machine.now_utc(),
        load_start=machine.load_average(),
        run={"seconds": 1, "connections": 2, "wrk_threads": 2, "gunicorn_workers": 1, "cold_requests": 1000},
        machine=machine.machine_facts(),
        rows=[row | {"queries_warm": 0, "queries_cold": 0}],
        floor_memory={"wsgi": machine.memory_of(bare.worker_pids())},
    )
    path = tmp_path / "100k.json"
    path.write_text(json.dumps(document))
    loaded = json.loads(path.read_text())

    assert {"records", "seed", "started", "finished", "load_average_start", "load_average_end", "settings"} <= set(
        loaded
    )
    facts = loaded["machine"]
    assert facts["cores"] >= 1
    assert len(facts["commit"]) == 40
    assert {"cpu", "memory_gib", "postgresql", "wrk", "gunicorn", "records", "database_mib"} <= set(facts)
    assert len(loaded["load_average_start"]) == len(loaded["load_average_end"]) == 3
    [measured] = loaded["endpoints"]
    assert measured["key"] == "api-list"
    for mode in ("warm", "cold"):
        figures = measured[mode]
        assert figures["requests"] > 0
        assert figures["non2xx"] == 0
        assert figures["valid"] is True
        assert figures["p50_ms"] <= figures["p99_ms"]
        assert figures["of_wsgi_floor"] > 0
        assert figures["of_django_floor"] > 0
    assert measured["warm"]["distinct_requests"] == 1
    assert measured["cold"]["distinct_requests"] == 1000
    assert set(measured["floors"]) == {"wsgi", "django"}
    assert measured["floors"]["wsgi"]["requests"] > 0
    workers = measured["memory"]["workers"]
    assert len(workers) == 1
    assert workers[0]["rss_mib"] >= workers[0]["pss_mib"] > 0
    assert "API list, 50 agreements" in throughput.table(loaded)
    assert throughput.result_path(100_000).name == "100k.json"
    assert throughput.result_path(1_000_000).name == "1m.json"
