"""Optimistic concurrency the HTTP way.

A record's detail carries `ETag: "<id>-r<revision>-<digest>"`: the revision it shows, and a digest of
the representation (format, language and the names of linked records can change the body without a
new revision, so the digest keeps the tag exact for caches: `If-None-Match` → 304).

A proposal sent with `If-Match: <that tag>` (or the short `"<id>-r<revision>"`) is refused with 412
when the record has moved past that revision — before anything is stored. Several tags may be given
(comma-separated) for a change set; each record named must still be at a revision named for it.
`If-Match: *` only requires the records to exist.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from records.api.errors import PreconditionFailed
from records.models import Record

TAG_RE = re.compile(r'^(?:W/)?"([1-9][0-9]{0,18})-r([1-9][0-9]{0,9})(?:-[0-9a-f]{1,64})?"$')


def record_etag(record: Record, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
    return f'"{record.pk}-r{record.revision}-{digest}"'


def if_none_match(header: str | None, etag: str) -> bool:
    """Whether a conditional GET's If-None-Match names this representation (weak comparison)."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in header.split(","))


@dataclass(frozen=True)
class Precondition:
    any_revision: bool  # If-Match: *
    revisions: dict[int, set[int]]  # record id → the revisions the client accepts


def parse_if_match(header: str) -> Precondition:
    header = header.strip()
    if header == "*":
        return Precondition(True, {})
    revisions: dict[int, set[int]] = {}
    for tag in (part.strip() for part in header.split(",")[:100]):
        match = TAG_RE.match(tag)
        if not match:
            raise PreconditionFailed(
                detail=f"If-Match {tag[:80]!r} is not an ETag of a record; send the ETag of the record's "
                'detail, or "<id>-r<revision>".'
            )
        revisions.setdefault(int(match.group(1)), set()).add(int(match.group(2)))
    return Precondition(False, revisions)


def check_if_match(header: str, changed: list[int]) -> dict[int, int]:
    """Raise 412 unless the records are where If-Match says; returns {record id: revision named}
    (one per record) so that a change without `base_revision` can take it from If-Match.

    `changed` are the ids of existing records the proposal changes; with a single change, If-Match
    must name that record.
    """
    precondition = parse_if_match(header)
    named = set(precondition.revisions)
    wanted = named | set(changed)
    current = dict(Record.objects.filter(pk__in=wanted).values_list("pk", "revision")) if wanted else {}
    missing = [pk for pk in (changed if precondition.any_revision else named) if pk not in current]
    if missing:
        raise PreconditionFailed(detail=f"Record {missing[0]} does not exist.")
    if precondition.any_revision:
        return {}
    if len(changed) == 1 and changed[0] not in named:
        raise PreconditionFailed(detail=f"If-Match does not name record {changed[0]}, which the proposal changes.")
    stale = {
        pk: {"if_match": sorted(revisions), "current_revision": current[pk]}
        for pk, revisions in precondition.revisions.items()
        if current[pk] not in revisions
    }
    if stale:
        error = PreconditionFailed(
            detail="The record has changed since the revision named in If-Match; fetch it again and "
            "base the proposal on its current revision."
        )
        error.records = {str(pk): value for pk, value in stale.items()}
        raise error
    return {pk: max(revisions) for pk, revisions in precondition.revisions.items()}
