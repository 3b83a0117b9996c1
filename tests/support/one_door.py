"""The one-door contract: the window and the CLI reach use cases only through ``AppServices``.

Read from each module's imports (AST) and resolved by importing what they name: a module
of ``ui/`` or ``fulfilstation/cli/`` may import from ``fulfilstation.services`` only classes
that are values, not doors — dataclasses, enums, refusals, ``AppServices`` itself — never a
function (a use case called around ``AppServices``), an area's service class (built only by
``build_services``) or a module. The composition points (``COMPOSERS``) may also build
``AppServices``. ``fulfilstation/domain`` imports nothing of ours but itself.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Iterator
from pathlib import Path

ENTRY_POINTS = ("ui", "fulfilstation/cli")
COMPOSERS = {"fulfilstation/cli/context.py", "main.py"}
COMPOSING = {"build_services", "Ports", "ServiceContext"}


def _imports(path: Path) -> Iterator[tuple[int, str, str | None]]:
    """(line, module, name or None for a whole-module import) of every absolute import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, None
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield node.lineno, node.module, alias.name


def _is_door(value: object) -> bool:
    """A use case or a way to one: a function, a module, or an area's service class."""
    if inspect.isfunction(value) or inspect.ismodule(value):
        return True
    return inspect.isclass(value) and isinstance(getattr(value, "database", None), property)  # an area's service


def door_violations(root: Path, files: list[Path] | None = None) -> list[str]:
    found = []
    paths = files if files is not None else [p for base in ENTRY_POINTS for p in sorted((root / base).rglob("*.py"))]
    for path in paths:
        relative = path.relative_to(root).as_posix()
        for line, module, name in _imports(path):
            if not (module == "fulfilstation.services" or module.startswith("fulfilstation.services.")):
                continue
            if name is None:
                found.append(f"{relative}:{line} imports the module {module}")
                continue
            if relative in COMPOSERS and name in COMPOSING:
                continue
            value = getattr(importlib.import_module(module), name, None)
            if value is None or _is_door(value):
                found.append(f"{relative}:{line} imports {module}.{name}, not through AppServices")
    return found


def domain_violations(root: Path) -> list[str]:
    """Imports of ``fulfilstation/domain`` that leave the domain (or take Qt or a database)."""
    found = []
    for path in sorted((root / "fulfilstation" / "domain").rglob("*.py")):
        for line, module, _name in _imports(path):
            ours = module.split(".")[0] in ("fulfilstation", "ui", "drivers", "main")
            if (ours and not (module + ".").startswith("fulfilstation.domain.")) or module.split(".")[0] in (
                    "sqlalchemy", "PySide6", "alembic", "psycopg"):
                found.append(f"{path.relative_to(root).as_posix()}:{line} imports {module}")
    return found
