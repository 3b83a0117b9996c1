"""Module-level import cycles among our own packages, found from the source alone.

A cycle of module-level imports works or fails depending on which module of it a process
imports first: the test process imports everything in one order and passes, a spawned
worker that starts from another module dies with "partially initialized module" (and a
``multiprocessing.Pool`` whose worker dies waits for ever). So any cycle is refused.

The graph: module M → module N when M's top level imports N (``import N``, ``from N import
x``, relative forms too), and → each package above N that is not also above M (importing
``a.b.c`` runs ``a/__init__`` and ``a/b/__init__`` first; M's own packages are already
running). Imports inside functions and under ``if …:`` (``TYPE_CHECKING``) run later or
never at import time, so they are not edges.
"""

from __future__ import annotations

import ast
from pathlib import Path

OUR_PACKAGES = ("fulfilstation", "drivers", "ui")


def module_files(root: Path, packages: tuple[str, ...] = OUR_PACKAGES) -> dict[str, Path]:
    """``{dotted module name: file}`` for every ``.py`` under ``root``'s ``packages``."""
    modules: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _imported_names(module: str, path: Path) -> list[str]:
    """Dotted names the module's top level imports (``from a import b`` gives ``a`` and ``a.b``)."""
    is_package = path.name == "__init__.py"
    names: list[str] = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    statements: list[ast.stmt] = []
    for node in tree.body:
        statements.extend(node.body if isinstance(node, ast.Try) else [node])
    for statement in statements:
        if isinstance(statement, ast.Import):
            names.extend(alias.name for alias in statement.names)
        elif isinstance(statement, ast.ImportFrom):
            base = statement.module or ""
            if statement.level:
                package = module if is_package else module.rpartition(".")[0]
                for _ in range(statement.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            names.append(base)
            names.extend(f"{base}.{alias.name}" for alias in statement.names)
    return names


def import_graph(root: Path, packages: tuple[str, ...] = OUR_PACKAGES) -> dict[str, set[str]]:
    modules = module_files(root, packages)
    graph: dict[str, set[str]] = {module: set() for module in modules}
    for module, path in modules.items():
        for name in _imported_names(module, path):
            if name.split(".")[0] not in packages:
                continue
            while name and name not in modules:  # ``from pkg import Name``: the module is pkg
                name = name.rpartition(".")[0]
            while name:
                if name != module and not module.startswith(name + "."):
                    graph[module].add(name)
                name = name.rpartition(".")[0]
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # iterative Tarjan: the graph is deep enough to matter for recursion
        work: list[tuple[str, list[str]]] = [(start, sorted(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)
