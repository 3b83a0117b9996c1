"""``fulfilstation --self-test``: its runner, and the whole self-test run from source."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from fulfilstation.self_test.runner import Check, CheckFailed, run_checks
from tests.support.installer import assert_self_test_passed, self_test_environment

ROOT = Path(__file__).resolve().parents[2]


def _broken() -> str:
    raise CheckFailed("the migrations folder is incomplete")


def _bug() -> str:
    raise RuntimeError("no module named alembic\nsecond line")


def test_every_check_runs_and_the_failed_ones_are_named() -> None:
    out = io.StringIO()
    code = run_checks([Check("database", _broken), Check("label-zpl", lambda: "871 bytes"), Check("window", _bug)],
                      out, "heading")
    lines = out.getvalue().splitlines()
    assert code == 1
    assert lines[0] == "heading"
    assert lines[1].startswith("FAIL database: the migrations folder is incomplete (")
    assert lines[2].startswith("ok   label-zpl: 871 bytes (")
    assert lines[3].startswith("FAIL window: RuntimeError: no module named alembic (")  # one line, no traceback
    assert lines[4].startswith("self-test FAILED at database, window: ")
    assert len(lines) == 5


def test_all_passed_exits_0() -> None:
    out = io.StringIO()
    assert run_checks([Check("a", lambda: "fine"), Check("b", lambda: "fine")], out, "heading") == 0
    assert out.getvalue().splitlines()[-1] == "self-test passed: 2 of 2 checks"


def test_the_self_test_passes_from_source(tmp_path: Path) -> None:
    env = self_test_environment(tmp_path)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--self-test"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test (from source)" in done.stdout.splitlines()[0]
    assert_self_test_passed(done.stdout)
    written = [p for p in tmp_path.rglob("*") if "FulfilStation" in p.name or p.suffix == ".sqlite3"]
    assert written == [], f"the self-test wrote outside its temporary folder: {written}"


def test_the_self_test_runs_no_command(tmp_path: Path) -> None:
    env = self_test_environment(tmp_path)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--self-test", "orders", "list"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "--self-test checks the installation and runs no command: leave out 'orders'" in done.stderr
