"""The publication version: one number that changes whenever anything readers see changes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.db import models

from portal.replicas import read_connection


class Publication(models.Model):
    """The single row (id 1) holding the version of what is published, and when it last changed.

    Database triggers (migration 0010) bump it in the same transaction as every statement that writes
    a published table — records, their per-type and link tables, revisions, citations, vocabularies,
    and the public names of accounts — so no code path can publish without it. Anonymous responses
    are cached under this version (records/caching.py): a publication is visible to the next request,
    and nothing older is served.

    `version` is drawn from a sequence, so a number is never given out twice, even when a transaction
    that took it rolls back (a cached response can never belong to another state with the same number).
    """

    version = models.BigIntegerField()
    published_at = models.DateTimeField()

    class Meta:
        db_table = "records_publication"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="publication_single_row")]

    def __str__(self) -> str:
        return f"publication {self.version} at {self.published_at:%Y-%m-%d %H:%M:%S}"


@dataclass(frozen=True)
class PublicationState:
    version: int
    published_at: datetime


_pinned: ContextVar[PublicationState | None] = ContextVar("publication_pinned", default=None)


def publication_current() -> PublicationState | None:
    """The committed publication version, in one primary-key read; None if the row is missing
    (a flushed test database), in which case nothing may be cached.

    Within `publication_pinned` (an anonymous read, records/caching.py) the version the response is
    cached under, without another query: what the view caches for itself (facets, figures) is keyed
    to the same version as the page."""
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    with read_connection().cursor() as cursor:
        cursor.execute("SELECT version, published_at FROM records_publication WHERE id = 1")
        row = cursor.fetchone()
    return PublicationState(*row) if row else None


@contextmanager
def publication_pinned(state: PublicationState) -> Iterator[None]:
    """Let `publication_current` answer `state` for the rest of a read-only request."""
    token = _pinned.set(state)
    try:
        yield
    finally:
        _pinned.reset(token)
