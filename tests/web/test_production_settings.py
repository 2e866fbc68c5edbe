"""Production settings harden the browser: Django's own deployment check is clean, DEBUG is
off and a secret key required unless set otherwise, every page carries the
Content-Security-Policy, and no signed-in page may be stored by a browser or proxy.

Settings are read once per process, so the production ones are tried in a fresh
`manage.py` with the environment a production host has."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "rota.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://rota.example.org",
    "SITE_URL": "https://rota.example.org",
}
# Set for the browser tests only; a production host never has it (check --deploy says so).
NOT_IN_PRODUCTION = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in NOT_IN_PRODUCTION}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(name: str, **env: str) -> str:
    result = manage(
        "shell", "-c", f"from django.conf import settings; print(settings.{name})", **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_deployment_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked_for():
    env = {**PRODUCTION}
    del env["DEBUG"]

    assert setting("DEBUG", **env) == "False"


def test_without_a_secret_key_production_refuses_to_start():
    env = {**PRODUCTION}
    del env["DEBUG"], env["SECRET_KEY"]

    result = manage("check", **env)

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECURE_SSL_REDIRECT", "True"),
        ("SECURE_PROXY_SSL_HEADER", "('HTTP_X_FORWARDED_PROTO', 'https')"),
        ("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)),
        ("SESSION_COOKIE_SECURE", "True"),
        ("CSRF_COOKIE_SECURE", "True"),
    ],
)
def test_production_speaks_only_https(name, value):
    assert setting(name, **PRODUCTION) == value


@pytest.mark.django_db
def test_every_page_carries_a_policy_without_inline_code_or_eval(client):
    policy = client.get(reverse("account:login")).headers["Content-Security-Policy"]

    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


@pytest.mark.django_db
def test_a_signed_in_page_is_never_stored(client, ana):
    client.force_login(ana)

    response = client.get("/me/")

    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_htmx_runs_no_code_from_the_page_and_adds_no_style():
    from django.template.loader import render_to_string

    html = render_to_string("base.html")

    assert '"allowEval": false' in html
    assert '"includeIndicatorStyles": false' in html
