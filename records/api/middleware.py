"""Under /api/, every error is JSON — also those that never reach a DRF view."""

from __future__ import annotations

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse

CODES = {
    400: "bad_request",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    500: "server_error",
    503: "unavailable",
}
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class APIErrorsMiddleware:
    """An unknown URL, a disallowed Host, a server error: Django answers those with HTML pages;
    under /api/ they are given the API's error shape {"detail", "code"} instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith("/api/")
            or response.streaming
            or "json" in response.get("Content-Type", "")
        ):
            return response
        status = response.status_code
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        replacement = JsonResponse({"detail": f"{phrase}.", "code": CODES.get(status, "error")}, status=status)
        for header in KEPT_HEADERS:
            if header in response:
                replacement[header] = response[header]
        return replacement
