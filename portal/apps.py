from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, **kwargs) -> None:
    from portal.roles import roles_ensure  # here, not above: apps.py is imported before models can be

    roles_ensure()


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal and accounts"

    def ready(self) -> None:
        # After every migrate, once permissions exist: the role groups get their permissions.
        post_migrate.connect(_ensure_roles, sender=self, dispatch_uid="portal_roles")
        # Imported for their signal receivers: the audit log of sign-ins, and API tokens revoked when a
        # password is set or an account deactivated.
        from portal import accounts, tokens  # noqa: F401
