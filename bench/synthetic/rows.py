"""The rows of synthetic records and the part every record shares: one `Run` draws every random choice
in a fixed order, gives synthetic record n its id, and writes each record's core (the staged core row
with its search texts, and the revision 1 snapshot), its citations and its typed links."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from bench.bulk import STAGE, STAGE_COLUMNS
from bench.synthetic.data import ORDER, plan_counts
from bench.synthetic.dates import NO_DATE, Date, random_date
from bench.synthetic.shapes import shape_of
from bench.synthetic.words import NOTES, QUOTES, UNCERTAIN_NOTES
from records.workflow.indexing import names_of, search_texts

# The columns of each table, in the order the rows below give them (`Rows.put` orders by name).
TABLES: dict[str, tuple[str, ...]] = {
    STAGE: STAGE_COLUMNS,
    "records_place": ("record_ptr_id", "kind_id", "parent_id", "iso_code", "latitude", "longitude"),
    "records_place_border": ("position", "certainty", "note", "place_id", "neighbour_id"),
    "records_organization": ("record_ptr_id", "kind_id", "acronym", "place_id", "country_id", "parent_id"),
    "records_person": ("record_ptr_id",),
    "records_position": (
        "position", "certainty", "note", "person_id", "title", "organization_id", "date", "date_lower", "date_upper",
    ),
    "records_source": (
        "record_ptr_id", "kind_id", "archive_id", "fund", "series", "file", "authors", "editors",
        "container_title", "publisher", "publisher_place", "volume", "issue", "edition", "pages", "doi", "url",
        "accessed", "language",
    ),
    "records_agreement": (
        "record_ptr_id", "kind_id", "level_id", "agreement_status", "place_signed_id", "value_amount",
        "value_currency",
    ),
    "records_agreement_party": ("position", "certainty", "note", "agreement_id", "party_id", "role_id"),
    "records_agreement_sphere": ("agreement_id", "sphere_id"),
    "records_event": ("record_ptr_id", "kind_id", "place_id", "part_of_id"),
    "records_event_participant": ("position", "certainty", "note", "event_id", "participant_id", "role_id"),
    "records_event_agreement": ("event_id", "agreement_id"),
    "records_statistic": (
        "record_ptr_id", "indicator_id", "value", "value_qualifier", "unit_id", "currency", "reliability_note",
    ),
    "records_statistic_subject": ("position", "certainty", "note", "statistic_id", "subject_id", "role_id"),
    "records_citation": ("record_id", "source_id", "field", "locator", "quote", "position"),
    "records_revision": (
        "record_id", "number", "action", "snapshot", "summary", "proposal_id", "author_id", "reviewer_id",
        "created_at",
    ),
}  # fmt: skip


@dataclass(slots=True)
class Rows:
    """What one batch of records becomes: rows by table (`TABLES`), in order."""

    tables: dict[str, list[tuple]] = field(default_factory=dict)
    count: int = 0

    def add(self, table: str, row: tuple) -> None:
        self.tables.setdefault(table, []).append(row)

    def put(self, table: str, values: dict) -> None:
        """A row given by column name (for wide tables)."""
        self.add(table, tuple(values[column] for column in TABLES[table]))


@dataclass(frozen=True)
class Context:
    """What the rows need from the database: ids, the proposal, its author and reviewer, the time."""

    ids: list[int]  # ids[n] is the id of synthetic record n
    proposal_id: int
    author_id: int
    reviewer_id: int
    summary: str
    now: dt.datetime
    sphere_order: dict[str, int]  # the vocabulary's order, which is how a record's spheres are listed
    ids_max: int = 0
    step: dt.timedelta = dt.timedelta(0)  # between the publication of two consecutive ids (see `Run.created`)


def dec(value: Decimal) -> str:
    """A decimal as the content schemas show it (normalize_output)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def jsonb_order(labels: dict) -> dict:
    """Labels in the order PostgreSQL's jsonb keeps keys (by length, then bytes), as a reload shows them."""
    return {key: labels[key] for key in sorted(labels, key=lambda k: (len(k.encode()), k.encode()))}


class Run:
    """One run of N records for a seed: its random numbers, the records' ids, and the rows every record has.

    Records are numbered n = 0..N-1, type by type in `ORDER`; the generators of the types refer to
    records by n, and ids appear only in rows (`id`) and, through the schemas' reference fields, in the
    snapshots (`record`).
    """

    def __init__(self, records: int, seed: int, ctx: Context) -> None:
        self.records = records
        self.seed = seed
        self.ctx = ctx
        self.counts = plan_counts(records)
        self.rng = random.Random(f"bailanys-synthetic:{seed}")
        self.start: dict[str, int] = {}
        n = 0
        for name in ORDER:
            self.start[name] = n
            n += self.counts[name]

    # -------------------------------------------------------------- choices

    def id(self, n: int | None) -> int | None:
        return None if n is None else self.ctx.ids[n]

    def created(self, n: int) -> dt.datetime:
        """When record n was published: spread over the years before the run, in id order (as if the
        records had been added one by one), so that "recently changed" lists look as they would."""
        ctx = self.ctx
        return ctx.now - (ctx.ids_max - ctx.ids[n]) * ctx.step

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, seq: Sequence):
        return seq[int(self.rng.random() * len(seq))]

    def weighted(self, choices: tuple[list, list]):
        return self.rng.choices(choices[0], weights=choices[1])[0]

    def any(self, record_type: str) -> int:
        """Any record of the type (its n)."""
        return self.start[record_type] + int(self.rng.random() * self.counts[record_type])

    def date(self, **kwargs) -> Date:
        return random_date(self.rng, **kwargs)

    def certainty(self) -> tuple[str, str]:
        r = self.rng.random()
        if r < 0.94:
            return "certain", ""
        if r < 0.985:
            return "uncertain", self.pick(UNCERTAIN_NOTES)
        return "disputed", "Sources disagree on this."

    # -------------------------------------------------------------- rows

    def citations(self, rows: Rows, n: int, how_many: int, fields: tuple[str, ...] = ()) -> list[dict]:
        """Citations of random sources, as rows and as the snapshot lists them."""
        out = []
        used: list[int] = []
        for position in range(how_many):
            source = self.any("source")
            if source in used or source == n:
                continue
            used.append(source)
            page = self.rng.randint(1, 400)
            locator = f"p. {page}" if self.chance(0.6) else f"pp. {page}-{page + self.rng.randint(1, 6)}"
            quote = self.pick(QUOTES) if self.chance(0.1) else ""
            cited = self.pick(fields) if fields and self.chance(0.15) else ""
            rows.add("records_citation", (self.id(n), self.id(source), cited, locator, quote, position))
            out.append({"source": source, "field": cited, "locator": locator, "quote": quote})
        return out

    def links(self, rows: Rows, table: str, n: int, targets: list[tuple]) -> list[dict]:
        """Certain, unannotated links of record n to (target n[, role]): the rows of `table`
        (position, certainty, note, record, target[, role]) and the snapshot's items."""
        items = []
        for position, (target, *role) in enumerate(targets):
            rows.add(table, (position, "certain", "", self.id(n), self.id(target), *role))
            items.append({"certainty": "certain", "note": "", "id": target} | ({"role": role[0]} if role else {}))
        return items

    def record(
        self,
        rows: Rows,
        n: int,
        record_type: str,
        own: dict,
        *,
        label: str,
        labels: dict,
        aliases: Sequence[str] = (),
        date: Date = NO_DATE,
        date_text: str = "",
        notes: str | None = None,
        citations: Sequence[dict] = (),
        places: Sequence[int] = (),
        type_text: str = "",
        acronym: str = "",
    ) -> None:
        """The shared core of record n: the staged core row (search texts included) and the revision 1
        snapshot, which is `own` (its type's fields, records by n) with the core and the schema's defaults."""
        labels = jsonb_order(labels)
        aliases = list(aliases)
        if notes is None:
            notes = self.pick(NOTES) if self.chance(0.12) else ""
        certainty, certainty_note = self.certainty()
        core = {
            "aliases": aliases,
            "identifiers": {"synthetic": f"{self.seed}-{n}"},
            "notes": notes,
            "certainty": certainty,
            "certainty_note": certainty_note,
            "date": date.text,
            "date_text": date_text,
        }
        texts = search_texts(
            names=names_of(label, labels, aliases, acronym),
            label=label,
            labels=labels,
            notes=notes,
            date_text=date_text,
            certainty_note=certainty_note,
            type_text=type_text,
            quotes=[c["quote"] for c in citations],
        )
        created = self.created(n)
        stage = {
            **core,
            **texts,
            "id": self.id(n),
            "record_type": record_type,
            "label": label,
            "labels": json.dumps(labels, ensure_ascii=False),
            "identifiers": json.dumps(core["identifiers"]),
            "date_lower": date.lower,
            "date_upper": date.upper,
            "places": [self.id(p) for p in places],
            "created_at": created,
        }
        rows.put(STAGE, stage)
        values = {**own, **core, "citations": list(citations)}
        self._revision(rows, n, record_type, values, label=label, labels=labels, created=created)

    def _revision(
        self, rows: Rows, n: int, record_type: str, values: dict, *, label: str, labels: dict, created: dt.datetime
    ) -> None:
        """Revision 1 of record n: its label fields and `values` (records by n), with the schema's defaults
        for what they leave out, and ids in place of n."""
        shape = shape_of(record_type)
        snapshot = shape.map_refs(shape.snapshot({shape.label: label, shape.labels: labels, **values}), self.id)
        ctx = self.ctx
        snapshot_json = json.dumps(snapshot, ensure_ascii=False)
        revision = (snapshot_json, ctx.summary, ctx.proposal_id, ctx.author_id, ctx.reviewer_id, created)
        rows.add("records_revision", (self.id(n), 1, "create", *revision))
