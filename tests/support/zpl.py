"""Render ZPL with an independent renderer (npm ``zpl-renderer-js``, run by Node) and read
the barcodes back with zxing-cpp.

The renderer is installed by ``make test`` (``npm ci`` in ``tests/support/zpl_renderer``).
Without Node it is unavailable: in CI that fails the test, elsewhere it skips.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

RENDERER_DIR = Path(__file__).parent / "zpl_renderer"
SCRIPT = RENDERER_DIR / "render.cjs"


def renderer_available() -> bool:
    return shutil.which("node") is not None and (RENDERER_DIR / "node_modules" / "zpl-renderer-js").is_dir()


def require_renderer() -> None:
    if renderer_available():
        return
    message = "the ZPL renderer is not installed (run 'make test', which runs npm ci in tests/support/zpl_renderer)"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def render_zpl(zpl: bytes, out_prefix: Path, *, dpi: int = 203, width_in: float = 4,
               height_in: float = 6) -> list[Path]:
    require_renderer()
    dpmm = {203: 8, 300: 12, 600: 24}[dpi]
    result = subprocess.run(
        ["node", str(SCRIPT), str(out_prefix), str(width_in * 25.4), str(height_in * 25.4), str(dpmm)],
        input=zpl, capture_output=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return [Path(line) for line in result.stdout.decode().split()]


@dataclass(frozen=True)
class Decoded:
    format: str  # zxing-cpp's name, e.g. "Code128"
    text: str  # the data as encoded: GS1 element strings with \x1d where FNC1 separates them
    symbology: str  # AIM identifier: "]C1" for GS1-128, "]C0" for plain Code 128


def decode_barcodes(png: Path) -> list[Decoded]:
    """Every barcode zxing-cpp finds in the image."""
    image = Image.open(png).convert("L")
    return [Decoded(str(r.format).replace(" ", ""), r.text, r.symbology_identifier)
            for r in zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)]
