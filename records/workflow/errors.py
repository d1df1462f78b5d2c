"""Why the workflow refuses a step. Pages (records/views/errors.py) and the API (records/api/errors.py)
each turn these into their own answer; Django's PermissionDenied says who may not do it."""

from __future__ import annotations

from typing import Any


class ProposalInvalid(Exception):
    """The proposal's content is invalid; `errors` is keyed by item index, then by field."""

    def __init__(self, errors: dict[int, Any]) -> None:
        super().__init__("invalid proposal")
        self.errors = errors


class Conflict(Exception):
    """The records moved on since the proposal's base revisions and the changes overlap."""

    def __init__(self, message: str, items: dict[int, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.items = items or {}


class WrongStatus(Exception):
    """The proposal is not in a state that allows this step (e.g. it was already decided)."""


class ClaimHeld(WrongStatus):
    """Another reviewer holds a live claim on the proposal: only they may decide it until it lapses."""


class NotFound(Exception):
    """No such proposal, or none the person may see."""


class StaleVersion(WrongStatus):
    """The proposal was revised since the version the reviewer read; nothing is published."""
