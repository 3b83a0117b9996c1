"""Build the one-folder bundle dist/fulfilstation with installer/fulfilstation.spec, unless the
one there was built from exactly these sources with exactly this Python environment.

    python installer/build_bundle.py [--force]      (what `make bundle` runs)

Invariants: the fingerprint (dist/fulfilstation.fingerprint) covers every file the spec takes
in (the application's packages, migrations, resources, main.py, the spec and this script),
the Python version and every installed distribution's version; it is written only after a
build succeeded, so a failed or interrupted build is never taken for a good one. Builds are
serialised by a lock file, so two processes asking at once (the installer tests on two pytest
workers) build once and share it. Prints the bundle's size and the time taken.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "installer" / "fulfilstation.spec"
DIST = ROOT / "dist"
BUNDLE = DIST / "fulfilstation"
EXECUTABLE = BUNDLE / ("fulfilstation.exe" if os.name == "nt" else "fulfilstation")
FINGERPRINT = DIST / "fulfilstation.fingerprint"
WORK = ROOT / "build" / "pyinstaller"
SOURCES = ("fulfilstation", "ui", "drivers", "migrations", "resources", "main.py", "installer/fulfilstation.spec",
           "installer/build_bundle.py")


class BundleError(Exception):
    """Why the bundle could not be built, and what to do."""


def fingerprint() -> str:
    digest = hashlib.sha256(sys.version.encode())
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()):
        digest.update(dist.encode())
    for source in SOURCES:
        path = ROOT / source
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file() and "__pycache__" not in file.parts and file.suffix != ".pyc":
                digest.update(file.relative_to(ROOT).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def pyinstaller_installed() -> bool:
    return importlib.util.find_spec("PyInstaller") is not None


def up_to_date(wanted: str) -> bool:
    return EXECUTABLE.is_file() and FINGERPRINT.is_file() and FINGERPRINT.read_text().strip() == wanted


@contextmanager
def build_lock() -> Iterator[None]:
    WORK.parent.mkdir(parents=True, exist_ok=True)
    with open(WORK.parent / "bundle.lock", "w") as lock:
        if sys.platform != "win32":  # Windows builds run one at a time by hand
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also when this process dies
        yield


def ensure_bundle(force: bool = False) -> tuple[Path, bool]:
    """The bundle's folder, built when needed; True when it was built now."""
    if shutil.which("objdump") is None and sys.platform.startswith("linux"):
        raise BundleError("objdump is not installed; PyInstaller needs it on Linux to find the libraries to "
                          "bundle: sudo apt-get install binutils")
    if not pyinstaller_installed():
        raise BundleError("PyInstaller is not installed in this Python: pip install -e '.[bundle]' "
                          "(make bundle does it)")
    with build_lock():
        wanted = fingerprint()
        if not force and up_to_date(wanted):
            return BUNDLE, False
        FINGERPRINT.unlink(missing_ok=True)
        done = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                               "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)], cwd=ROOT,
                              capture_output=True, text=True, check=False)
        if done.returncode != 0 or not EXECUTABLE.is_file():
            tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
            raise BundleError(f"PyInstaller failed (exit {done.returncode}):\n{tail}")
        FINGERPRINT.write_text(wanted + "\n")
        return BUNDLE, True


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_dir())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build FulfilStation's one-folder PyInstaller bundle.")
    parser.add_argument("--force", action="store_true", help="build even when dist/fulfilstation is up to date")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        bundle, built = ensure_bundle(args.force)
    except BundleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    how = f"built in {time.monotonic() - started:.0f} s" if built else "up to date, not rebuilt"
    print(f"{bundle} ({folder_size(bundle) / 2**20:.0f} MiB, {how}); check it: {EXECUTABLE} --self-test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
