"""Every page the browser tests were served is valid HTML, as the W3C's Nu HTML checker reads it.

The live server keeps each HTML answer it gives (tests/browser/conftest.py, KeepsHtml); this
test runs after all the others and has the checker read them all at once. Its errors fail the
run, each with the kept file and line. The checker is the npm package vnu-jar (package.json),
run with Debian's Java; bin/test installs both.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_errors(pages: list[Path]) -> list[str]:
    """The checker's errors on `pages`, one line each: file:line:column: message."""
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, pages)],
        capture_output=True,
        text=True,
        check=True,
    )
    # The checker writes its findings to stderr.
    messages = json.loads(checked.stderr)["messages"]
    return [
        f"{m['url'].removeprefix('file:')}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}:"
        f" {m['message']}\n    {m.get('extract', '').strip()}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]


def test_every_page_the_browsers_were_served_is_valid_html(served_pages: Path) -> None:
    pages = sorted(served_pages.glob("*.html"))
    if not pages:
        pytest.skip("No browser test ran before this one, so no page was kept to check.")
    if not VNU.exists() or shutil.which("java") is None:
        pytest.skip(
            "The Nu HTML checker needs `npm ci` and Java (Debian's default-jre-headless): "
            "bin/test installs both."
        )
    errors = nu_errors(pages)
    if errors:
        pytest.fail(
            f"{len(errors)} HTML error(s) in {len(pages)} page(s):\n" + "\n".join(errors),
            pytrace=False,
        )
