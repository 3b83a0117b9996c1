"""Our packages import each other without cycles, so any module can be the first one a
process imports (a spawned race-test worker, a CLI command, a frozen app); the areas that
re-export lazily list the same names for the type checker and for run time; and a fresh
interpreter can start from each race worker and each area."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.import_cycles import cycles, import_graph

ROOT = Path(__file__).resolve().parents[1]
LAZY_AREAS = ("orders", "packing", "picking", "shipping", "stock")


def test_our_modules_import_each_other_without_cycles() -> None:
    assert cycles(import_graph(ROOT)) == []


def test_the_checker_finds_a_cycle_through_a_package_init(tmp_path: Path) -> None:
    files = {
        "fulfilstation/__init__.py": "",
        "fulfilstation/a/__init__.py": "from fulfilstation.a.service import A\n",
        "fulfilstation/a/service.py": "from fulfilstation.b.views import V\nA = 1\n",
        "fulfilstation/b/__init__.py": "from fulfilstation.b.service import B\n",
        "fulfilstation/b/service.py": "from fulfilstation.a.views import W\nB = 2\n",
        "fulfilstation/b/views.py": "V = 3\n",
        "fulfilstation/a/views.py": "W = 4\n",
        "fulfilstation/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from fulfilstation.a import A\n"
                              "def f():\n    from fulfilstation.b import B\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    # a/service → b/views runs b/__init__ → b/service → a/views runs a/__init__ → a/service
    assert cycles(import_graph(tmp_path, ("fulfilstation",))) == [
        ["fulfilstation.a", "fulfilstation.a.service", "fulfilstation.b", "fulfilstation.b.service"]]


@pytest.mark.parametrize("area", LAZY_AREAS)
def test_a_lazy_area_exports_at_run_time_what_it_declares_for_the_type_checker(area: str) -> None:
    package_name = f"fulfilstation.services.{area}"
    source = (ROOT / "fulfilstation" / "services" / area / "__init__.py").read_text(encoding="utf-8")
    declared: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom) and statement.module
                declared.update({alias.name: statement.module for alias in statement.names})
    package = importlib.import_module(package_name)
    assert sorted(package.__all__) == sorted(declared)
    for name, module in declared.items():
        assert getattr(package, name) is getattr(importlib.import_module(module), name), name
    assert set(declared) <= set(dir(package))
    with pytest.raises(AttributeError, match="no attribute 'Nonesuch'"):
        _ = package.Nonesuch


def test_a_fresh_interpreter_can_start_from_each_worker_and_each_area() -> None:
    starts = [f"tests.support.{path.stem}" for path in sorted((ROOT / "tests" / "support").glob("*_worker.py"))]
    starts += [f"fulfilstation.services.{path.parent.name}"
               for path in sorted((ROOT / "fulfilstation" / "services").glob("*/__init__.py"))]
    assert "tests.support.slotting_worker" in starts and "fulfilstation.services.stock" in starts
    script = (
        "import importlib, sys\n"
        "ours = ('fulfilstation', 'drivers', 'ui', 'tests')\n"
        "failed = []\n"
        "for start in sys.argv[1:]:\n"
        "    for name in [n for n in sys.modules if n.split('.')[0] in ours]:\n"
        "        del sys.modules[name]\n"
        "    try:\n"
        "        importlib.import_module(start)\n"
        "    except Exception as exc:\n"
        "        failed.append(f'{start}: {exc!r}')\n"
        "print('\\n'.join(failed))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, *starts], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
