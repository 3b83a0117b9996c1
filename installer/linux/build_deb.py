"""Build dist/fulfilstation_VERSION_ARCH.deb from the PyInstaller bundle in dist/fulfilstation.

    python installer/linux/build_deb.py [--bundle dist/fulfilstation] [--out dist]

(``make deb`` builds the bundle first, then runs this.) The package holds the bundle in
/opt/fulfilstation, a /usr/bin/fulfilstation launcher, the desktop entry, the icon, the udev
rules (the plugdev variant and the notes in /usr/share/doc/fulfilstation) and the maintainer
scripts; the texts are in package_files.py. Needs dpkg-deb. Prints the package's path and size.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if __package__ in (None, ""):  # run as a script: the repository's root is where installer/ is found
    sys.path.insert(0, str(ROOT))

from installer.linux import package_files as files  # noqa: E402

ICON = ROOT / "resources" / "icons" / "fulfilstation.svg"


class BuildError(Exception):
    """What stopped the build, in words, with what to do."""


def version() -> str:
    """The version fulfilstation/__init__.py states (read, not imported: no dependencies needed)."""
    text = (ROOT / "fulfilstation" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if found is None:
        raise BuildError("fulfilstation/__init__.py states no __version__ = \"X.Y.Z\"")
    return found.group(1)


def architecture() -> str:
    return _run(["dpkg", "--print-architecture"]).strip()


def stage(bundle: Path, root: Path) -> None:
    """Lay the package's files out under ``root`` as they will be installed."""
    if not (bundle / "fulfilstation").is_file():
        raise BuildError(f"no bundle at {bundle}: build it first with 'make bundle'")
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(bundle, root / files.INSTALL_DIR.lstrip("/"), symlinks=True)
    _write(root / "usr/bin/fulfilstation", files.LAUNCHER, 0o755)
    _write(root / "usr/share/applications/fulfilstation.desktop", files.DESKTOP_ENTRY)
    icon = root / "usr/share/icons/hicolor/scalable/apps/fulfilstation.svg"
    icon.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ICON, icon)
    _write(root / "usr/lib/udev/rules.d" / files.RULES_FILE, files.udev_rules("uaccess"))
    doc = root / files.DOC_DIR.lstrip("/")
    _write(doc / files.PLUGDEV_RULES_FILE, files.udev_rules("plugdev"))
    _write(doc / "README.Debian", files.README_DEBIAN)
    _write(root / "DEBIAN/postinst", files.POSTINST, 0o755)
    _write(root / "DEBIAN/postrm", files.POSTRM, 0o755)
    installed_kib = sum(p.lstat().st_size for p in root.rglob("*") if not p.is_dir()) // 1024 + 1
    _write(root / "DEBIAN/control", files.control(version(), architecture(), installed_kib))


def build(bundle: Path, out: Path, work: Path) -> Path:
    root = work / "root"
    stage(bundle, root)
    out.mkdir(parents=True, exist_ok=True)
    package = out / f"{files.PACKAGE}_{version()}_{architecture()}.deb"
    package.unlink(missing_ok=True)
    # gzip: every dpkg can unpack it (zstd needs dpkg >= 1.21.18); level 6 is dpkg's own default
    _run(["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", str(root), str(package)])
    shutil.rmtree(root)
    return package


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def _run(command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        raise BuildError(f"{command[0]} is not installed: this builds Debian packages on Debian or Ubuntu "
                         "(sudo apt-get install dpkg-dev)")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BuildError(f"{' '.join(command)} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build FulfilStation's .deb from its PyInstaller bundle.")
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "fulfilstation")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "deb")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        package = build(args.bundle, args.out, args.work)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    size = package.stat().st_size / 2**20
    print(f"{package} ({size:.0f} MiB, built in {time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
