"""What a reader gets when the server fails: a short page, never a traceback; 503 while the database is down.

Django calls `server_error` (handler500 in portal/urls.py) for any exception a view did not handle.
When that exception says PostgreSQL cannot be reached (restarting, failing over, overloaded), the
answer is 503 with Retry-After, so that browsers, proxies and API clients know to try again; the
portal reconnects by itself once the database is back (CONN_HEALTH_CHECKS). Under /api/ the API's
middleware turns either into the usual JSON error shape. The page uses no template and no database,
and says it in the three interface languages at once (the request's language may not be known yet).
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

RETRY_AFTER_SECONDS = 30
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bailanys</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1>Bailanys</h1>
<p>{en}</p>
<p lang="ru">{ru}</p>
<p lang="kk">{kk}</p>
</body></html>
"""
UNAVAILABLE = {
    "en": "The database cannot be reached right now. Nothing you wrote is lost; please try again in a minute.",
    "ru": "База данных сейчас недоступна. Ничего из написанного не потеряно; попробуйте ещё раз через минуту.",
    "kk": "Дерекқор қазір қолжетімсіз. Жазғаныңыздың ешбірі жоғалған жоқ; бір минуттан кейін қайталап көріңіз.",
}
FAILED = {
    "en": "Something went wrong on our side. It has been logged; please try again later.",
    "ru": "На нашей стороне произошла ошибка. Она записана в журнал; попробуйте позже.",
    "kk": "Біздің жақта қате шықты. Ол журналға жазылды; кейінірек қайталап көріңіз.",
}


def database_unreachable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    if database_unreachable(sys.exc_info()[1]):
        response = HttpResponse(PAGE.format(**UNAVAILABLE), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = HttpResponse(PAGE.format(**FAILED), status=500)
    response["Cache-Control"] = "no-store"
    return response
