"""wrk, the HTTP load generator, driven from Python: requests in, figures out.

`wrk_run` writes the requests to a file that bench/wrk/requests.lua walks (each wrk thread its own
share, in turn), runs wrk against a base URL for a fixed time, and reads the figures that the script's
done() prints as one JSON line: requests, bytes, latency percentiles, socket errors, and every answer
that was not a 2xx.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LUA_SCRIPT = Path(__file__).resolve().parent / "wrk" / "requests.lua"
COLD_PARAMETER = "bench_cold"  # unknown to every view: ignored, but part of the URL
WRK_THREADS = 2  # one per core of the machine the figures are taken on


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: str = ""

    def line(self) -> str:
        """The request as a line of bench/wrk/requests.lua's file."""
        if "\t" in self.path + self.body or "\n" in self.path + self.body:
            raise ValueError(f"A benchmark request cannot contain tabs or newlines: {self.path!r}")
        return f"{self.method}\t{self.path}\t{self.body}"


@dataclass
class Figures:
    """One wrk run, as bench/wrk/requests.lua's done() reports it."""

    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    non2xx: int
    socket_errors: int
    wrapped: bool
    bytes: int

    def as_dict(self) -> dict:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "requests_per_second": round(self.requests_per_second, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p90_ms": round(self.p90_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "max_ms": round(self.max_ms, 2),
            "non2xx": self.non2xx,
            "socket_errors": self.socket_errors,
            "wrapped": self.wrapped,
            "bytes": self.bytes,
            "valid": self.valid,
        }

    @property
    def valid(self) -> bool:
        return self.requests > 0 and self.non2xx == 0 and self.socket_errors == 0


def wrk_parse(output: str) -> Figures:
    """The figures of a wrk run from its output (the "BENCH-JSON" line printed by requests.lua)."""
    line = next((line for line in output.splitlines() if line.startswith("BENCH-JSON ")), None)
    if line is None:
        raise ValueError(f"wrk printed no figures:\n{output[-2000:]}")
    raw = json.loads(line.removeprefix("BENCH-JSON "))
    latency = raw["latency_us"]
    seconds = raw["duration_us"] / 1e6
    errors = raw["errors"]
    return Figures(
        requests=raw["requests"],
        seconds=seconds,
        requests_per_second=raw["requests"] / seconds if seconds else 0.0,
        p50_ms=latency["percentiles"]["50"] / 1000,
        p90_ms=latency["percentiles"]["90"] / 1000,
        p99_ms=latency["percentiles"]["99"] / 1000,
        max_ms=latency["max"] / 1000,
        non2xx=raw["non2xx"],
        socket_errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        wrapped=raw["wrapped"],
        bytes=raw["bytes"],
    )


def wrk_run(
    base: str,
    requests: list[Request],
    *,
    seconds: float,
    connections: int = 8,
    headers: dict[str, str] | None = None,
) -> Figures:
    """wrk against `base`, walking `requests` (bench/wrk/requests.lua), for `seconds`."""
    with tempfile.NamedTemporaryFile("w", suffix=".requests", encoding="utf-8") as file:
        file.write("\n".join(request.line() for request in requests) + "\n")
        file.flush()
        threads = min(WRK_THREADS, connections)
        command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s", "--timeout", "30s"]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        command += ["-s", str(LUA_SCRIPT), base + requests[0].path]
        env = dict(os.environ, BENCH_REQUESTS=file.name, BENCH_THREADS=str(threads))
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr[-2000:]}")
    return wrk_parse(done.stdout)


def cold_variants(request: Request, count: int) -> list[Request]:
    """The request with a fresh harmless parameter each time (misses anything cached by URL)."""
    separator = "&" if "?" in request.path else "?"
    return [
        Request(request.method, f"{request.path}{separator}{COLD_PARAMETER}={n}", request.body) for n in range(count)
    ]
