"""PostgreSQL's own client programs (pg_dump, pg_restore) pointed at the portal's database."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from django.db import connections


def program(name: str) -> str:
    """The newest installed PostgreSQL's `name` (a client must not be older than the server), else PATH's."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: [int(part) for part in re.findall(r"\d+", path.parent.parent.name)],
    )
    found = str(versions[-1]) if versions else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def client_env(database: str | None = None, alias: str = "default") -> dict[str, str]:
    """libpq's environment for the portal's database (or another one on the same server)."""
    settings = connections[alias].settings_dict
    env = dict(os.environ)
    values = {
        "PGHOST": settings.get("HOST") or "",
        "PGPORT": str(settings.get("PORT") or ""),
        "PGUSER": settings.get("USER") or "",
        "PGPASSWORD": settings.get("PASSWORD") or "",
        "PGDATABASE": database or settings["NAME"],
    }
    env.update({key: value for key, value in values.items() if value})
    return env
