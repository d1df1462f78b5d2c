"""What the map, the timeline and the network draw: the published agreements and events that the list
filters select (the same FilterSets, so the same query parameters as the lists and the API), and a
memo of computed results kept until the next publication.

`sphere` narrows agreements by their spheres and events by the spheres of the agreements signed at
them; `kind` takes agreement and event kinds alike (each type keeps the kinds it has); `type`
(`agreement`, `event`) keeps one of the two.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import translation

from records.content.registry import registry
from records.models import Agreement, Event, Place, RecordStatus, publication_current
from records.reads.filters import filterset_for

PARTNERSHIP_TYPES = ("agreement", "event")
NOTHING = "SELECT NULL::bigint WHERE false"
MEMO_SECONDS = 3600


class BadFilters(ValueError):
    """Filter values the FilterSets refuse: {parameter: [messages]} (the API answers 400 with them)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass
class Scope:
    """The filtered, published agreements and events (a queryset per type, not yet evaluated)."""

    querysets: dict[str, QuerySet]
    key: str  # the filters, canonical: part of memo keys
    filters: dict = field(default_factory=dict)  # the given filters, cleaned (e.g. `country`: "RU", `sphere`: [...])

    @property
    def types(self) -> list[str]:
        return sorted(self.querysets)

    def ids_sql(self, record_type: str) -> tuple[str, tuple]:
        """SQL selecting the ids of one type's matching records, with its parameters."""
        queryset = self.querysets.get(record_type)
        if queryset is None:
            return NOTHING, ()
        try:
            sql, params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # a filter that matches nothing (an unknown country)
            return NOTHING, ()
        return sql, tuple(params)

    @property
    def unfiltered(self) -> bool:
        return not self.filters and len(self.querysets) == len(PARTNERSHIP_TYPES)

    def sample(self, per_type: int) -> tuple[list[int], int | None]:
        """The ids of at most `per_type` matching records of each type (whichever the filters' indexes
        give first), read in one statement with one more of each, which says whether they are every
        match: (ids, None), or (ids, how many they are) when the filters match more."""
        return first_of_each([self.ids_sql(record_type) for record_type in self.types], per_type)


def first_of_each(selections: list[tuple[str, tuple | list]], per_type: int) -> tuple[list[int], int | None]:
    """At most `per_type` ids from each (SQL selecting ids, its parameters), read in one statement with
    one more of each: (ids, None) when they are every match, else (ids, how many they are)."""
    parts, params = [], []
    for number, (sql, part_params) in enumerate(selections):
        parts.append(f"(SELECT {number}, i.* FROM ({sql}) i LIMIT {int(per_type) + 1})")
        params.extend(part_params)
    found: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for number, pk in cursor.fetchall():
            found.setdefault(number, []).append(pk)
    ids = [pk for part in found.values() for pk in part[:per_type]]
    return ids, (len(ids) if any(len(part) > per_type for part in found.values()) else None)


def _values(params, name: str) -> list[str]:
    if hasattr(params, "getlist"):
        return [value for value in params.getlist(name) if value]
    value = params.get(name)
    if value in (None, ""):
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def partnership_scope(params) -> Scope:
    """The agreements and events that `params` (a QueryDict or a dict of API filter names) select."""
    types = _values(params, "type") or list(PARTNERSHIP_TYPES)
    unknown = [name for name in types if name not in PARTNERSHIP_TYPES]
    if unknown:
        raise BadFilters({"type": [f"Give agreement or event, not {unknown[0][:40]!r}."]})
    agreements = filterset_for(registry.get("agreement"))(params, queryset=_published(Agreement, "agreement"))
    if not agreements.is_valid():
        raise BadFilters({name: list(errors) for name, errors in agreements.errors.items()})
    spheres = agreements.form.cleaned_data.get("sphere") or []
    querysets: dict[str, QuerySet] = {}
    if "agreement" in types:
        querysets["agreement"] = agreements.qs
    if "event" in types:
        events = filterset_for(registry.get("event"))(params, queryset=_published(Event, "event"))
        events.is_valid()  # the agreements' FilterSet has checked every shared parameter
        queryset = events.qs
        if spheres:
            signed = Event.agreements.through.objects.filter(event_id=OuterRef("pk"), agreement__spheres__in=spheres)
            queryset = queryset.filter(Exists(signed))
        querysets["event"] = queryset
    cleaned = {
        name: value
        for name, value in sorted(agreements.form.cleaned_data.items())
        if value not in (None, "", []) and name in _given(params)
    }
    key = json.dumps([sorted(types), {k: _plain(v) for k, v in cleaned.items()}], sort_keys=True, default=str)
    return Scope(querysets, key, cleaned)


def _given(params) -> set[str]:
    return {name for name in params if _values(params, name)}


def _plain(value):
    lower = getattr(value, "lower", None)
    if lower is not None and hasattr(value, "upper"):
        return [str(value.lower), str(value.upper)]
    return value


def _published(model, record_type: str) -> QuerySet:
    return model.objects.filter(record_type=record_type, status=RecordStatus.PUBLISHED)


def publication_memo(
    name: str, parts, compute: Callable[[], object], *, language: bool = False, seconds: int = MEMO_SECONDS
):
    """`compute()`, kept in the cache under the publication version (and `parts`, and the active
    language if `language`) until the next publication, or `seconds`."""
    state = publication_current()
    version = state.version if state else None
    raw = json.dumps(
        [name, parts, translation.get_language() if language else "", version], sort_keys=True, default=str
    )
    key = f"{name}:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(key) if version is not None else None
    if value is None:
        value = compute()
        if version is not None:
            cache.set(key, value, seconds)
    return value


PLACE_PARAMETERS = ("country", "place")


def places_scope(params) -> QuerySet:
    """The published places within `country` and `place` of `params` (the other filters are about
    agreements and events, not places)."""
    data = {name: params.get(name) for name in PLACE_PARAMETERS if params.get(name)}
    filterset = filterset_for(registry.get("place"))(data, queryset=_published(Place, "place"))
    if not filterset.is_valid():
        raise BadFilters({name: list(errors) for name, errors in filterset.errors.items()})
    return filterset.qs
