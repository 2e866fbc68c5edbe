"""docs/design.md is the design the code cites by section name ("docs/design.md" and the
name in brackets): every section cited exists, so a reference never points at nothing."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DESIGN = ROOT / "docs" / "design.md"
CITED = re.compile(r"docs/design\.md, ([^):]+)[):]")


def cited_sections() -> dict[str, set[str]]:
    cited: dict[str, set[str]] = {}
    for path in [*ROOT.glob("*.yml"), *ROOT.glob("bench/*.py")] + [
        p
        for folder in ("config", "people", "circles", "rota", "web", "tests", "templates")
        for p in (ROOT / folder).rglob("*")
        if p.suffix in (".py", ".html")
    ]:
        # A citation may run over a line break in a docstring or a comment.
        text = re.sub(r"\s*\n\s*(#\s*)?", " ", path.read_text())
        for name in CITED.findall(text):
            cited.setdefault(name.strip(), set()).add(str(path.relative_to(ROOT)))
    return cited


def test_every_section_the_code_cites_is_in_the_design():
    headings = {
        re.sub(r"^#+\s*(\d+(\.\d+)*\.?\s*)?", "", line).strip()
        for line in DESIGN.read_text().splitlines()
        if line.startswith("#")
    }
    cited = cited_sections()
    assert len(cited) >= 8, cited
    missing = {name: files for name, files in cited.items() if name not in headings}
    assert missing == {}
