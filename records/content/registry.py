"""Record type → model, content schema, and everything else a type plugs into.

Adding a record type means one `RecordTypeSpec` (records/content/types.py) plus its model, content
schema and detail template; the proposal workflow, history, search, lists, record pages, sitemap,
exports and API routing are written once and read what they need from here.

What readers see is given as data only — names, strings, tuples of lookups — since this layer is
below reads, formats and views. Where one of those needs code per type, it keeps it in a table keyed
by a name the spec gives (the related lists in records/reads/related.py) or by the type's name, with
a generic fallback (the JSON-LD nodes in records/formats/jsonld.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from records.content.schemas import RecordSchema
from records.models import Citation, Record


@dataclass
class RecordTypeSpec:
    name: str  # "agreement": the record_type value and the API's `type`
    plural: str  # "agreements": the URL segment of the pages and the API
    model: type[Record]
    schema: type[RecordSchema]
    verbose_name: Any
    verbose_name_plural: Any
    # Loading a record's full state without N+1: related rows its content schema reads.
    select_related: tuple[str, ...] = ()
    # Lookups or `Prefetch` objects (a Prefetch can select_related the linked record and its role).
    prefetch_related: tuple[Any, ...] = ()
    # Extra text for the full-text index, beyond names, aliases and notes.
    search_text: Callable[[Record], str] = lambda record: ""
    # Places the record is about (before ancestors are added), for the country/place filters.
    related_places: Callable[[Record], list[int]] = lambda record: []

    # What readers see. A line about the type on the home page.
    description: Any = ""
    # The lists' order when the reader chooses none: "name" or "date" (records/views/public/params.py).
    default_sort: str = "name"
    # Its dates are the years the home page says the portal covers (the relations between places).
    spans_years: bool = False
    # Its lists offer country and region facets: the records are about places.
    place_facets: bool = True
    # What a list row shows beyond the record itself, loaded with the page (no query per row).
    list_select_related: tuple[str, ...] = ()
    list_prefetch_related: tuple[Any, ...] = ()
    # The lists around a record on its page, by name (records/reads/related.py): `related.<name>`.
    related: tuple[str, ...] = ()
    # The list filter that selects records about one of these (places: "place"); its page links to the
    # lists so filtered.
    lists_filter: str = ""
    # Records cite it as evidence: its page lists the records citing it, a page at a time.
    cited: bool = False
    # Export formats beyond JSON, CSV and JSON-LD, which every type has (records/api/formats.py).
    extra_formats: tuple[str, ...] = ()
    # The schema.org type of a link to such a record in JSON-LD (a node may say more: records/formats/jsonld.py).
    jsonld_type: str = "Thing"

    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def label_name(self) -> str:
        return "title" if "title" in self.schema._declared_fields else "name"

    def queryset(self):
        """The type's published records with everything their state needs, loaded deliberately."""
        # The join to the type's table already implies `record_type`; saying it lets PostgreSQL use the
        # (record_type, status, <sort key>, id) indexes for the lists' orders instead of sorting every row.
        return self.with_state(self.model.objects.filter(record_type=self.name, status="published"))

    def with_state(self, queryset: QuerySet) -> QuerySet:
        citations = Prefetch("citations", queryset=Citation.objects.select_related("source"))
        return queryset.select_related(*self.select_related).prefetch_related(citations, *self.prefetch_related)

    def list_rows(self, queryset: QuerySet) -> QuerySet:
        """`queryset` with what the type's list rows show."""
        return queryset.select_related(*self.list_select_related).prefetch_related(*self.list_prefetch_related)


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
