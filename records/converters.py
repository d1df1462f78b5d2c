"""URL converter for record-type segments: /places/, /agreements/, ... (only registered plurals match)."""

from records.content.registry import registry


class RecordTypeConverter:
    regex = "[a-z]+"

    def to_python(self, value: str):
        spec = registry.find_plural(value)
        if spec is None:
            raise ValueError(value)
        return spec

    def to_url(self, value) -> str:
        """A spec, a type name ("place") or a plural ("places") → the plural segment."""
        if not isinstance(value, str):
            return value.plural
        spec = registry.find(value) or registry.find_plural(value)
        if spec is None:
            raise ValueError(value)
        return spec.plural
