"""Choosing the output format: `?format=` wins over `Accept`; an unknown format is 406, not 404."""

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class FormatNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if wanted:
            for renderer in renderers:
                if renderer.format == wanted:
                    return renderer, renderer.media_type
            formats = ", ".join(renderer.format for renderer in renderers)
            raise NotAcceptable(f"{wanted[:40]!r} is not a format of this endpoint; use one of: {formats}.")
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            media_types = ", ".join(renderer.media_type for renderer in renderers)
            raise NotAcceptable(
                f"None of the media types in Accept is available here; use one of: {media_types} (or ?format=)."
            ) from None
