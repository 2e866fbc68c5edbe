"""The audit trail holds against the app itself: deployed as docker-compose deploys it, the
role the app connects as cannot empty it, rewrite it, switch its triggers off or step around
them, and even the owner cannot TRUNCATE it.

The deployment is made for real on the local PostgreSQL server: a database of its own, the
two roles made by deploy/postgres/init-roles.sh (the script the postgres image runs), the
migrations run as the owner, then each attempt made as the app. Roles and database get
names of their own and are dropped afterwards. On the SQLite demo none of this applies, and
the demo still migrates."""

import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from psycopg import errors, sql

ROOT = Path(__file__).resolve().parents[2]
INIT_ROLES = ROOT / "deploy" / "postgres" / "init-roles.sh"
INSERT_EVENT = """
    INSERT INTO rota_auditevent (at, action, subject_type, carer_ids, before, after)
    VALUES (now(), 'claim', 'shift', '[]', '{}', '{}') RETURNING id
"""


@dataclass
class Deployment:
    server: dict[str, str]
    database: str
    owner: str
    app: str
    password: str

    def connect(self, role: str) -> psycopg.Connection:
        return psycopg.connect(
            **{**self.server, "user": role, "password": self.password, "dbname": self.database}
        )


def _server() -> dict[str, str]:
    db = settings.DATABASES["default"]
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": str(db["PORT"] or 5432),
        "user": db["USER"],
        "password": db["PASSWORD"] or "",
    }


@pytest.fixture(scope="module")
def deployed() -> Iterator[Deployment]:
    if not shutil.which("psql"):
        pytest.skip("needs PostgreSQL's psql, as the postgres image runs the init script with it")
    server = _server()
    name = settings.DATABASES["default"]["NAME"].removeprefix("test_")
    tag = secrets.token_hex(3)
    deployment = Deployment(
        server=server,
        database=f"test_{name}_roles_{tag}",
        owner=f"{name}_owner_{tag}",
        app=f"{name}_app_{tag}",
        password=secrets.token_urlsafe(16),
    )
    admin = psycopg.connect(**server, dbname="postgres", autocommit=True)
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(deployment.database)))
    try:
        subprocess.run(
            ["bash", str(INIT_ROLES)],
            env={
                **os.environ,
                "PGHOST": server["host"],
                "PGPORT": server["port"],
                "PGPASSWORD": server["password"],
                "POSTGRES_USER": server["user"],
                "POSTGRES_DB": deployment.database,
                "POSTGRES_OWNER_USER": deployment.owner,
                "POSTGRES_APP_USER": deployment.app,
                "POSTGRES_OWNER_PASSWORD": deployment.password,
                "POSTGRES_APP_PASSWORD": deployment.password,
            },
            check=True,
            capture_output=True,
            timeout=60,
        )
        owner_url = (
            f"postgres://{deployment.owner}:{deployment.password}@{server['host']}:"
            f"{server['port']}/{deployment.database}"
        )
        migrated = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": owner_url, "REDIS_URL": "", "DEBUG": "true"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        yield deployment
    finally:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(deployment.database)
            )
        )
        for role in (deployment.app, deployment.owner):
            admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        admin.close()


@pytest.fixture
def as_app(deployed) -> Iterator[psycopg.Connection]:
    with deployed.connect(deployed.app) as conn:
        yield conn


@pytest.fixture
def as_owner(deployed) -> Iterator[psycopg.Connection]:
    with deployed.connect(deployed.owner) as conn:
        yield conn


def refused(conn: psycopg.Connection, statement: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        conn.execute(statement)
    conn.rollback()


def test_the_app_is_no_superuser_and_owns_no_table(as_app, deployed):
    superuser = as_app.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    assert superuser.fetchone() == (False,)
    owned = as_app.execute(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s",
        [deployed.app],
    )
    assert owned.fetchone() == (0,)


def test_the_app_adds_to_the_trail_and_reads_it(as_app):
    [event_id] = as_app.execute(INSERT_EVENT).fetchone()
    as_app.commit()

    assert as_app.execute("SELECT action FROM rota_auditevent WHERE id = %s", [event_id]).fetchone()


def test_the_app_still_changes_and_removes_other_rows(as_app):
    """Its grants are enough for its work: planning the statements checks the privileges."""
    as_app.execute("UPDATE people_person SET full_name = full_name WHERE false")
    as_app.execute("DELETE FROM django_session WHERE false")


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("UPDATE rota_auditevent SET action = 'assign'", id="update"),
        pytest.param("DELETE FROM rota_auditevent", id="delete"),
        pytest.param("TRUNCATE rota_auditevent", id="truncate"),
        pytest.param("TRUNCATE rota_auditevent, rota_shift CASCADE", id="truncate with others"),
        pytest.param(
            "ALTER TABLE rota_auditevent DISABLE TRIGGER rota_auditevent_append_only",
            id="disable the trigger",
        ),
        pytest.param("ALTER TABLE rota_auditevent DISABLE TRIGGER ALL", id="disable all"),
        pytest.param(
            "DROP TRIGGER rota_auditevent_append_only ON rota_auditevent", id="drop the trigger"
        ),
        pytest.param("DROP FUNCTION rota_auditevent_append_only() CASCADE", id="drop function"),
        pytest.param(
            "CREATE TRIGGER sneak BEFORE INSERT ON rota_auditevent "
            "FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()",
            id="add a trigger",
        ),
        pytest.param("SET session_replication_role = replica", id="replica mode"),
        pytest.param("ALTER ROLE CURRENT_USER SET session_replication_role = replica", id="role"),
    ],
)
def test_the_app_cannot_rewrite_empty_or_unguard_the_trail(as_app, statement):
    as_app.execute(INSERT_EVENT)
    as_app.commit()

    refused(as_app, statement, errors.InsufficientPrivilege)

    assert as_app.execute("SELECT count(*) FROM rota_auditevent").fetchone()[0] >= 1


def test_even_the_owner_cannot_truncate_the_trail(as_owner):
    as_owner.execute(INSERT_EVENT)
    as_owner.commit()

    with pytest.raises(errors.CheckViolation, match="append-only: TRUNCATE"):
        as_owner.execute("TRUNCATE rota_auditevent")
    as_owner.rollback()

    assert as_owner.execute("SELECT count(*) FROM rota_auditevent").fetchone()[0] >= 1


def test_the_sqlite_demo_still_migrates(tmp_path):
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
            "REDIS_URL": "",
            "DEBUG": "true",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert "0008_audit_refuses_truncate... OK" in migrated.stdout
