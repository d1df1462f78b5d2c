"""Request bodies: JSON only. Bad input is a 400 here, before any view sees it: a body nested too deeply
for the decoder, or text holding a lone surrogate ("\\ud800" escapes decode to code points that are not
characters: UTF-8, and so PostgreSQL, cannot hold them) in any key or value."""

import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser

from records.content.schemas import strings_in

SURROGATE = re.compile("[\ud800-\udfff]")


def first_surrogate(value) -> str | None:
    """The first lone surrogate anywhere in a decoded JSON value (keys included), or None."""
    return next((found.group() for text in strings_in(value) if (found := SURROGATE.search(text))), None)


class JSONParser(DRFJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
        surrogate = first_surrogate(data)
        if surrogate is not None:
            raise ParseError(
                f"JSON parse error - lone surrogate U+{ord(surrogate):04X}: text must be valid Unicode characters."
            )
        return data
