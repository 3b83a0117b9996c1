"""Checks that Windows-only modules stay out of a Linux run, read and run both ways.

The list of such modules is ``installer/windows_only_modules.py`` (the bundle reads it too).

* ``unguarded_windows_uses`` reads the source: an import of a listed module, a call given a
  listed module's name as a string (``importlib.import_module("win32print")``, a loader
  like ``_load("win32print")``) or a Windows-only attribute (``ctypes.windll``) is allowed
  only inside a function (it runs when called, on Windows) or in the Windows branch of a
  platform check (``sys.platform == "win32"``, ``os.name == "nt"``,
  ``platform.system() == "Windows"``) or under ``TYPE_CHECKING``. Each other one is
  reported as ``path:line what``.
* ``import_probe`` imports every module of the given packages in a fresh interpreter with
  a finder first on ``sys.meta_path`` that records each attempt to import a listed module
  (a failed ``try: import winreg`` counts) and the file and line that asked for it.
"""

from __future__ import annotations

import ast
import json
import os
import runpy
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIST_FILE = ROOT / "installer" / "windows_only_modules.py"


def listed(name: str) -> tuple[str, ...]:
    """One of the tuples of ``installer/windows_only_modules.py``."""
    value = runpy.run_path(str(LIST_FILE))[name]
    assert isinstance(value, tuple)
    return value


def is_windows_only(module: str, modules: Sequence[str]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in modules)


# --- the static check -------------------------------------------------------------------

def _dotted(node: ast.AST) -> str | None:
    """``sys.platform`` → "sys.platform"; ``platform.system()`` → "platform.system()"."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, ast.Call) and not node.args and not node.keywords:
        base = _dotted(node.func)
        return f"{base}()" if base else None
    return None


_WINDOWS_VALUES = {"sys.platform": "win32", "os.name": "nt", "platform.system()": "Windows"}


def _windows_when(test: ast.expr) -> bool | None:
    """True when ``test`` holds only on Windows, False when it holds only elsewhere, None
    when it says nothing about the platform (``TYPE_CHECKING`` counts as Windows-only: it
    never holds when the program runs)."""
    if isinstance(test, ast.Name | ast.Attribute) and _dotted(test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
        return True
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _windows_when(test.operand)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return True if any(_windows_when(value) is True for value in test.values) else None
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and test.func.attr == "startswith":
        prefix = test.args[0] if test.args else None
        if (_dotted(test.func.value) == "sys.platform" and isinstance(prefix, ast.Constant)
                and prefix.value == "win"):
            return True
        return None
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, right = _dotted(test.left), test.comparators[0]
        if left in _WINDOWS_VALUES and isinstance(right, ast.Constant) and right.value == _WINDOWS_VALUES[left]:
            if isinstance(test.ops[0], ast.Eq):
                return True
            if isinstance(test.ops[0], ast.NotEq):
                return False
    return None


def _uses(node: ast.AST, modules: Sequence[str], attributes: Sequence[str]) -> Iterator[str]:
    """What in ``node`` itself (not its children) touches something Windows-only."""
    if isinstance(node, ast.Import):
        yield from (f"imports {alias.name}" for alias in node.names if is_windows_only(alias.name, modules))
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        if is_windows_only(node.module, modules):
            yield f"imports {node.module}"
        else:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if is_windows_only(full, modules) or full in attributes:
                    yield f"imports {full}"
    elif isinstance(node, ast.Call):
        for arg in node.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and is_windows_only(arg.value, modules):
                yield f"loads {arg.value}"
    elif isinstance(node, ast.Attribute) and _dotted(node) in attributes:
        yield f"uses {_dotted(node)}"


def _unguarded(node: ast.AST, modules: Sequence[str], attributes: Sequence[str]) -> Iterator[tuple[int, str]]:
    """Windows-only uses in ``node``'s subtree that run at import time outside a Windows branch."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        # Decorators and default values run when the module is imported; the body does not.
        early: list[ast.AST] = [*getattr(node, "decorator_list", []), *node.args.defaults,
                                *(d for d in node.args.kw_defaults if d is not None)]
        for part in early:
            yield from _unguarded(part, modules, attributes)
        return
    if isinstance(node, ast.If):
        windows = _windows_when(node.test)
        yield from _unguarded(node.test, modules, attributes)
        if windows is not True:
            for child in node.body:
                yield from _unguarded(child, modules, attributes)
        if windows is not False:
            for child in node.orelse:
                yield from _unguarded(child, modules, attributes)
        return
    for what in _uses(node, modules, attributes):
        yield getattr(node, "lineno", 0), what
    for inner in ast.iter_child_nodes(node):
        yield from _unguarded(inner, modules, attributes)


def unguarded_windows_uses(root: Path, packages: Sequence[str] = ("fulfilstation", "drivers", "ui"),
                           files: Sequence[str] = ("main.py",)) -> list[str]:
    """Every Windows-only use under ``root``'s ``packages`` and ``files`` that would run on
    import on Linux, as ``path:line what``, sorted by path."""
    modules, attributes = listed("WINDOWS_ONLY_MODULES"), listed("WINDOWS_ONLY_ATTRIBUTES")
    paths = [path for package in packages for path in (root / package).rglob("*.py")]
    paths += [root / name for name in files if (root / name).exists()]
    found: list[str] = []
    for path in sorted(paths):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        relative = path.relative_to(root).as_posix()
        found += [f"{relative}:{line} {what}" for line, what in _unguarded(tree, modules, attributes)]
    return found


# --- the import probe -------------------------------------------------------------------

_PROBE = r"""
import importlib, json, os, pkgutil, sys, traceback

modules = tuple(json.loads(sys.argv[1]))
attempts = []


def asked_by():
    frame = sys._getframe(2)
    skip = os.path.dirname(importlib.__file__)
    while frame is not None:
        name = frame.f_code.co_filename
        if not name.startswith("<frozen") and not name.startswith(skip):
            return name, frame.f_lineno
        frame = frame.f_back
    return "?", 0


class Recorder:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if any(name == m or name.startswith(m + ".") for m in modules):
            where, line = asked_by()
            attempts.append({"module": name, "file": where, "line": line})
        return None


sys.meta_path.insert(0, Recorder)
imported, failures = [], []
for package in json.loads(sys.argv[2]):
    try:
        top = importlib.import_module(package)
    except Exception:
        failures.append({"module": package, "error": traceback.format_exc(limit=3)})
        continue
    imported.append(package)
    if not hasattr(top, "__path__"):
        continue
    for info in pkgutil.walk_packages(top.__path__, package + ".", onerror=lambda name: failures.append(
            {"module": name, "error": traceback.format_exc(limit=3)})):
        try:
            importlib.import_module(info.name)
            imported.append(info.name)
        except Exception:
            failures.append({"module": info.name, "error": traceback.format_exc(limit=3)})
loaded = sorted(name for name in sys.modules if any(name == m or name.startswith(m + ".") for m in modules))
print(json.dumps({"imported": imported, "attempts": attempts, "loaded": loaded, "failures": failures}))
"""


@dataclass(frozen=True)
class ProbeResult:
    imported: list[str]
    attempts: list[dict[str, object]]
    loaded: list[str]
    failures: list[dict[str, str]]

    def attempts_from(self, root: Path) -> list[str]:
        """The attempts made by a file under ``root``, as ``path:line module``."""
        inside = str(root.resolve()) + os.sep
        return sorted(f"{str(a['file'])[len(inside):]}:{a['line']} {a['module']}"
                      for a in self.attempts if str(a["file"]).startswith(inside))


def import_probe(root: Path, packages: Sequence[str], timeout: float = 300.0) -> ProbeResult:
    """Import every module of ``packages`` (found under ``root``) in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(listed("WINDOWS_ONLY_MODULES")), json.dumps(list(packages))],
        cwd=root, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise AssertionError(f"the import probe failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return ProbeResult(**result)
