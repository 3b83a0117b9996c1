"""What the installer and self-test tests share: a clean environment for a self-test, its expected
lines, and the rule for a missing prerequisite (in CI, ``CI=true``, it fails the test; on a
developer's PC it skips, saying what to install)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
CHECKS = ("database", "label-zpl", "label-pdf", "packing-slip", "sounds", "window")


def require(ok: bool, what: str) -> None:
    """Stop the test when ``ok`` is false: a failure in CI, a skip elsewhere."""
    if ok:
        return
    if IN_CI:
        pytest.fail(f"CI must run the installer tests, but {what}", pytrace=False)
    pytest.skip(what)


def require_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} is not installed (sudo apt-get install {package})")
    assert path is not None
    return path


def self_test_environment(home: Path) -> dict[str, str]:
    """This process's environment with a fresh HOME and no Qt platform: the self-test must choose
    offscreen itself and write nothing outside its own temporary folder."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("QT_QPA_PLATFORM", "FULFIL_DATABASE_URL", "FULFIL_CONFIG_DIR", "FULFIL_DATA_DIR",
                          "FULFIL_DOCUMENTS_DIR", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"))
    return env


def assert_self_test_passed(output: str) -> None:
    lines = output.splitlines()
    for check in CHECKS:
        assert any(line.startswith(f"ok   {check}: ") for line in lines), f"no ok line for {check}:\n{output}"
    assert not any(line.startswith("FAIL") for line in lines), output
    assert f"self-test passed: {len(CHECKS)} of {len(CHECKS)} checks" in lines, output
