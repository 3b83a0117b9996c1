"""The installer tests' bundle: dist/fulfilstation, built once for every pytest worker (a lock
and a fingerprint in installer/build_bundle.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from installer import build_bundle
from tests.support.installer import require, require_tool


@pytest.fixture(scope="session")
def bundle() -> Path:
    """dist/fulfilstation, built now unless it was built from these very sources."""
    require_tool("objdump", "binutils")
    require(build_bundle.pyinstaller_installed(), "PyInstaller is not installed (pip install -e '.[bundle]')")
    try:
        folder, _built = build_bundle.ensure_bundle()
    except build_bundle.BundleError as exc:
        pytest.fail(str(exc), pytrace=False)
    return folder
