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


def conninfo(database: str | None = None, alias: str = "default") -> str:
    """A libpq connection string for the portal's database (or another one on the same server)."""
    env = client_env(database, alias)
    keys = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD", "dbname": "PGDATABASE"}
    return " ".join(f"{key}={env[name]}" for key, name in keys.items() if env.get(name))


def database_url(database: str | None = None, alias: str = "default") -> str:
    """A DATABASE_URL for another process (a server, a worker) using that database."""
    env = client_env(database, alias)
    password = f":{env['PGPASSWORD']}" if env.get("PGPASSWORD") else ""
    host = env.get("PGHOST") or "127.0.0.1"
    return f"postgres://{env.get('PGUSER', '')}{password}@{host}:{env.get('PGPORT') or 5432}/{env['PGDATABASE']}"
