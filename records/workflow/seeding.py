"""The seed file: the article's records, loaded through the same proposal workflow as every edit.

The file (records/seed/article.yaml) is a list of entries, each a stable `key`, a record `type` and
its `data` in exactly the shape of the content schemas (records/content/schemas/). Entries refer to
each other by "$key".

`seed_load` proposes every entry not loaded yet as ONE proposal authored by the importer account and
approves it as the seed reviewer account, so each record starts at revision 1 with the same history,
audit entry and four-eyes check as any researcher's change. Already-loaded entries are recognised by
the approved proposal items that created them (their `ref` is "$key"): the workflow's own immutable
record of what was created, which no later edit of the record can disturb. References to loaded
entries are then given by record id, so a partial load fits in with what is there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from portal.models import Role
from portal.roles import user_set_roles
from records.content.registry import registry
from records.models import ProposalAction, ProposalItem, ProposalStatus
from records.workflow import review

DEFAULT_PATH = Path(settings.BASE_DIR) / "records" / "seed" / "article.yaml"
# A key becomes the proposal item's ref "$<key>", which has at most 40 characters.
KEY_RE = re.compile(r"^[a-z]+/[a-z0-9][a-z0-9-]*$")
KEY_MAX = 39
IMPORTER = ("bailanys-importer", "Seed importer", Role.RESEARCHER)
SEED_REVIEWER = ("bailanys-seed-reviewer", "Seed reviewer", Role.REVIEWER)


class SeedInvalid(Exception):
    """The seed file cannot be loaded; `errors` maps entry keys (or the file) to what is wrong."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__("invalid seed file")
        self.errors = errors

    def __str__(self) -> str:
        lines = []
        for key, problem in self.errors.items():
            lines += [f"  {key}: {line}" for line in flatten_errors(problem)]
        return "\n".join(lines)


@dataclass(frozen=True)
class SeedEntry:
    key: str
    record_type: str
    data: dict

    @property
    def ref(self) -> str:
        return f"${self.key}"


@dataclass(frozen=True)
class SeedResult:
    created: int
    already_loaded: int
    proposal_id: int | None


def flatten_errors(errors: Any, prefix: str = "") -> list[str]:
    """DRF's nested error structure as readable lines: 'parties[1].id: ...'."""
    if isinstance(errors, dict):
        lines = []
        for name, value in errors.items():
            if isinstance(name, int):  # DRF keys a list's errors by the item's index
                path = f"{prefix}[{name}]"
            else:
                path = f"{prefix}.{name}" if prefix else str(name)
            lines += flatten_errors(value, path)
        return lines
    if isinstance(errors, list):
        if all(isinstance(e, str) for e in errors):
            return [f"{prefix}: {e}" if prefix else str(e) for e in errors]
        lines = []
        for index, value in enumerate(errors):
            if value:
                lines += flatten_errors(value, f"{prefix}[{index}]")
        return lines
    return [f"{prefix}: {errors}" if prefix else str(errors)]


def seed_read(path: Path) -> list[SeedEntry]:
    """Parse and shape-check the seed file (its content is validated later, by the workflow)."""
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SeedInvalid({str(path): str(exc)}) from exc
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise SeedInvalid({str(path): "Expected a mapping with a list of `entries`."})
    entries: list[SeedEntry] = []
    errors: dict[str, Any] = {}
    seen: set[str] = set()
    for index, raw in enumerate(document["entries"]):
        label = f"entry #{index + 1}"
        if not isinstance(raw, dict) or set(raw) != {"key", "type", "data"}:
            errors[label] = "Each entry has exactly `key`, `type` and `data`."
            continue
        key, record_type, data = raw["key"], raw["type"], raw["data"]
        if not isinstance(key, str) or not KEY_RE.match(key) or len(key) > KEY_MAX:
            errors[label] = f"Bad key {key!r}: use kind/slug in lower case, at most {KEY_MAX} characters."
            continue
        if key in seen:
            errors[key] = "Two entries share this key."
            continue
        seen.add(key)
        if registry.find(record_type) is None:
            errors[key] = f"Unknown type {record_type!r}; use one of: {', '.join(registry.names())}."
            continue
        if not isinstance(data, dict):
            errors[key] = "`data` must be a mapping of the record's fields."
            continue
        entries.append(SeedEntry(key=key, record_type=record_type, data=data))
    if errors:
        raise SeedInvalid(errors)
    return entries


def seed_accounts() -> tuple[Any, Any]:
    """The importer (researcher) and the seed reviewer: system accounts nobody can sign in as."""
    accounts = []
    for username, display_name, role in (IMPORTER, SEED_REVIEWER):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"display_name": display_name}
        )
        if created or not user.is_system or user.is_active or user.has_usable_password():
            user.make_system()  # inactive, no password: it acts only through this code
            user.save(update_fields=["is_system", "is_active", "password"])
        if not user.has_role(role):
            user_set_roles(user=user, roles=[role])
            user = get_user_model().objects.get(pk=user.pk)  # drop the cached permissions
        accounts.append(user)
    return accounts[0], accounts[1]


def seed_loaded(entries: list[SeedEntry], importer) -> dict[str, int]:
    """Record ids of the entries an approved seed proposal already created, by key."""
    refs = {entry.ref: entry.key for entry in entries}
    rows = ProposalItem.objects.filter(
        action=ProposalAction.CREATE,
        proposal__author=importer,
        proposal__status=ProposalStatus.APPROVED,
        ref__in=list(refs),
        record__isnull=False,
    ).values_list("ref", "record_id")
    return {refs[ref]: record_id for ref, record_id in rows}


def _with_ids(value: Any, loaded: dict[str, int]) -> Any:
    """The entry's data with references to already-loaded entries replaced by their record ids."""
    if isinstance(value, dict):
        return {k: _with_ids(v, loaded) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_ids(v, loaded) for v in value]
    if isinstance(value, str) and value.startswith("$") and value[1:] in loaded:
        return loaded[value[1:]]
    return value


def seed_load(*, path: Path = DEFAULT_PATH, check: bool = False) -> SeedResult:
    """Load the entries of the seed file that are not loaded yet, as one approved proposal.

    All or nothing: an invalid entry raises SeedInvalid naming it, and nothing is written. With
    `check`, everything runs (accounts, proposal, approval, indexing) and is then rolled back."""
    entries = seed_read(path)
    pending: list[SeedEntry] = []
    try:
        with transaction.atomic():
            importer, approver = seed_accounts()
            loaded = seed_loaded(entries, importer)
            pending = [entry for entry in entries if entry.key not in loaded]
            proposal_id = _propose_and_approve(pending, loaded, importer, approver, path) if pending else None
            if check:
                transaction.set_rollback(True)
    except review.ProposalInvalid as exc:
        raise SeedInvalid(_by_key(exc.errors, pending)) from exc
    except review.Conflict as exc:
        raise SeedInvalid(_by_key(exc.items, pending) or {str(path): exc.message}) from exc
    return SeedResult(created=len(pending), already_loaded=len(loaded), proposal_id=proposal_id)


def _propose_and_approve(pending: list[SeedEntry], loaded: dict[str, int], importer, approver, path: Path) -> int:
    items = [
        review.ItemInput(
            action=ProposalAction.CREATE,
            record_type=entry.record_type,
            ref=entry.ref,
            data=_with_ids(entry.data, loaded),
        )
        for entry in pending
    ]
    proposal = review.proposal_create(
        author=importer,
        items=items,
        summary=f"Seed data from {Path(path).name}: {len(pending)} records of the article",
        max_items=len(items),
    )
    review.proposal_approve(
        proposal_id=proposal.pk,
        reviewer=approver,
        comment="Loaded by load_seed after validation through the proposal workflow.",
    )
    return proposal.pk


def _by_key(errors: dict[int, Any], pending: list[SeedEntry]) -> dict[str, Any]:
    named = {}
    for index, problem in errors.items():
        entry = pending[int(index)] if 0 <= int(index) < len(pending) else None
        if isinstance(problem, dict) and set(problem) == {"data"}:
            problem = problem["data"]
        named[f"{entry.key} ({entry.record_type})" if entry else f"item {index}"] = problem
    return named
