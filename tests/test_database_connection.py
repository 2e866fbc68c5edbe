"""The app's PostgreSQL connections run with the JIT compiler off: compiling the capacity
queries cost far more than running them. Options given in DATABASE_URL are kept beside it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_a_connection_runs_without_the_jit_compiler():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_options_in_the_database_url_are_kept_beside_jit_off():
    url = os.environ["DATABASE_URL"].split("?")[0] + "?options=-c%20statement_timeout%3D5000"
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
            "django.setup(); from django.conf import settings;"
            "print(settings.DATABASES['default']['OPTIONS']['options'])",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[-1].split() == [
        "-c",
        "statement_timeout=5000",
        "-c",
        "jit=off",
    ]
