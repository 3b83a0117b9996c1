"""Read PDFs back the way a person and a scanner would: poppler rasterises and extracts
text, zxing-cpp decodes the barcodes (the independent decoder ARCHITECTURE.md asks for).

poppler-utils (``pdftoppm``, ``pdftotext``) is installed by ``.ci/run``. Without it the test
fails in CI and skips elsewhere.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.zpl import Decoded, decode_barcodes

_runs = itertools.count(1)


def require_poppler() -> None:
    if shutil.which("pdftoppm") and shutil.which("pdftotext"):
        return
    message = "poppler-utils (pdftoppm, pdftotext) is not installed: apt-get install poppler-utils"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _write(pdf_bytes: bytes, tmp_path: Path) -> Path:
    assert pdf_bytes.startswith(b"%PDF-"), "not a PDF"
    folder = tmp_path / f"pdf-{next(_runs)}"
    folder.mkdir(parents=True)
    path = folder / "document.pdf"
    path.write_bytes(pdf_bytes)
    return path


def pdf_pages_to_png(pdf_bytes: bytes, tmp_path: Path, dpi: int = 200) -> list[Path]:
    """Every page as a PNG (``pdftoppm -r dpi -png``), in page order."""
    require_poppler()
    path = _write(pdf_bytes, tmp_path)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(path.parent / "page")],
                   check=True, capture_output=True, timeout=120)
    pages = sorted(path.parent.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    assert pages, "pdftoppm produced no page"
    return pages


def pdf_page_texts(pdf_bytes: bytes, tmp_path: Path) -> list[str]:
    """The text of each page as laid out (``pdftotext -layout``)."""
    require_poppler()
    path = _write(pdf_bytes, tmp_path)
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                            check=True, capture_output=True, timeout=120)
    pages = result.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_text(pdf_bytes: bytes, tmp_path: Path) -> str:
    """The whole document's text, pages separated by form feeds."""
    return "\f".join(pdf_page_texts(pdf_bytes, tmp_path))


def pdf_barcodes(pdf_bytes: bytes, tmp_path: Path, dpi: int = 200) -> list[list[Decoded]]:
    """The barcodes zxing-cpp finds on each page, page by page."""
    return [decode_barcodes(page) for page in pdf_pages_to_png(pdf_bytes, tmp_path, dpi)]
