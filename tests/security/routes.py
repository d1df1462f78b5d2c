"""Every URL pattern of the portal, from the resolver, with real values for its parameters."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from records.content.registry import registry


@dataclass(frozen=True)
class Route:
    key: str  # the route's name ("namespace:name"), or "admin/<pattern>" in the admin site
    pattern: str  # the whole pattern, for messages
    callback: object


def walk(patterns=None, prefix: str = "", namespace: str = ""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, (namespace, entry.namespace)))
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            if pattern.startswith("admin/"):
                key = pattern
            else:
                key = ":".join(filter(None, (namespace, entry.name or pattern)))
            yield Route(key, pattern, entry.callback)


def record_type_routes(key: str) -> tuple[str, str] | None:
    """("api:{type}-detail", type) for a record type's API route, else None."""
    for spec in registry:
        prefix = f"api:{spec.name}-"
        if key.startswith(prefix):
            return "api:{type}-" + key[len(prefix) :], spec.name
    return None
