"""What every benchmark does first: Django on a database of its own, made anew and migrated,
with follow-ups run in-process (the broker is not what is measured).

The database is BENCH_DATABASE_URL, else the benchmark's own name on the local server; it is
dropped and made anew each run, and DATABASE_URL is never touched.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def set_up(name: str, **environment: str) -> None:
    """Point Django at database `name` (dropped and made anew), set `environment`, migrate."""
    url = os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{name}")
    os.environ.update(DATABASE_URL=url, REDIS_URL="", **environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    _fresh_database(url)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def attach(name: str, **environment: str) -> None:
    """Point Django at database `name` as set_up left it: neither made anew nor migrated
    (for a second process measuring the same database)."""
    url = os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{name}")
    os.environ.update(DATABASE_URL=url, REDIS_URL="", **environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()


def drop() -> None:
    """Drop the database set_up made, once the benchmark is done with it."""
    from django.db import connections

    connections.close_all()
    _fresh_database(os.environ["DATABASE_URL"], create=False)


def _fresh_database(url: str, create: bool = True) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
