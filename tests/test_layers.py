"""The layers contract (pyproject.toml, [tool.importlinter]) only holds the modules it names:
a module that no layer names could import anything. Every module of the project is named,
by itself or by a package above it; only packages' __init__, apps and migrations are not."""

import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("people", "circles", "rota", "web")
UNLAYERED = ("__init__", "apps")


def layered_modules() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = config["contracts"]
    return {
        name.strip() for layer in contract["layers"] for name in layer.replace("|", ":").split(":")
    }


def project_modules() -> set[str]:
    modules = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or parts[-1] in UNLAYERED:
                continue
            modules.add(".".join(parts))
    return modules


def test_every_module_is_in_a_layer():
    named = layered_modules()
    unnamed = sorted(
        module
        for module in project_modules()
        if not any(module == layer or module.startswith(f"{layer}.") for layer in named)
    )
    assert unnamed == [], "name these in a layer of [tool.importlinter] in pyproject.toml"


def test_the_layers_name_only_modules_that_exist():
    known = project_modules() | {".".join(p) for p in _packages()} | {"config.urls"}
    assert sorted(layered_modules() - known) == []


def _packages() -> set[tuple[str, ...]]:
    return {
        path.parent.relative_to(ROOT).parts
        for package in PACKAGES
        for path in (ROOT / package).rglob("__init__.py")
    }
