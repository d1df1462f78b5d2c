"""Comparing states: field-by-field differences, and the three-way merge used at approval."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


def state_diff(old: dict, new: dict) -> list[FieldChange]:
    """Fields whose values differ between two states, in the order of the newer state."""
    keys = list(new) + [key for key in old if key not in new]
    return [FieldChange(key, old.get(key), new.get(key)) for key in keys if old.get(key) != new.get(key)]


class MergeConflict(Exception):
    """Fields changed both by the proposal and, since its base revision, by the published record."""

    def __init__(self, fields: dict[str, dict[str, Any]]) -> None:
        super().__init__(", ".join(fields))
        self.fields = fields


def state_merge(base: dict, current: dict, proposed: dict) -> dict:
    """Apply the proposal's changes (base → proposed) on top of the current state.

    A field the proposal changed that was also changed since the base, to a different value, is a
    conflict; the merge refuses rather than silently losing either edit.
    """
    keys = set(base) | set(current) | set(proposed)
    ours = {key for key in keys if proposed.get(key) != base.get(key)}
    theirs = {key for key in keys if current.get(key) != base.get(key)}
    clashes = {key for key in ours & theirs if proposed.get(key) != current.get(key)}
    if clashes:
        raise MergeConflict(
            {
                key: {"base": base.get(key), "current": current.get(key), "proposed": proposed.get(key)}
                for key in sorted(clashes)
            }
        )
    merged = dict(current)
    merged.update({key: proposed.get(key) for key in ours})
    return merged
