"""A soak: simulated researchers, reviewers and readers working at once over HTTP, then an audit.

Readers (anonymous) read lists with fresh filters, details, search and exports, on pages and through
the API, so that the workers' memory is watched under the reads a public portal mostly serves
(`memory_watch` samples it; growth after the warm-up is what a leak shows as). Researchers propose
updates of published records (and revise some of their proposals); reviewers claim submitted
proposals, read them and approve or reject them, naming the version they read. Every request is
counted by status. Afterwards the database is audited: every approved proposal made exactly one
revision per change, every record's revisions are gapless and end at its current revision, every
proposal a researcher was told about exists, no request got a 5xx, and PostgreSQL reported no deadlock.
"""

from __future__ import annotations

import json
import random
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection

from bench.loadgen import COLD_PARAMETER
from bench.machine import memory_of
from records.content.registry import registry
from records.models import Proposal, ProposalStatus, Record

SOAK_TYPES = ("place", "organization", "agreement", "event")


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    proposed: set[int] = field(default_factory=set)
    memory: list[tuple[float, float]] = field(default_factory=list)  # (seconds since the start, largest RSS MiB)
    approved: int = 0
    conflicts: int = 0

    def count(self, label: str, status: int, body: str) -> None:
        with self.lock:
            self.statuses[f"{label} {status}"] += 1
            if status >= 500:
                self.server_errors.append(f"{label} {status}: {body[:300]}")


class Client:
    def __init__(self, base: str, token: str, tally: Tally) -> None:
        self.base, self.token, self.tally = base, token, tally

    def call(self, label: str, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if self.token:  # a reader is anonymous
            request.add_header("Authorization", f"Token {self.token}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        self.tally.count(label, status, text)
        try:
            return status, json.loads(text) if text else {}
        except ValueError:
            return status, {}


def researcher(client: Client, records: list[tuple[str, int]], stop: float, rng: random.Random) -> None:
    mine: list[int] = []
    while time.monotonic() < stop:
        record_type, pk = rng.choice(records)
        status, record = client.call("GET record", "GET", f"/api/v1/{registry.get(record_type).plural}/{pk}/")
        if status != 200:
            continue
        change = {
            "action": "update",
            "record_type": record_type,
            "record": pk,
            "base_revision": record["revision"],
            "data": {"notes": f"Soak note {rng.random():.6f}"},
            "summary": "soak",
        }
        status, proposal = client.call("propose", "POST", "/api/v1/changes/", change)
        if status == 201:
            with client.tally.lock:
                client.tally.proposed.add(proposal["id"])
            mine.append(proposal["id"])
        if mine and rng.random() < 0.2:  # revise one of mine, as the page and the API allow
            target = rng.choice(mine)
            client.call("revise", "PUT", f"/api/v1/changes/{target}/", dict(change, summary="soak, revised"))


def reviewer(client: Client, stop: float, rng: random.Random) -> None:
    while time.monotonic() < stop:
        status, page = client.call("queue", "GET", "/api/v1/changes/?status=submitted&page_size=20")
        rows = page.get("results", []) if status == 200 else []
        if not rows:
            continue
        proposal = rng.choice(rows)
        pid = proposal["id"]
        status, _ = client.call("claim", "POST", f"/api/v1/changes/{pid}/claim/", {})
        if status != 200:
            continue
        status, current = client.call("read", "GET", f"/api/v1/changes/{pid}/")
        body = {"comment": "soak"}
        if "version" in current:
            body["version"] = current["version"]
        if rng.random() < 0.85:
            status, _ = client.call("approve", "POST", f"/api/v1/changes/{pid}/approve/", body)
            with client.tally.lock:
                client.tally.approved += status == 200
                client.tally.conflicts += status == 409
        else:
            client.call("reject", "POST", f"/api/v1/changes/{pid}/reject/", {"reason": "soak"})


WORDS = ("cooperation", "trade", "Almaty", "Алматы", "agreement", "Astana", "oil", "Kostanay", "Kostanai", "visit")


def reads(record_type: str, pk: int, rng: random.Random) -> list[tuple[str, str]]:
    """What an anonymous reader may ask next, each (label, path); `soak` makes every path fresh."""
    plural = registry.get(record_type).plural
    word = rng.choice(WORDS)
    return [
        ("read detail page", f"/{plural}/{pk}/"),
        ("read detail API", f"/api/v1/{plural}/{pk}/"),
        ("read list page", f"/{plural}/?year_from={rng.randint(1991, 2015)}"),
        ("read list API", f"/api/v1/{plural}/?page_size=50&date_after={rng.randint(1991, 2015)}-01-01"),
        ("read search page", f"/search/?q={urllib.parse.quote(word)}"),
        ("read search API", f"/api/v1/search/?q={urllib.parse.quote(word)}"),
        ("read export", f"/api/v1/{plural}/?format=csv&page_size=100&date_after={rng.randint(1991, 2015)}-01-01"),
    ]


def reader(client: Client, records: list[tuple[str, int]], stop: float, rng: random.Random) -> None:
    n = 0
    while time.monotonic() < stop:
        label, path = rng.choice(reads(*rng.choice(records), rng))
        n += 1  # a fresh query string: nothing is answered from a cache (a warm hit would hide a leak)
        client.call(label, "GET", f"{path}{'&' if '?' in path else '?'}{COLD_PARAMETER}={n}-{rng.random():.6f}")


def memory_watch(pids, tally: Tally, stop: float, every: float) -> None:
    """Sample the workers' largest RSS every `every` seconds until `stop`."""
    started = time.monotonic()
    while True:
        sample = memory_of(pids())["max_rss_mib"]
        with tally.lock:
            tally.memory.append((round(time.monotonic() - started, 1), sample))
        if time.monotonic() + every > stop:
            return
        time.sleep(every)  # a sampling interval, not a wait for anything to happen


def memory_growth(samples: list[tuple[float, float]]) -> dict:
    """The workers' memory over the soak: after the warm-up (the first fifth), half-way, at the end, the
    peak, the growth over the second half, and the growth per hour (a least-squares slope over the samples
    after the warm-up: it still holds the caches filling, which the second half shows levelled or not)."""
    if not samples:
        return {}
    warm = [s for s in samples if s[0] >= samples[-1][0] / 5] or samples
    slope = statistics.linear_regression([t for t, _ in warm], [m for _, m in warm]).slope if len(warm) > 2 else 0.0
    half = next(m for t, m in samples if t >= samples[-1][0] / 2)
    return {
        "rss_after_warmup_mib": warm[0][1],
        "rss_half_mib": half,
        "rss_end_mib": samples[-1][1],
        "growth_second_half_mib": round(samples[-1][1] - half, 1),
        "rss_peak_mib": max(m for _, m in samples),
        "growth_mib_per_hour": round(slope * 3600, 1),
        "samples": samples,
    }


def soak_run(
    base: str,
    tokens: dict[str, list[str]],
    seconds: float,
    seed: int = 1,
    *,
    readers: int = 0,
    worker_pids=None,
    sample_every: float = 30,
) -> Tally:
    tally = Tally()
    records = list(
        Record.objects.published()
        .filter(record_type__in=SOAK_TYPES)
        .order_by("?")
        .values_list("record_type", "pk")[:20_000]
    )
    stop = time.monotonic() + seconds
    threads = (
        [
            threading.Thread(target=researcher, args=(Client(base, t, tally), records, stop, random.Random(seed + i)))
            for i, t in enumerate(tokens["researchers"])
        ]
        + [
            threading.Thread(target=reviewer, args=(Client(base, t, tally), stop, random.Random(seed + 100 + i)))
            for i, t in enumerate(tokens["reviewers"])
        ]
        + [
            threading.Thread(
                target=reader, args=(Client(base, "", tally), records, stop, random.Random(seed + 200 + i))
            )
            for i in range(readers)
        ]
    )
    if worker_pids is not None:
        threads.append(threading.Thread(target=memory_watch, args=(worker_pids, tally, stop, sample_every)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def deadlocks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def soak_audit(tally: Tally, deadlocks_before: int) -> list[str]:
    """What is wrong after the soak; empty when everything holds."""
    problems = [f"server error: {error}" for error in tally.server_errors[:20]]
    missing = tally.proposed - set(Proposal.objects.filter(pk__in=tally.proposed).values_list("pk", flat=True))
    problems += [f"proposal {pk} was answered 201 but is not stored" for pk in sorted(missing)[:20]]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT p.id, count(DISTINCT i.id), count(DISTINCT r.id) FROM records_proposal p
               JOIN records_proposal_item i ON i.proposal_id = p.id
               LEFT JOIN records_revision r ON r.proposal_id = p.id
               WHERE p.status = %s GROUP BY p.id HAVING count(DISTINCT i.id) <> count(DISTINCT r.id)""",
            [ProposalStatus.APPROVED],
        )
        problems += [f"approved proposal {pid}: {items} changes but {revs} revisions" for pid, items, revs in cursor]
        cursor.execute(
            """SELECT rec.id, rec.revision, count(r.id), min(r.number), max(r.number) FROM records_record rec
               JOIN records_revision r ON r.record_id = rec.id GROUP BY rec.id, rec.revision
               HAVING count(r.id) <> max(r.number) OR min(r.number) <> 1 OR max(r.number) <> rec.revision"""
        )
        problems += [f"record {pk}: revision {cur}, {n} revisions numbered {lo}..{hi}" for pk, cur, n, lo, hi in cursor]
    if deadlocks() > deadlocks_before:
        problems.append(f"PostgreSQL reported {deadlocks() - deadlocks_before} deadlock(s)")
    return problems
