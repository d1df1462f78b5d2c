"""The reader's language, and the language a record's label is shown in (for pages and facets alike)."""

from __future__ import annotations

from django.utils.translation import get_language


def current_language() -> str:
    return (get_language() or "en")[:2]


def label_language(labels: dict | None, language: str | None = None) -> str:
    """The language of the label `pick_label` shows (in `language`, else the reader's); the main
    label is the English form."""
    language = language or current_language()
    labels = labels or {}
    if labels.get(language):
        return language
    return "en"
