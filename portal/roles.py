"""Roles are auth groups; this module gives them their permissions and changes users' roles.

researcher: propose changes and discuss them.  reviewer: also approve or reject other people's
proposals.  admin: manage accounts, roles and vocabularies in the admin (staff), and propose; an
administrator does not review unless also given the reviewer role, and nobody bypasses review.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from portal.models import AuditEntry, Role, User

VOCABULARY_MODELS = [
    "placekind",
    "organizationkind",
    "agreementkind",
    "agreementlevel",
    "eventkind",
    "sphere",
    "indicator",
    "role",
    "unit",
    "sourcekind",
]
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    Role.RESEARCHER: [("records", "propose_change")],
    Role.REVIEWER: [("records", "propose_change"), ("records", "review_proposal")],
    Role.ADMIN: [("records", "propose_change"), ("portal", "view_auditentry")]
    + [("portal", f"{verb}_user") for verb in ("add", "change", "view")]
    + [("auth", f"{verb}_group") for verb in ("view",)]
    + [("records", f"{verb}_{model}") for model in VOCABULARY_MODELS for verb in ("add", "change", "view")]
    + [("records", f"view_{model}") for model in ("proposal", "revision", "record")],
}


def roles_ensure() -> dict[str, Group]:
    """Create the role groups and give them exactly their permissions (idempotent)."""
    groups = {}
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for app_label, codename in perms:
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)
        groups[role] = group
    return groups


def user_set_roles(*, user: User, roles: list[str], actor: User | None = None) -> None:
    """Give `user` exactly these roles, with an audit entry per change."""
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"Unknown role(s): {', '.join(sorted(unknown))}; use {', '.join(Role.values)}.")
    groups = roles_ensure()
    with transaction.atomic():
        current = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        for role in set(roles) - current:
            user.groups.add(groups[role])
            AuditEntry.objects.create(
                actor=actor,
                action=AuditEntry.Action.ROLE_GRANTED,
                target=f"user:{user.pk}",
                detail={"role": role, "username": user.username},
            )
        for role in current - set(roles):
            user.groups.remove(groups[role])
            AuditEntry.objects.create(
                actor=actor,
                action=AuditEntry.Action.ROLE_REVOKED,
                target=f"user:{user.pk}",
                detail={"role": role, "username": user.username},
            )
        staff = Role.ADMIN in roles
        if user.is_staff != staff:
            user.is_staff = staff
            user.save(update_fields=["is_staff"])
