"""The text files of FulfilStation's Debian package: control, maintainer scripts, the launcher,
the desktop entry and the udev rules.

Invariants: the known USB devices are listed once (``SCALES``, ``SCANNERS``) and both udev
variants are made from that list — the installed one grants the person at the seat (systemd's
``uaccess`` tag), the ``plugdev`` one (shipped as documentation, not active) grants a group,
for a PC that packs with nobody logged in. Each rule matches both the ``hidraw`` node and the
USB device node, because hidapi reads a device through either (its Linux wheel uses libusb).
Serial ports are granted by no rule: the ``dialout`` group is the distribution's, and the
package never adds anyone to it (``SERIAL_NOTE`` says how).
"""

from __future__ import annotations

from dataclasses import dataclass

PACKAGE = "fulfilstation"
INSTALL_DIR = "/opt/fulfilstation"
RULES_FILE = "70-fulfilstation.rules"  # before 73-seat-late.rules, which turns uaccess into an ACL
PLUGDEV_RULES_FILE = "70-fulfilstation-plugdev.rules"
DOC_DIR = f"/usr/share/doc/{PACKAGE}"

#: Libraries the bundle loads from the system (PyInstaller leaves out libc and the GL stack)
#: and the X11/Wayland pieces Qt's platform plugins link; what apt installs with the package.
DEPENDS = ("libc6 (>= 2.31)", "libegl1", "libgl1", "libfontconfig1", "libdbus-1-3", "libxkbcommon0",
           "libxkbcommon-x11-0", "libxcb1", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1",
           "libwayland-client0", "libwayland-cursor0")
#: Fonts for the documents (DejaVu; Droid Sans Fallback for Chinese, Japanese and Korean names) and
#: PulseAudio's client library, without which the station plays no sounds.
RECOMMENDS = ("fonts-dejavu-core", "fonts-droid-fallback", "libpulse0")


@dataclass(frozen=True)
class UsbVendor:
    vendor_id: str  # four lower-case hex digits, as udev writes ATTRS{idVendor}
    name: str


#: HID scales (usage page 0x8D), by USB vendor (shared/specs/devices.md: known VID:PID).
SCALES = (
    UsbVendor("0922", "DYMO (M10, M25, S100, S180)"),
    UsbVendor("0eb8", "Mettler Toledo (PS60 in HID mode)"),
    UsbVendor("1446", "Stamps.com"),
    UsbVendor("2474", "Stamps.com (later models)"),
    UsbVendor("7b7c", "USPS / Elane (PS311)"),
    UsbVendor("0b67", "Fairbanks"),
    UsbVendor("0d8f", "Pitney Bowes"),
)
#: HID POS scanners (usage page 0x8C). udev cannot see a usage page, and a scanner's product id
#: changes with its mode, so the whole vendor is matched.
SCANNERS = (
    UsbVendor("0c2e", "Honeywell (Metrologic, Hand Held Products)"),
    UsbVendor("05e0", "Zebra / Symbol"),
    UsbVendor("05f9", "Datalogic"),
)

SERIAL_NOTE = """\
Serial scales and scanners (/dev/ttyUSB*, /dev/ttyACM*, /dev/ttyS*) belong to the group
dialout. The package adds nobody to it. To let a person use a serial device, run once:
    sudo usermod -aG dialout USERNAME
then log out and in again (the group is read at log-in)."""


def control(version: str, architecture: str, installed_kib: int) -> str:
    return (f"Package: {PACKAGE}\n"
            f"Version: {version}\n"
            f"Architecture: {architecture}\n"
            "Maintainer: FulfilStation developers <fulfilstation@localhost>\n"
            f"Installed-Size: {installed_kib}\n"
            f"Depends: {', '.join(DEPENDS)}\n"
            f"Recommends: {', '.join(RECOMMENDS)}\n"
            "Section: misc\n"
            "Priority: optional\n"
            "Description: in-house fulfilment for small warehouses\n"
            " FulfilStation runs a warehouse's packing stations: scan, weigh, print the\n"
            " carrier label and packing slip, close the day's manifests. It also keeps\n"
            " stock, receiving, picking, returns and cycle counts, on one PC (SQLite) or\n"
            " a whole site (PostgreSQL).\n"
            " .\n"
            f" Installed in {INSTALL_DIR}; udev rules give the person at the seat\n"
            " access to known USB HID scales and HID POS scanners.\n")


def udev_rules(mode: str) -> str:
    """The rules for ``mode`` ``uaccess`` (installed) or ``plugdev`` (the unattended variant)."""
    if mode == "uaccess":
        grant, heading = 'TAG+="uaccess"', (
            "# Installed by the fulfilstation package: the person logged in at this PC's seat may read\n"
            "# the USB scales and HID POS scanners below (systemd-logind's uaccess tag). For a PC that\n"
            f"# packs with nobody logged in, use {DOC_DIR}/{PLUGDEV_RULES_FILE} instead.\n")
    elif mode == "plugdev":
        grant, heading = 'GROUP="plugdev", MODE="0660"', (
            "# FulfilStation's rules for an unattended PC (a station started with nobody logged in at\n"
            "# its seat): members of the group plugdev may read the devices below. Not active as\n"
            "# shipped. To use it:\n"
            f"#   sudo cp {DOC_DIR}/{PLUGDEV_RULES_FILE} /etc/udev/rules.d/\n"
            "#   sudo usermod -aG plugdev USERNAME      (the account the station runs as)\n"
            "#   sudo udevadm control --reload-rules && sudo udevadm trigger\n"
            "# then unplug and plug in the device, and log the account in again.\n")
    else:
        raise ValueError(f"unknown udev rules mode {mode!r}: uaccess or plugdev")
    lines = [heading, "#", *(f"# {line}" for line in SERIAL_NOTE.splitlines()), ""]
    for title, vendors in (("USB HID scales (usage page 0x8D)", SCALES),
                           ("HID POS scanners (usage page 0x8C)", SCANNERS)):
        lines.append(f"# {title}")
        for vendor in vendors:
            lines.append(f"# {vendor.name}")
            lines.append(f'SUBSYSTEM=="hidraw", ATTRS{{idVendor}}=="{vendor.vendor_id}", {grant}')
            lines.append(f'SUBSYSTEM=="usb", ENV{{DEVTYPE}}=="usb_device", ATTRS{{idVendor}}=="{vendor.vendor_id}", '
                         f"{grant}")
        lines.append("")
    return "\n".join(lines)


DESKTOP_ENTRY = """\
[Desktop Entry]
Type=Application
Version=1.0
Name=FulfilStation
GenericName=Packing Station
Comment=Pack, label and ship a small warehouse's orders
Exec=fulfilstation
Icon=fulfilstation
Terminal=false
Categories=Office;
Keywords=warehouse;shipping;packing;labels;stock;
StartupNotify=true
"""

LAUNCHER = f"""\
#!/bin/sh
# FulfilStation's command: the window without arguments, 'fulfilstation --help' for the rest.
exec {INSTALL_DIR}/fulfilstation "$@"
"""

_RELOAD_UDEV = """\
reload_udev() {
    # A container or chroot has no running udev: the rules take effect at the next boot.
    if command -v udevadm >/dev/null 2>&1 && [ -S /run/udev/control ]; then
        udevadm control --reload-rules && udevadm trigger --subsystem-match=hidraw --subsystem-match=usb || \\
            echo "fulfilstation: udev did not reload its rules; unplug and plug in the scale and scanner." >&2
    else
        echo "fulfilstation: udev is not running here; its rules apply from the next start." >&2
    fi
}
refresh_menus() {
    if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q || true; fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
    fi
}
"""

POSTINST = f"""\
#!/bin/sh
set -e
{_RELOAD_UDEV}
if [ "$1" = configure ]; then
    reload_udev
    refresh_menus
    echo "fulfilstation: serial scales and scanners need the group dialout: sudo usermod -aG dialout USERNAME"
fi
exit 0
"""

POSTRM = f"""\
#!/bin/sh
set -e
{_RELOAD_UDEV}
case "$1" in
    remove|purge)
        reload_udev
        refresh_menus
        # Only the program goes: each person's settings and data (~/.config/FulfilStation,
        # ~/.local/share/FulfilStation) are theirs and stay.
        rmdir --ignore-fail-on-non-empty {INSTALL_DIR} 2>/dev/null || true
        ;;
esac
exit 0
"""

README_DEBIAN = f"""\
FulfilStation on Debian and Ubuntu
==================================

The program is in {INSTALL_DIR}; the command fulfilstation starts the window, and
'fulfilstation --self-test' checks the installation (it prints one line per check).

USB scales and HID POS scanners: /usr/lib/udev/rules.d/{RULES_FILE} gives the person logged
in at the seat access to them. For a PC that runs with nobody logged in, see
{PLUGDEV_RULES_FILE} in this folder.

{SERIAL_NOTE}
"""
