"""Record type → model, state serializer, and everything else a type plugs into.

Adding a record type means one `RecordTypeSpec` (records/types.py) plus its model, state, filters and
templates; the proposal workflow, history, search and API routing are written once and read from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from records.content.schemas import RecordSchema
    from records.models import Record


@dataclass
class RecordTypeSpec:
    name: str  # "agreement": the record_type value and the API's `type`
    plural: str  # "agreements": the URL segment of the pages and the API
    model: type[Record]
    schema: type[RecordSchema]
    verbose_name: Any
    verbose_name_plural: Any
    # Loading a record's full state without N+1: related rows its state serializer reads.
    select_related: tuple[str, ...] = ()
    # Lookups or `Prefetch` objects (a Prefetch can select_related the linked record and its role).
    prefetch_related: tuple[Any, ...] = ()
    # Extra text for the full-text index, beyond names, aliases and notes.
    search_text: Callable[[Record], str] = lambda record: ""
    # Places the record is about (before ancestors are added), for the country/place filters.
    related_places: Callable[[Record], list[int]] = lambda record: []
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def label_name(self) -> str:
        return "title" if "title" in self.schema._declared_fields else "name"

    def queryset(self):
        """The type's published records with everything their state needs, loaded deliberately."""
        # The join to the type's table already implies `record_type`; saying it lets PostgreSQL use the
        # (record_type, status, <sort key>, id) indexes for the lists' orders instead of sorting every row.
        return self.with_state(self.model.objects.filter(record_type=self.name, status="published"))

    def with_state(self, queryset):
        from django.db.models import Prefetch

        from records.models import Citation

        citations = Prefetch("citations", queryset=Citation.objects.select_related("source"))
        return queryset.select_related(*self.select_related).prefetch_related(citations, *self.prefetch_related)


class Registry:
    def __init__(self) -> None:
        self._by_name: dict[str, RecordTypeSpec] = {}
        self._by_plural: dict[str, RecordTypeSpec] = {}

    def register(self, spec: RecordTypeSpec) -> RecordTypeSpec:
        self._by_name[spec.name] = spec
        self._by_plural[spec.plural] = spec
        return spec

    def get(self, name: str) -> RecordTypeSpec:
        return self._by_name[name]

    def find(self, name: str) -> RecordTypeSpec | None:
        return self._by_name.get(name)

    def find_plural(self, plural: str) -> RecordTypeSpec | None:
        return self._by_plural.get(plural)

    def names(self) -> list[str]:
        return list(self._by_name)

    def __iter__(self):
        return iter(self._by_name.values())


registry = Registry()
