"""Every string a person reads is in Welsh too: the catalogue is complete, current and
compiled (the demo needs only Python, so the .mo files are committed)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
PO = LOCALE / "cy" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def entries() -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(PO)) if not e.obsolete]


def test_every_welsh_entry_is_translated_and_none_is_fuzzy():
    untranslated = [e.msgid for e in entries() if not e.translated()]
    fuzzy = [e.msgid for e in entries() if "fuzzy" in e.flags]
    assert untranslated == [], f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def test_the_compiled_catalogue_matches_the_source():
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(MO))}
    written = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in entries()}
    assert compiled == written, "run: django-admin compilemessages (locale/cy is out of date)"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs gettext's xgettext (apt gettext)")
def test_the_catalogue_holds_every_string_in_the_code(tmp_path):
    """makemessages into a scratch copy finds no message the committed catalogue lacks."""
    scratch = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR,
        scratch,
        ignore=shutil.ignore_patterns(".venv", ".git", "node_modules", "staticfiles", "*.sqlite3"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "cy", "--no-obsolete"],
        cwd=scratch,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    found = {e.msgid for e in polib.pofile(str(scratch / PO.relative_to(settings.BASE_DIR)))}
    committed = {e.msgid for e in entries()}
    missing = sorted(found - committed)
    assert missing == [], f"{len(missing)} strings not in locale/cy, e.g. {missing[:5]}"
