"""Request guards that apply to every path."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


class BodySizeLimitMiddleware:
    """Refuse bodies larger than MAX_REQUEST_BODY_BYTES with 413 before anything reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # Uploads of files to import may be larger (IMPORT_MAX_BYTES, plus the form around the file).
        limit = settings.MAX_REQUEST_BODY_BYTES
        if request.method == "POST" and request.path in settings.IMPORT_UPLOAD_PATHS:
            limit = max(limit, settings.IMPORT_MAX_BYTES + 100_000)
        if length > limit:
            message = f"The request body is larger than {limit} bytes."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "too_large"}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
