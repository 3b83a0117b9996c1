"""The Linux build never imports a Windows-only module (issue #16, point 4).

The modules are listed once, in ``installer/windows_only_modules.py``; the PyInstaller spec
reads the same list. Two checks: every such import sits inside a function or behind a
platform check (read from the source), and importing every module of ``fulfilstation``,
``drivers``, ``ui`` and ``main`` on this Linux PC does not even try to import one (run).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.layers import module_name
from tests.support.windows_guards import ROOT, import_probe, listed, unguarded_windows_uses

PACKAGES = ("fulfilstation", "drivers", "ui")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="checks what a Linux run imports")


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")


def test_every_windows_only_use_in_our_code_is_guarded() -> None:
    assert unguarded_windows_uses(ROOT) == []


def test_the_spooler_loads_pywin32_only_when_a_job_is_sent(tmp_path: Path) -> None:
    """The one place that needs pywin32 loads it by name inside its methods: the Windows
    bundle must list each such name as a hidden import, and the same load moved to the
    module's top level must be caught."""
    source = (ROOT / "drivers" / "printer" / "windows_spooler.py").read_text(encoding="utf-8")
    for module in listed("WINDOWS_RUNTIME_IMPORTS"):
        assert f'_load("{module}")' in source
        assert module in listed("WINDOWS_ONLY_MODULES")
    hoisted = source + 'API = _load("win32print")\n'
    _write(tmp_path, {"drivers/printer/windows_spooler.py": hoisted})
    assert unguarded_windows_uses(tmp_path) == [
        f"drivers/printer/windows_spooler.py:{hoisted.count(chr(10))} loads win32print"]


def test_static_check_catches_each_unguarded_form(tmp_path: Path) -> None:
    _write(tmp_path, {
        "drivers/bad.py": """
            import winreg
            from win32com.client import Dispatch
            from serial.tools import list_ports_windows
            import importlib
            SPOOL = importlib.import_module("win32print")
            import ctypes
            KERNEL = ctypes.windll.kernel32
            from ctypes import windll
            try:
                import msvcrt
            except ImportError:
                msvcrt = None
            if sys.platform != "win32":
                import _winapi
            def f(api=__import__("pywintypes")):
                return api
        """,
        "drivers/fine.py": """
            import sys, os, importlib, ctypes, platform
            from typing import TYPE_CHECKING
            if sys.platform == "win32":
                import winreg
                from ctypes import windll
            else:
                winreg = None
            if os.name == "nt":
                import msvcrt
            if not sys.platform.startswith("win"):
                pass
            else:
                import winsound
            if platform.system() == "Windows" and True:
                import win32api
            if TYPE_CHECKING:
                import win32print
            def load():
                import win32print
                return importlib.import_module("win32api"), ctypes.windll, os.startfile
            class Printer:
                def send(self):
                    return _load("win32print")
            import serial.tools.list_ports  # cross-platform: pyserial picks its half itself
            import hid
        """,
        "ui/also_bad.py": "import nt\n",
        "main.py": "import os\nos.startfile('x')\n",
    })
    assert unguarded_windows_uses(tmp_path) == [
        "drivers/bad.py:2 imports winreg",
        "drivers/bad.py:3 imports win32com.client",
        "drivers/bad.py:4 imports serial.tools.list_ports_windows",
        "drivers/bad.py:6 loads win32print",
        "drivers/bad.py:8 uses ctypes.windll",
        "drivers/bad.py:9 imports ctypes.windll",
        "drivers/bad.py:11 imports msvcrt",
        "drivers/bad.py:15 imports _winapi",
        "drivers/bad.py:16 loads pywintypes",
        "main.py:2 uses os.startfile",
        "ui/also_bad.py:1 imports nt",
    ]


def test_importing_everything_on_linux_tries_no_windows_module() -> None:
    result = import_probe(ROOT, (*PACKAGES, "main"))
    assert result.failures == []
    on_disk = {module_name(ROOT, path) for package in PACKAGES for path in (ROOT / package).rglob("*.py")}
    assert on_disk | {"main"} <= set(result.imported), "some modules were not walked"
    assert result.attempts_from(ROOT) == []
    assert result.loaded == []


def test_import_probe_catches_an_attempt_even_when_it_fails(tmp_path: Path) -> None:
    """A ``try: import winreg`` on Linux fails quietly, so nothing lands in sys.modules;
    the probe must still name it, and a call made at import time too."""
    _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/quiet.py": """
            try:
                import winreg
            except ImportError:
                winreg = None
        """,
        "pkg/sub/__init__.py": "",
        "pkg/sub/loader.py": """
            import importlib
            def _load(name):
                try:
                    return importlib.import_module(name)
                except ImportError:
                    return None
            API = _load("win32print")
        """,
        "pkg/clean.py": "import serial.tools.list_ports\n",
    })
    result = import_probe(tmp_path, ("pkg",))
    assert set(result.imported) == {"pkg", "pkg.quiet", "pkg.sub", "pkg.sub.loader", "pkg.clean"}
    assert result.attempts_from(tmp_path) == ["pkg/quiet.py:3 winreg", "pkg/sub/loader.py:5 win32print"]
    assert result.loaded == []
