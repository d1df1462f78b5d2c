"""Separate databases for the benchmark and the soak, on the same server as the portal's, never its own."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
from django.db import connection, connections
from psycopg import sql


def admin_connection() -> psycopg.Connection:
    params = connection.get_connection_params()
    params = {k: v for k, v in params.items() if k not in ("cursor_factory", "context", "prepare_threshold")}
    params["dbname"] = "postgres"
    return psycopg.connect(**params, autocommit=True)


def database_drop(admin: psycopg.Connection, name: str) -> None:
    """Drop the database `name`. A plain DROP first: it also stops autovacuum workers there, which
    WITH (FORCE) refuses to terminate for a role that is not a superuser (PostgreSQL 15), as happens
    right after a big load; FORCE only when sessions of our own are still connected."""
    try:
        admin.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
    except psycopg.errors.ObjectInUse:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def database_ensure(name: str, *, reset: bool, say: Callable[[str], object] = print) -> None:
    """Create the database `name` (dropping it first when `reset`), with the role's CREATEDB right."""
    with admin_connection() as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            say(f"Dropping the database {name}")
            database_drop(admin, name)
            exists = None
        if not exists:
            say(f"Creating the database {name}")
            admin.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8'").format(sql.Identifier(name)))


def database_use(name: str) -> None:
    """Point the default connection (and so the whole stack) at the database `name`."""
    connections.close_all()
    connections["default"].settings_dict["NAME"] = name
