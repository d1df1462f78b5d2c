"""Checks a served portal makes once, as it starts (portal/wsgi.py), instead of failing every request."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ImproperlyConfigured


def static_files_collected() -> None:
    """With debug off, pages name static files by the hashed names of collectstatic's manifest; without
    that manifest every page would fail (a 500 each). Refuse to start, saying what to run."""
    manifest_name = getattr(staticfiles_storage, "manifest_name", None)
    if settings.DEBUG or manifest_name is None:
        return
    manifest = Path(settings.STATIC_ROOT) / manifest_name
    if not manifest.is_file():
        raise ImproperlyConfigured(
            f"Static files are not collected: {manifest} is missing. With debug off the portal serves the "
            "files collectstatic makes; run `python manage.py collectstatic --noinput` (make serve does) "
            "with the same STATIC_ROOT, then start the server again."
        )
