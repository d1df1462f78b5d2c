"""What the throughput benchmark's endpoints read and write in the benchmark database (bench/throughput.py):
agreements in a fixed random order, the editors' tokens, proposals on agreements nobody else touches,
the served portal's answer to each endpoint (for the floors) and its SQL counted in this process."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from django.conf import settings
from django.test import override_settings

from bench.loadgen import Request, cold_variants
from bench.throughput import Endpoint, Targets, http, queries_of, sample
from records.models import Agreement, Place, Proposal, ProposalStatus, Record, Sphere

# Pages, not static files, are counted in this process: no collectstatic manifest needed.
STATIC_FILES = "django.contrib.staticfiles.storage.StaticFilesStorage"


def targets_pick(*, researcher_token: str, reviewer_token: str) -> Targets:
    """Agreements in a fixed random order (details read from the front, writes take the back)."""
    agreements = list(Agreement.objects.filter(status="published").order_by("pk").values_list("pk", flat=True))
    random.Random(1).shuffle(agreements)
    countries = list(
        Place.objects.filter(kind="country", identifiers__has_key="synthetic")
        .exclude(iso_code="")
        .order_by("pk")
        .values_list("iso_code", flat=True)[:12]
    )
    spheres = list(Sphere.objects.order_by("pk").values_list("code", flat=True))
    targets = Targets(
        agreement=agreements[0],
        agreements=agreements,
        sphere="trade" if "trade" in spheres else spheres[0],
        spheres=spheres,
        countries=countries,
        researcher_token=researcher_token,
        reviewer_token=reviewer_token,
    )
    marker = {"last": 0}

    def propose(count: int) -> list[Request]:
        marker["last"] = Proposal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ids = agreements[-min(count, len(agreements) // 2) :]
        revisions = dict(Record.objects.filter(pk__in=ids).values_list("pk", "revision"))
        return [propose_request(pk, revisions[pk], n) for n, pk in enumerate(ids)]

    def approve() -> list[Request]:
        proposals = Proposal.objects.filter(
            pk__gt=marker["last"], status=ProposalStatus.SUBMITTED, author__username="bench-researcher"
        ).order_by("pk")
        body = json.dumps({"comment": "Benchmark: approved"})
        return [
            Request("POST", f"/api/v1/changes/{pk}/approve/", body) for pk in proposals.values_list("pk", flat=True)
        ]

    targets.propose, targets.approve = propose, approve
    return targets


def propose_request(record: int, revision: int, n: int) -> Request:
    body = {
        "action": "update",
        "record_type": "agreement",
        "record": record,
        "base_revision": revision,
        "data": {"notes": f"Benchmark edit {time.time_ns()}-{n}"},
        "summary": "Benchmark: an editor's update",
    }
    return Request("POST", "/api/v1/changes/", json.dumps(body))


def spare_proposal(targets: Targets, index: int) -> Request:
    """A proposal on an agreement that no run reads or writes (the middle of the shuffled list)."""
    pk = targets.agreements[len(targets.agreements) // 2 + index]
    return propose_request(pk, Record.objects.values_list("revision", flat=True).get(pk=pk), index)


def endpoint_sample(base: str, endpoint: Endpoint, targets: Targets):
    """The served portal's answer to the endpoint (what the floors serve again); reads are asked a few
    times, which warms both workers."""
    if not endpoint.write:
        return sample(base, endpoint, [endpoint.warm] * 4)
    index = 0 if endpoint.key == "propose" else 3
    proposal = http(base, spare_proposal(targets, index), targets.researcher_token)
    if endpoint.key == "propose" or proposal[0] != 201:
        return proposal
    pk = json.loads(proposal[2])["id"]
    approval = Request("POST", f"/api/v1/changes/{pk}/approve/", json.dumps({"comment": "Benchmark: approved"}))
    return http(base, approval, targets.reviewer_token)


def endpoint_queries(endpoint: Endpoint, targets: Targets, cold_count: int, *, static_root: Path) -> dict:
    """SQL queries of one request, in this process: the warm request repeated, and a fresh one."""
    with override_settings(
        DEBUG=False,
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_FILES}},
        STATIC_ROOT=static_root,
    ):
        if endpoint.write:
            index = 1 if endpoint.key == "propose" else 2
            propose = spare_proposal(targets, index)
            counted = queries_of(propose, targets.researcher_token)
            if endpoint.key == "propose":
                return {"queries_cold": counted}
            pk = (
                Proposal.objects.filter(author__username="bench-researcher")
                .order_by("-pk")
                .values_list("pk", flat=True)[0]
            )
            body = json.dumps({"comment": "Benchmark: approved"})
            approve = Request("POST", f"/api/v1/changes/{pk}/approve/", body)
            return {"queries_cold": queries_of(approve, targets.reviewer_token)}
        queries_of(endpoint.warm)
        warm = queries_of(endpoint.warm)
        fresh = (endpoint.cold or cold_variants(endpoint.warm, cold_count + 1))[-1]
        return {"queries_warm": warm, "queries_cold": queries_of(fresh)}
