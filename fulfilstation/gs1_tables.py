"""biip without its table of GS1 company prefixes: about 20 MB and 0.15 s less per process.

biip (our GS1 barcode reader) builds, when ``biip.gs1_prefixes`` is first imported, a trie of
every company prefix GS1 has assigned (``_GS1_COMPANY_PREFIX_TRIE``, a 130 KB lzma file that
becomes about 20 MB of Python dicts). FulfilStation never reads a barcode's company prefix:
it reads the GTIN, the application identifiers and the country prefix. So ``install`` puts a
finder in front of the import system that loads ``biip.gs1_prefixes`` with that one table
empty. Invariants:

* Everything else biip does is unchanged: the GS1 prefix table (countries, restricted
  ranges), check digits, application identifiers. ``GS1CompanyPrefix.extract`` answers None,
  so a parsed GTIN's ``company_prefix`` is None; nothing in FulfilStation reads it.
* Source route: the module's own source is parsed and compiled with the table's assignment
  replaced by ``{}``, without writing a ``.pyc`` (the normal cache stays the real module's).
  When the module has no source (a frozen bundle) or biip has renamed the table, the module
  is imported as shipped and the table dropped right after: the memory comes back, the
  start-up time does not.
* ``install`` is idempotent and must run before anything imports biip:
  ``fulfilstation/__init__.py`` calls it. Import-time only; no threads.
"""

from __future__ import annotations

import ast
import importlib.abc
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import CodeType, ModuleType

MODULE = "biip.gs1_prefixes"
TABLE = "_GS1_COMPANY_PREFIX_TRIE"


class _WithoutCompanyPrefixes(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname != MODULE:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


class _Loader(importlib.abc.Loader):
    def __init__(self, shipped: importlib.abc.Loader) -> None:
        self._shipped = shipped

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self._shipped.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        code = _code_without_table(self._shipped, module.__spec__)
        if code is not None:
            exec(code, module.__dict__)  # noqa: S102 - biip's own source, one assignment emptied
            return
        self._shipped.exec_module(module)
        if hasattr(module, TABLE):
            setattr(module, TABLE, {})


def _code_without_table(loader: importlib.abc.Loader, spec: ModuleSpec | None) -> CodeType | None:
    get_source = getattr(loader, "get_source", None)
    if spec is None or get_source is None:
        return None
    try:
        source = get_source(spec.name)
    except (ImportError, OSError):
        return None
    if source is None:
        return None
    tree = ast.parse(source, spec.origin or MODULE)
    emptied = False
    for node in tree.body:
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if any(isinstance(target, ast.Name) and target.id == TABLE for target in targets):
            node.value = ast.copy_location(ast.Dict(keys=[], values=[]), node.value or node)
            emptied = True
    if not emptied:
        return None
    return compile(ast.fix_missing_locations(tree), spec.origin or MODULE, "exec")


def install() -> None:
    """Load biip without its company-prefix table from now on (no effect once it is loaded)."""
    if not any(isinstance(finder, _WithoutCompanyPrefixes) for finder in sys.meta_path):
        sys.meta_path.insert(0, _WithoutCompanyPrefixes())
