"""The floors a benchmark figure is compared with: the same bytes, served with nothing behind them.

`manage.py bench` records the portal's answer to each request it measures (status, headers, body) in
a JSON file named by the environment variable BENCH_FLOOR_FILE, and serves it again, under the same
gunicorn settings and in the same run, in two ways:

- `bench.floor:application`, a bare WSGI callable: the fastest any Python server here can answer
  with those bytes (the "WSGI floor");
- `bench.floor_urls` (through `bench.floor_settings`): one Django view returning the bytes through the
  portal's own middleware (the "Django floor": what the framework costs before any of our code runs).

A response is looked up by the first path segment after /floor/ (`/floor/<key>`); the query string and
the method are ignored, so cold requests (a fresh query string each time) hit the floor as well.
"""

from __future__ import annotations

import base64
import json
import os
from functools import cache

# Set by the server for each response; the portal's own values would be stale or wrong when replayed.
NOT_REPLAYED = {"connection", "date", "server", "transfer-encoding", "keep-alive", "content-length"}


@cache
def responses() -> dict[str, tuple[int, list[tuple[str, str]], bytes]]:
    """The recorded responses by key: (status, headers, body)."""
    path = os.environ["BENCH_FLOOR_FILE"]
    with open(path, encoding="utf-8") as file:
        raw = json.load(file)
    return {
        key: (
            entry["status"],
            [(name, value) for name, value in entry["headers"] if name.lower() not in NOT_REPLAYED],
            base64.b64decode(entry["body"]),
        )
        for key, entry in raw.items()
    }


def floor_key(path: str) -> str:
    parts = path.strip("/").split("/")
    return parts[1] if len(parts) >= 2 and parts[0] == "floor" else ""


REASONS = {200: "OK", 201: "Created", 404: "Not Found"}


def application(environ, start_response):
    found = responses().get(floor_key(environ.get("PATH_INFO", "")))
    if found is None:
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
        return [b"no floor\n"]
    status, headers, body = found
    start_response(f"{status} {REASONS.get(status, 'OK')}", [*headers, ("Content-Length", str(len(body)))])
    return [body]
