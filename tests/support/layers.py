"""The import contract of ARCHITECTURE.md, checked by reading every module's imports.

A rule names a package (dotted), the import prefixes it must not use and the exceptions to
them. Every rule whose package contains a module applies to it (``fulfilstation/domain``
obeys both the ``fulfilstation`` and the ``fulfilstation.domain`` rule); a package may
always import itself. Relative imports are resolved first, so ``from ..db import models``
in ``fulfilstation/domain`` counts as ``fulfilstation.db.models``. Each offending import is
reported once, as ``path:line imports name``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

#: Our own top-level packages and modules: "nothing of ours" means none of these.
OURS = ("fulfilstation", "drivers", "ui", "main", "migrations", "resources", "tests")
QT = ("PySide6", "shiboken6")
DATABASE = ("sqlalchemy", "alembic", "psycopg")

# package -> (forbidden import prefixes, allowed exceptions)
RULES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fulfilstation": ((*QT, "ui", "drivers", "main"), ()),
    "fulfilstation.domain": ((*OURS, *QT, *DATABASE), ()),
    "drivers": ((*OURS, *QT, *DATABASE), ("fulfilstation.ports", "fulfilstation.domain")),
    "ui": (("sqlalchemy", "alembic", "fulfilstation.db", "drivers", "main", "psycopg", "serial", "hid"), ()),
    # Shop adapters speak HTTP and know nothing of the database or the use cases.
    "fulfilstation.integrations": ((*OURS, *QT, *DATABASE), ("fulfilstation.credentials", "fulfilstation.domain")),
}


def module_name(root: Path, path: Path) -> str:
    """``fulfilstation/domain/units.py`` → ``fulfilstation.domain.units`` (a package's
    ``__init__.py`` is the package itself)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of ``from {'.' * level}{target} import …`` written in ``module``."""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: max(len(base) - (level - 1), 0)]
    return ".".join([*base, target] if target else base)


def imported_names(path: Path, module: str = "") -> Iterator[tuple[int, str]]:
    """Every module (and ``from`` name) that ``path`` imports, with its line number."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, is_package, node.level, node.module) if node.level else node.module
            if not source:
                continue
            if node.module or node.level == 0:
                yield node.lineno, source
            for alias in node.names:  # ``from fulfilstation import db`` imports fulfilstation.db
                yield node.lineno, f"{source}.{alias.name}"


def _matches(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _breaks(name: str, package: str, forbidden: tuple[str, ...], allowed: tuple[str, ...]) -> bool:
    if _matches(name, package) or any(_matches(name, a) for a in allowed):
        return False
    return any(_matches(name, f) for f in forbidden)


def violations(root: Path) -> list[str]:
    found: dict[str, None] = {}  # ordered set: a module under two rules is reported once
    for package, (forbidden, allowed) in RULES.items():
        for path in sorted((root / package.replace(".", "/")).rglob("*.py")):
            module = module_name(root, path)
            for line, name in imported_names(path, module):
                if _breaks(name, package, forbidden, allowed):
                    found[f"{path.relative_to(root)}:{line} imports {name}"] = None
    return list(found)
