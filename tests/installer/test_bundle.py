"""The frozen one-folder bundle: it passes its own self-test, with only what it needs inside."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from fulfilstation import __version__
from installer.build_bundle import EXECUTABLE
from tests.support.installer import assert_self_test_passed, self_test_environment

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]  # the first test builds the bundle: minutes
ROOT = Path(__file__).resolve().parents[2]


def test_the_frozen_app_passes_its_self_test(bundle: Path, tmp_path: Path) -> None:
    done = subprocess.run([str(EXECUTABLE), "--self-test"], env=self_test_environment(tmp_path),
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"FulfilStation {__version__} self-test (frozen bundle in {bundle / '_internal'})" in done.stdout
    assert_self_test_passed(done.stdout)
    assert "offscreen platform" in done.stdout
    written = [p for p in tmp_path.rglob("*") if "FulfilStation" in p.name or p.suffix == ".sqlite3"]
    assert written == [], f"the self-test wrote outside its temporary folder: {written}"


def test_the_frozen_cli_answers(bundle: Path, tmp_path: Path) -> None:
    done = subprocess.run([str(EXECUTABLE), "--version"], env=self_test_environment(tmp_path),
                          capture_output=True, text=True, timeout=120, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, f"FulfilStation {__version__}")


def test_the_bundle_carries_the_migrations_and_resources(bundle: Path) -> None:
    inside = bundle / "_internal"
    scripts = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
    assert sorted(p.name for p in (inside / "migrations" / "versions").glob("*.py")) == scripts
    assert (inside / "migrations" / "env.py").is_file()
    sounds = sorted(p.name for p in (ROOT / "resources" / "sounds").glob("*.wav"))
    assert sounds and sorted(p.name for p in (inside / "resources" / "sounds").glob("*.wav")) == sounds
    assert (inside / "resources" / "icons" / "fulfilstation.svg").is_file()
    # reportlab's C accelerators, imported by a string exec that PyInstaller cannot follow
    assert list(inside.glob("_rl_accel*")), "the bundle lacks _rl_accel: every PDF is three times slower"


def test_unused_qt_modules_are_left_out(bundle: Path) -> None:
    files = {p.name for p in (bundle / "_internal").rglob("*")}
    for unused in ("QtWebEngineCore", "Qt3DCore", "QtQuick3D", "QtPdf", "QtDesigner", "QtVirtualKeyboard"):
        assert not [name for name in files if unused in name], f"{unused} is in the bundle"
    for used in ("libQt6Widgets.so.6", "libQt6Charts.so.6", "libQt6Multimedia.so.6", "libqoffscreen.so"):
        assert used in files, f"{used} is missing from the bundle"


def test_a_broken_installation_fails_naming_the_steps(bundle: Path, tmp_path: Path) -> None:
    """A copy of the bundle (hard links: nothing is copied) missing a migration and a sound."""
    broken = tmp_path / "broken"
    shutil.copytree(bundle, broken, symlinks=True, copy_function=os.link)
    next((broken / "_internal/migrations/versions").glob("0002_*.py")).unlink()
    (broken / "_internal/resources/sounds/accept.wav").unlink()
    home = tmp_path / "home"
    home.mkdir()
    done = subprocess.run([str(broken / EXECUTABLE.name), "--self-test"], env=self_test_environment(home),
                          capture_output=True, text=True, timeout=300, check=False)
    lines = done.stdout.splitlines()
    assert done.returncode == 1, done.stdout + done.stderr
    failed = [line.split(":")[0] for line in lines if line.startswith("FAIL")]
    assert failed == ["FAIL database", "FAIL sounds", "FAIL window"]  # the window migrates its database too
    assert f"FAIL database: the migrations in {broken / '_internal' / 'migrations'} could not run (" in done.stdout
    assert "reinstall FulfilStation" in done.stdout
    assert "FAIL sounds: the sound files accept are missing from resources/sounds" in done.stdout
    assert lines[-1].startswith("self-test FAILED at database, sounds, window: ")
    assert any(line.startswith("ok   packing-slip: ") for line in lines)  # the other checks still ran
    assert "Traceback" not in done.stdout + done.stderr
