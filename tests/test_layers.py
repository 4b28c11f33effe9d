"""Arrows only downward: each module imports only from its own layer or the layers below it
(docs/architecture.md, "The layers"), the domain core never imports Flask or the web, and the
entry points reach letters through the services.

Every import counts, those inside functions and those for type checking alone included, read
from the source with `ast`, so a module that imports lazily is held to the same rule.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("complaints", "workflows", "web")
# Top to bottom. A module belongs to the first layer one of whose names it is or lies under;
# every other module of complaints/ and workflows/ is the core (the last layer).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("web",),
    ("complaints.cli",),
    (
        "complaints.alerts",
        "complaints.reports",
        "complaints.exchange",
        "complaints.dashboard",
        "complaints.queue",
        "complaints.demo",
    ),
    ("complaints.services",),
    ("complaints.letters", "complaints.mail", "complaints.intake"),
    ("complaints", "workflows"),
)
# Imports known to run upward, each with why it is still there.
KNOWN_UPWARD = {
    # Showing someone what is held about them writes the export's JSON of their cases.
    ("complaints.services.retention", "complaints.exchange.exporting"),
}
ENTRY_POINTS = ("web", "complaints.cli")
# What the services use on the entry points' behalf: the web and the command line ask the
# services, which decide who may see and do what.
BEHIND_THE_SERVICES = ("complaints.letters",)


def _within(module: str, names: tuple[str, ...]) -> bool:
    return any(module == name or module.startswith(f"{name}.") for name in names)


def layer_of(module: str) -> int:
    return next(index for index, names in enumerate(LAYERS) if _within(module, names))


def modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "versions" in path.parts:  # migrations' revisions: frozen, they import sa only
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imports_of(path: Path) -> set[str]:
    """Every absolute module name the file imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


IMPORTS = {module: imports_of(path) for module, path in modules()}


def test_every_package_of_ours_is_read() -> None:
    assert {"web.api", "complaints.cli", "complaints.services.cases", "workflows.engine"} <= set(
        IMPORTS
    )


def _imported_module(name: str) -> str | None:
    """`name` if it is one of our modules, or the module holding it if it is a name inside one
    (`from package.module import thing`); None if it is neither."""
    if name in IMPORTS:
        return name
    holder = name.rsplit(".", 1)[0]
    return holder if holder in IMPORTS else None


def upward_imports(module: str) -> list[str]:
    targets = {_imported_module(name) for name in IMPORTS[module]} - {None}
    return sorted(
        target
        for target in targets
        if target is not None
        and layer_of(target) < layer_of(module)
        and (module, target) not in KNOWN_UPWARD
    )


@pytest.mark.parametrize("module", sorted(IMPORTS))
def test_imports_run_only_downward(module: str) -> None:
    assert upward_imports(module) == [], f"{module} imports from a layer above it"


@pytest.mark.parametrize("module", sorted(m for m in IMPORTS if not _within(m, ("web",))))
def test_only_the_web_imports_flask_or_the_web(module: str) -> None:
    web = sorted(
        name
        for name in IMPORTS[module]
        if _within(name, ("flask", "werkzeug", "flask_login", "web"))
    )
    assert web == [], f"{module} imports {web}"


@pytest.mark.parametrize("module", sorted(m for m in IMPORTS if _within(m, ENTRY_POINTS)))
def test_the_entry_points_reach_letters_through_the_services(module: str) -> None:
    behind = sorted(name for name in IMPORTS[module] if _within(name, BEHIND_THE_SERVICES))
    assert behind == [], f"{module} imports {behind}: ask complaints.services instead"


def test_the_known_upward_imports_are_still_there() -> None:
    """An exception nobody needs any more is taken out of the list, not left to hide another."""
    for module, imported in KNOWN_UPWARD:
        assert imported in IMPORTS[module], (module, imported)
