"""The import contract of ARCHITECTURE.md, checked by reading every module's imports."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

# package -> (forbidden import prefixes, allowed exceptions)
RULES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fulfilstation": (("PySide6", "shiboken6", "ui", "drivers", "main"), ()),
    "drivers": (("PySide6", "shiboken6", "ui", "main", "fulfilstation", "sqlalchemy", "alembic"),
                ("fulfilstation.ports",)),
    "ui": (("sqlalchemy", "alembic", "fulfilstation.db", "drivers", "main", "psycopg", "serial", "hid"), ()),
}


def imported_names(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:  # ``from fulfilstation import db`` imports fulfilstation.db
                yield node.lineno, f"{node.module}.{alias.name}"


def _matches(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(root: Path) -> list[str]:
    found = []
    for package, (forbidden, allowed) in RULES.items():
        for path in sorted((root / package).rglob("*.py")):
            for line, name in imported_names(path):
                if any(_matches(name, a) for a in allowed):
                    continue
                if any(_matches(name, f) for f in forbidden) and not _matches(name, package):
                    found.append(f"{path.relative_to(root)}:{line} imports {name}")
    return found
