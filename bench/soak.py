"""A soak: simulated researchers and reviewers working at once over HTTP for a few minutes, then an audit.

Researchers propose updates of published records (and revise some of their proposals); reviewers claim
submitted proposals, read them and approve or reject them, naming the version they read. Every request
is counted by status. Afterwards the database is audited: every approved proposal made exactly one
revision per change, every record's revisions are gapless and end at its current revision, every
proposal a researcher was told about exists, no request got a 5xx, and PostgreSQL reported no deadlock.
"""

from __future__ import annotations

import json
import random
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection

from records.content.registry import registry
from records.models import Proposal, ProposalStatus, Record

SOAK_TYPES = ("place", "organization", "agreement", "event")


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    proposed: set[int] = field(default_factory=set)
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


def soak_run(base: str, tokens: dict[str, list[str]], seconds: float, seed: int = 1) -> Tally:
    tally = Tally()
    records = list(Record.objects.published().filter(record_type__in=SOAK_TYPES).values_list("record_type", "pk"))
    stop = time.monotonic() + seconds
    threads = [
        threading.Thread(target=researcher, args=(Client(base, t, tally), records, stop, random.Random(seed + i)))
        for i, t in enumerate(tokens["researchers"])
    ] + [
        threading.Thread(target=reviewer, args=(Client(base, t, tally), stop, random.Random(seed + 100 + i)))
        for i, t in enumerate(tokens["reviewers"])
    ]
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
