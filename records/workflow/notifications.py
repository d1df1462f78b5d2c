"""Telling people what happened to a proposal: an in-app notice each, and an e-mail once committed.

The stored message and the e-mail are English (sent before anyone's language is known); the
notifications page says the same in the reader's language from the notice's kind, proposal and actor.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction

from records.models import Notification, Proposal


def notify(
    proposal: Proposal, kind: str, message: str, users: Iterable[AbstractBaseUser | None], *, actor: AbstractBaseUser
) -> None:
    """A notice of `kind` about `proposal` to each of `users`, from `actor` (who did what it tells)."""
    recipients = [user for user in users if user is not None]
    Notification.objects.bulk_create(
        [
            Notification(user=user, proposal=proposal, kind=kind, actor=actor, message=message[:500])
            for user in recipients
        ]
    )
    addresses = [user.email for user in recipients if user.email]
    if addresses:
        transaction.on_commit(
            lambda: send_mail(f"[Bailanys] {message[:120]}", message, None, addresses, fail_silently=True)
        )
