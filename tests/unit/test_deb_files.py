"""The Debian package's files (installer/linux/package_files.py), without building anything."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from installer.linux import package_files as files
from tests.support.installer import require_tool

VENDORS = ("0922", "0eb8", "1446", "0b67", "0c2e", "05e0", "05f9")  # the scales and scanners


@pytest.mark.parametrize(("mode", "grant"), [("uaccess", 'TAG+="uaccess"'),
                                              ("plugdev", 'GROUP="plugdev", MODE="0660"')])
def test_both_rule_variants_grant_every_known_scale_and_scanner(mode: str, grant: str) -> None:
    rules = [line for line in files.udev_rules(mode).splitlines() if line and not line.startswith("#")]
    for vendor in VENDORS:
        assert f'SUBSYSTEM=="hidraw", ATTRS{{idVendor}}=="{vendor}", {grant}' in rules
        assert f'SUBSYSTEM=="usb", ENV{{DEVTYPE}}=="usb_device", ATTRS{{idVendor}}=="{vendor}", {grant}' in rules
    assert len(rules) == 2 * (len(files.SCALES) + len(files.SCANNERS))
    assert all(line.endswith(grant) for line in rules)


def test_the_rules_say_how_serial_ports_are_granted() -> None:
    assert "sudo usermod -aG dialout USERNAME" in files.udev_rules("uaccess")
    commands = [line.strip() for line in files.POSTINST.splitlines()]
    assert not [line for line in commands if line.startswith(("usermod", "adduser", "gpasswd"))]  # adds nobody
    assert any(line.startswith("echo") and "usermod -aG dialout" in line for line in commands)  # says how


def test_an_unknown_variant_is_refused() -> None:
    with pytest.raises(ValueError, match="uaccess or plugdev"):
        files.udev_rules("wheel")


def test_the_uaccess_rules_sort_before_seat_late() -> None:
    assert files.RULES_FILE < "73-seat-late.rules"


def test_the_desktop_entry_validates(tmp_path: Path) -> None:
    validate = require_tool("desktop-file-validate", "desktop-file-utils")
    entry = tmp_path / "fulfilstation.desktop"
    entry.write_text(files.DESKTOP_ENTRY)
    done = subprocess.run([validate, str(entry)], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


@pytest.mark.parametrize("script", [files.POSTINST, files.POSTRM])
def test_the_maintainer_scripts_are_valid_shell(script: str, tmp_path: Path) -> None:
    shell = shutil.which("sh")
    assert shell is not None
    path = tmp_path / "script"
    path.write_text(script)
    assert subprocess.run([shell, "-n", str(path)], capture_output=True, text=True).returncode == 0


def test_postinst_skips_udev_where_it_is_not_running(tmp_path: Path) -> None:
    """A container: udevadm missing from PATH; the script still succeeds and says why."""
    path = tmp_path / "postinst"
    path.write_text(files.POSTINST)
    shell = shutil.which("sh")
    assert shell is not None
    done = subprocess.run([shell, str(path), "configure"], env={"PATH": str(tmp_path)}, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "udev is not running here" in done.stderr


def test_control_names_the_package_and_its_dependencies() -> None:
    control = files.control("1.2.3", "amd64", 460_000)
    assert control.startswith("Package: fulfilstation\nVersion: 1.2.3\nArchitecture: amd64\n")
    assert "Installed-Size: 460000\n" in control and "libxcb-cursor0" in control
    description = control.split("Description: ", 1)[1].splitlines()
    assert all(len(line) <= 80 for line in description) and len(description) > 2
