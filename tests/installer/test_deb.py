"""The Debian package: built from the bundle, its desktop entry valid, installed with dpkg, its
self-test passing from /opt/fulfilstation, and removed without a trace."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from installer.linux import build_deb, package_files
from tests.support.installer import assert_self_test_passed, require, require_tool, self_test_environment

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]  # the bundle may be built first: minutes
INSTALLED = Path(package_files.INSTALL_DIR)


@pytest.fixture(scope="module")
def deb(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tool("dpkg-deb", "dpkg")
    out = tmp_path_factory.mktemp("deb")
    return build_deb.build(bundle, out, out / "work")


@pytest.fixture(scope="module")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("unpacked")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def test_the_package_says_what_it_is(deb: Path) -> None:
    fields = subprocess.run(["dpkg-deb", "--field", str(deb), "Package", "Version", "Depends"],
                            capture_output=True, text=True, check=True).stdout
    assert "Package: fulfilstation" in fields and f"Version: {build_deb.version()}" in fields
    assert "libxcb-cursor0" in fields


def test_the_desktop_entry_is_valid(unpacked: Path) -> None:
    validate = require_tool("desktop-file-validate", "desktop-file-utils")
    entry = unpacked / "usr/share/applications/fulfilstation.desktop"
    done = subprocess.run([validate, str(entry)], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")
    assert (unpacked / "usr/share/icons/hicolor/scalable/apps/fulfilstation.svg").is_file()


def test_the_udev_rules_are_installed_and_the_plugdev_variant_documented(unpacked: Path) -> None:
    rules = (unpacked / "usr/lib/udev/rules.d" / package_files.RULES_FILE).read_text()
    assert 'ATTRS{idVendor}=="0922", TAG+="uaccess"' in rules
    variant = unpacked / package_files.DOC_DIR.lstrip("/") / package_files.PLUGDEV_RULES_FILE
    assert 'ATTRS{idVendor}=="0922", GROUP="plugdev", MODE="0660"' in variant.read_text()


@pytest.fixture
def installed(deb: Path) -> Iterator[Path]:
    root = os.geteuid() == 0
    require(root, "installing a .deb needs root (run the test as root, as CI does)")
    require_tool("dpkg", "dpkg")
    done = subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True, check=False)
    try:
        assert done.returncode == 0, f"dpkg -i failed:\n{done.stdout}{done.stderr}"
        yield INSTALLED
    finally:  # purged, so this machine's dpkg keeps no record of it (dpkg -r leaves "config-files")
        subprocess.run(["dpkg", "--purge", package_files.PACKAGE], capture_output=True, text=True, check=False)


def test_install_run_and_remove(installed: Path, tmp_path: Path) -> None:
    assert (installed / "fulfilstation").is_file()
    assert Path("/usr/lib/udev/rules.d", package_files.RULES_FILE).is_file()
    done = subprocess.run([str(installed / "fulfilstation"), "--self-test"], env=self_test_environment(tmp_path),
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"(frozen bundle in {installed / '_internal'})" in done.stdout
    assert_self_test_passed(done.stdout)
    version = subprocess.run(["/usr/bin/fulfilstation", "--version"], capture_output=True, text=True, check=False)
    assert version.stdout.strip() == f"FulfilStation {build_deb.version()}"

    removed = subprocess.run(["dpkg", "-r", package_files.PACKAGE], capture_output=True, text=True, check=False)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not installed.exists()
    assert not Path("/usr/bin/fulfilstation").exists()
    assert not Path("/usr/lib/udev/rules.d", package_files.RULES_FILE).exists()
