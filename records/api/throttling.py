"""Throttles whose rates are read from settings on every request (REST_FRAMEWORK's
DEFAULT_THROTTLE_RATES, set from the environment: API_THROTTLE_ANON, _USER, _AUTH, _EXPORT), so that
a deployment — or a test with `settings.REST_FRAMEWORK = ...` — can change them without a restart
of the class attributes DRF caches at import.

anon: requests without an account, per IP address.  user: signed-in requests, per account.
auth: token requests (password guessing), per IP.  export: whole exports (`?all=1`), per caller.
A throttled request gets 429 with `Retry-After` (seconds) and the JSON error shape.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings

from records.formats.exports import ALL_VALUES


class RatesFromSettings:
    scope: str

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(RatesFromSettings, throttling.AnonRateThrottle):
    pass


class UserThrottle(RatesFromSettings, throttling.UserRateThrottle):
    pass


class AuthThrottle(RatesFromSettings, throttling.SimpleRateThrottle):
    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ExportThrottle(RatesFromSettings, throttling.SimpleRateThrottle):
    """Only whole exports count here; pages of a list are covered by anon/user."""

    scope = "export"

    def get_cache_key(self, request, view):
        if request.query_params.get("all", "").lower() not in ALL_VALUES:
            return None
        ident = request.user.pk if request.user and request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
