"""How credentials are checked: brute force locked out (django-axes), system accounts refused.

AUTHENTICATION_BACKENDS (portal/settings.py) lists, in order: `LockoutBackend` (axes: counts failed
sign-ins per account and per address, refuses while locked), `AccountBackend` and
`AllauthAccountBackend` (Django's and allauth's, refusing system accounts even if someone reactivated
one in the database, for sign-ins and for sessions), and `SystemAccountPermissions` (lets the
portal's own code act as an inactive system account with its roles' permissions; it signs nobody in).
Every view that checks a password calls `django.contrib.auth.authenticate(request=request, ...)` and so
goes through all of them: allauth's sign-in, the admin's and the API token endpoint.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class LockoutBackend(AxesStandaloneBackend):
    """axes' check, also for a REST framework request: the flag it sets must reach Django's request,
    which the lockout middleware reads to answer 429."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            # Without a request (the test client's login(), a script) there is no address to count.
            return None
        request = getattr(request, "_request", request)
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            # axes flags the request itself only from its failure signal, which gets the REST
            # framework's wrapper; flag Django's request here so the middleware answers 429.
            request.axes_locked_out = True
            raise


def _not_system(user) -> bool:
    return not getattr(user, "is_system", False)


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and _not_system(user)


class AllauthAccountBackend(AuthenticationBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and _not_system(user)

    def _check_password(self, user, password):
        # allauth keeps a user whose password matched but who may not sign in, to show "account
        # inactive"; a system account must not get even that far.
        if user is not None and not _not_system(user):
            return None
        return super()._check_password(user, password)


class SystemAccountPermissions(ModelBackend):
    """The permissions of a system account's roles, although it is inactive; nothing else."""

    def authenticate(self, request, **kwargs):
        return None

    def get_user(self, user_id):
        return None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if _not_system(user_obj) or obj is not None:
            return set()
        if not hasattr(user_obj, "_system_perm_cache"):
            perms = Permission.objects.filter(group__user=user_obj) | Permission.objects.filter(user=user_obj)
            user_obj._system_perm_cache = {
                f"{app}.{codename}" for app, codename in perms.values_list("content_type__app_label", "codename")
            }
        return user_obj._system_perm_cache

    def get_user_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        return False
