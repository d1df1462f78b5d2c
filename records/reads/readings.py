"""Serving the read model: published records' bodies, ready to be joined into a response.

Bodies come from the `records_reading` table in one indexed query; one that is missing or stale
(a rename shown by very many records, not yet rendered again) is rendered now from the revision's
snapshot, so that what is served always equals what is published.
"""

from __future__ import annotations

import json

from records.content.representation import DEFAULT, bodies_render, body_for
from records.models import Reading
from records.models.readings import READING_LANGUAGES


def readings_serve(ids: list[int], language: str) -> dict[int, str]:
    """The bodies of these published records with linked names in `language`, by id."""
    languages = [DEFAULT, language] if language in READING_LANGUAGES else [DEFAULT]
    found: dict[int, str] = {}
    rows = Reading.objects.filter(record_id__in=ids, language__in=languages, stale=False)
    for pk, row_language, body in rows.values_list("record_id", "language", "body"):
        if row_language or pk not in found:
            found[pk] = body
    missing = [pk for pk in ids if pk not in found]
    if missing:
        found.update((pk, body_for(bodies, language)) for pk, bodies in bodies_render(missing).items())
    return found


def reading_published(pk: int, record_type: str, language: str) -> tuple[int, str] | None:
    """A published record's revision and body in `language`, in one query over the read model and the
    record's primary key; None when there is none to serve (not there, another type, withdrawn, or no
    fresh body: the caller then asks the slower way, which says which)."""
    languages = [DEFAULT, language] if language in READING_LANGUAGES else [DEFAULT]
    rows = Reading.objects.filter(
        record_id=pk, language__in=languages, stale=False, record__record_type=record_type, record__status="published"
    ).values_list("language", "body", "record__revision")
    found = None
    for row_language, body, revision in rows:
        if row_language or found is None:
            found = (revision, body)
    return found


def with_host(body: str, base: str) -> str:
    """A body with its own `url` and `web_url` made absolute. They are the body's first two keys after
    `id`, so the first match of each is theirs: text inside a value cannot match, being escaped."""
    for key in ('"url":"/', '"web_url":"/'):
        body = body.replace(key, f"{key[:-1]}{base}/", 1)
    return body


def page_json(bodies: list[str], links: dict[str, str | None]) -> str:
    """A list page as the API's JSON renderer writes {"next", "previous", "results"}."""
    head = ",".join(
        f"{json.dumps(key)}:{json.dumps(links.get(key), ensure_ascii=False)}" for key in ("next", "previous")
    )
    return f'{{{head},"results":[{",".join(bodies)}]}}'
