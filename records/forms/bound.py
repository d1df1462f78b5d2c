"""A form's fields as the widget templates (templates/editing/widgets/) read them: what was typed in
each, and what is wrong with it. How a field of each kind reads and writes its value is in kinds.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from records.forms.fields import FieldSpec


@dataclass
class ListRow:
    """One row of a list of record pickers or of identifiers."""

    index: int
    raw: Any
    html_name: str
    errors: list[str] = field(default_factory=list)
    ref_name: Any = None  # the name of the record the picker holds


@dataclass
class BoundRow:
    """One row of a list of links: a field each."""

    index: int
    fields: list[Bound]
    errors: list[str] = field(default_factory=list)


@dataclass
class Bound:
    """One field of the form with what was typed in it and what is wrong with it."""

    spec: FieldSpec
    field_kind: Any  # its FieldKind (field_kind.py and kinds.py build bounds, so this module does not import them)
    html_name: str
    raw: Any
    errors: list[str] = field(default_factory=list)
    rows: list = field(default_factory=list)  # BoundRow for a list of links; ListRow for other lists
    choices: list = field(default_factory=list)
    ref_name: Any = None  # the name of the record a picker holds
    index_map: list[int] = field(default_factory=list)  # data index → row (or line) index

    @property
    def id(self) -> str:
        return f"id_{self.html_name}"

    @property
    def label(self):
        return self.spec.label

    @property
    def template(self) -> str:
        return self.spec.template

    @property
    def has_errors(self) -> bool:
        if self.errors:
            return True
        for row in self.rows:
            if row.errors or (isinstance(row, BoundRow) and any(child.has_errors for child in row.fields)):
                return True
        return False

    @property
    def preview(self) -> dict:
        return self.field_kind.preview(self.raw)

    @property
    def types_attr(self) -> str:
        return ",".join(self.spec.types)

    @property
    def lines_count(self) -> int:
        return max(3, min(12, str(self.raw).count("\n") + 2))

    def label_rows(self) -> list[dict]:
        return [
            {"lang": lang, "value": value, "html_name": f"{self.html_name}-{lang}"} for lang, value in self.raw.items()
        ]

    def walk(self) -> Iterator[Bound]:
        """This field and, for a list of links, the fields of each row (depth first)."""
        yield self
        for row in self.rows:
            if isinstance(row, BoundRow):
                for child in row.fields:
                    yield from child.walk()
