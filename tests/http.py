"""HTTP to a served portal (gunicorn in another process), as a client sees it: every status is an
answer (no exception for 4xx/5xx), redirects are not followed, cookies are what the caller sends."""

from __future__ import annotations

import json
import urllib.error
import urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, *, method: str = "GET", body=None, headers: dict | None = None) -> tuple[int, str, dict]:
    """(status, text, headers); a dict `body` is sent as JSON."""
    headers = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        headers.setdefault("Content-Type", "application/json" if isinstance(body, dict) else "text/plain")
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with _opener.open(request, timeout=60) as response:
            return response.status, response.read().decode(errors="replace"), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), error.headers
