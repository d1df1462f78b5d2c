"""Record pickers: the names of the records they hold, the records a typed name may mean, and reading
what was typed into one (an id, a "$ref" to a new record of the same proposal, or a name to look up)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from records.forms.fields import FieldSpec
from records.models import Record
from records.models.base import MAX_ID, pick_label, record_url
from records.reads.search import search_filter

MAX_NAME_LOOKUPS = 10


@dataclass(frozen=True)
class RecordName:
    pk: int
    label: str
    record_type: str
    status: str

    @property
    def url(self) -> str:
        return record_url(self.record_type, self.pk)

    @property
    def withdrawn(self) -> bool:
        return self.status == "withdrawn"

    def __str__(self) -> str:
        return self.label


def names_by_id(ids: set[int]) -> dict[int, RecordName]:
    """Names of records by id, in one query (withdrawn ones too: old states may refer to them)."""
    ids = {pk for pk in ids if 0 < pk <= MAX_ID}
    if not ids:
        return {}
    rows = Record.objects.filter(pk__in=ids).values_list("pk", "label", "labels", "record_type", "status")
    return {pk: RecordName(pk, pick_label(labels, label), rtype, status) for pk, label, labels, rtype, status in rows}


def record_candidates(text: str, types: tuple[str, ...], *, limit: int = 20) -> list[Record]:
    """Published records of `types` whose names match `text`, best first (for pickers)."""
    queryset = Record.objects.published().filter(record_type__in=types)
    queryset = search_filter(queryset, text)
    if "search_rank" not in queryset.query.annotations:
        return []
    return list(queryset.order_by("-search_rank", "label", "pk").only("pk", "label", "labels", "record_type")[:limit])


class PickerReader:
    """Reads the pickers of one submitted form, looking up at most MAX_NAME_LOOKUPS typed names."""

    def __init__(self) -> None:
        self.lookups = 0

    def read(self, spec: FieldSpec, raw: str, problems: list[str]) -> Any:
        """A record picker's value: an id, a "$ref" to a new record, or a name to look up; what is
        wrong with it (no match, several) is added to `problems`."""
        text = str(raw).strip()
        if text.isascii() and text.isdigit():
            return int(text) if len(text) < 19 else text
        if text.startswith("$"):
            return text
        self.lookups += 1
        if self.lookups > MAX_NAME_LOOKUPS:
            problems.append(_("Too many names to look up at once; give the records' numbers."))
            return text
        found = record_candidates(text, spec.types, limit=6)
        exact = [c for c in found if c.label.casefold() == text.casefold()]
        if len(found) == 1 or len(exact) == 1:
            return (exact or found)[0].pk
        if not found:
            problems.append(_("No published record matches “%(text)s”.") % {"text": text[:80]})
        else:
            listed = "; ".join(f"{c.pk} {c.display_label} ({c.get_record_type_display()})" for c in found)
            problems.append(
                _("Several records match “%(text)s”: %(list)s. Give the number of the one you mean.")
                % {"text": text[:80], "list": listed}
            )
        return text
