"""Validation errors (DRF's nested shape) as the forms show them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

REQUIRED_CODES = {"null", "blank", "required"}


def messages_of(errors: Any) -> list[str]:
    """Flatten DRF errors into messages; "may not be null/blank" reads as "required" on a form."""
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in messages_of(value)]
    if isinstance(errors, (list, tuple)):
        return [m for value in errors for m in messages_of(value)]
    if getattr(errors, "code", None) in REQUIRED_CODES:
        return [_("This field is required.")]
    return [str(errors)]


def errors_by_index(errors: Any) -> dict[int, Any] | None:
    """Errors of a list's items by position: DRF gives a list aligned with the items, or a dict by index."""
    if isinstance(errors, dict) and errors and all(str(key).isdigit() for key in errors):
        return {int(key): value for key, value in errors.items()}
    if isinstance(errors, list) and any(isinstance(e, dict) for e in errors):
        return {index: value for index, value in enumerate(errors) if value}
    return None
