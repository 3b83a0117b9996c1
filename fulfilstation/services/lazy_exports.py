"""Lazy re-exports for an area package's ``__init__``.

An area package (``fulfilstation.services.orders`` …) re-exports its service and the values
it returns. Importing any module of a package runs the package's ``__init__`` first, so an
``__init__`` that imported its service eagerly would pull the whole area — and every area it
imports — into any other area that needs one small module of it (a view, a lookup). Areas
use each other both ways (orders cancel pick lists, picking backorders orders), and those
eager imports made an import cycle that only broke when a process imported the areas in an
unlucky order (a spawned worker importing slotting first: ``ImportError`` in the worker).

The package lists its re-exports as ordinary imports inside ``if TYPE_CHECKING:`` (what type
checkers and readers see) and hands the same names, by module, to :func:`lazy_exports`,
which imports each on first use. ``tests/test_import_cycles.py`` checks the two lists agree
and keeps module-level imports free of cycles. (The source is not read at run time: a frozen
app has only bytecode.)

Threading: the first access to a name imports its module under Python's import lock; later
accesses read the package's globals.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def lazy_exports(package: str, by_module: Mapping[str, Iterable[str]]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` for ``package``, exporting ``by_module`` ({module:
    names}): a name is imported from its module on first access and kept in the package."""
    exports = {name: module for module, names in by_module.items() for name in names}
    namespace = importlib.import_module(package).__dict__

    def package_getattr(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def package_dir() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return package_getattr, package_dir
