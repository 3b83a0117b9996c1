"""Fonts for the PDF documents: a Unicode TrueType family plus fallbacks for other scripts.

reportlab's built-in fonts (Helvetica …) only know Latin-1, so a slip for "Zoë Łukasiewicz"
or "佐藤 花子" needs TrueType fonts that are embedded (subset) in the PDF. We ship none
(the good ones are megabytes); :func:`document_fonts` finds them on the PC instead:

* the text font (regular and bold): a ``resources/fonts`` drop-in, DejaVu Sans (Linux; pulled
  in by fontconfig), Liberation Sans, Noto Sans, Arial (Windows, macOS); last resort
  reportlab's own Bitstream Vera, which always exists but covers Latin-1 only;
* fallback fonts for what the text font lacks, mostly Chinese, Japanese and Korean: Droid Sans
  Fallback (Debian/Ubuntu ``fonts-droid-fallback``), WenQuanYi, Microsoft YaHei / MS Gothic /
  Malgun Gothic (Windows), Arial Unicode (macOS). Noto CJK ``.ttc`` files have PostScript
  outlines, which reportlab cannot embed, so they are not used.

Invariants: text is NFC-normalised, then split into runs that each use one font covering
every character of the run. A character no font covers is replaced by its accent-less base
letter when that is covered, else by ``?`` — never drawn as an invisible or missing glyph.
:func:`document_fonts` registers the fonts once per process (thread-safe). The warning that
no font covers a character (with what to install) is logged once per process, when such a
character is first drawn — not for documents whose text every font covers (a pick list).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources as package_resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

_MAC_DIRS = (Path("/System/Library/Fonts/Supplemental"), Path("/System/Library/Fonts"), Path("/Library/Fonts"))
_LINUX_DIRS = tuple(Path(p) for p in (
    "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/dejavu-sans-fonts",
    "/usr/share/fonts/truetype/liberation", "/usr/share/fonts/liberation-sans", "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/noto", "/usr/share/fonts/truetype/droid", "/usr/share/fonts/google-droid-sans-fonts",
    "/usr/share/fonts/truetype/wqy", "/usr/share/fonts/wqy-microhei", "/usr/share/fonts/TTF",
    "/usr/local/share/fonts"))

#: (regular, bold) file names of text fonts, best first.
TEXT_FONTS = (("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"), ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
              ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"), ("arial.ttf", "arialbd.ttf"),
              ("Arial.ttf", "Arial Bold.ttf"))
#: Wide-coverage fonts (CJK) tried for characters the text font lacks.
FALLBACK_FONTS = ("DroidSansFallbackFull.ttf", "DroidSansFallback.ttf", "wqy-microhei.ttc", "msyh.ttc",
                  "msgothic.ttc", "malgun.ttf", "Arial Unicode.ttf")
_LATIN1 = frozenset([*range(0x20, 0x7F), *range(0xA0, 0x100)])


@dataclass(frozen=True)
class FontSet:
    """Registered font names and the code points each covers."""

    regular: str
    bold: str
    fallbacks: tuple[str, ...] = ()
    coverage: dict[str, frozenset[int]] = field(default_factory=dict, compare=False, repr=False)

    def covers(self, font: str, char: str) -> bool:
        return ord(char) in self.coverage.get(font, _LATIN1)

    def runs(self, text: str, *, bold: bool = False) -> list[tuple[str, str]]:
        """``(font name, text)`` runs to draw ``text`` with (one line: newlines become spaces)."""
        base = self.bold if bold else self.regular
        order = (base, *self.fallbacks)
        runs: list[tuple[str, str]] = []
        for char in unicodedata.normalize("NFC", text.replace("\r", "").replace("\n", " ").replace("\t", " ")):
            if runs and char == " " and self.covers(runs[-1][0], char):  # "佐藤 花子" stays one run
                runs[-1] = (runs[-1][0], runs[-1][1] + char)
                continue
            font = next((f for f in order if self.covers(f, char)), None)
            if font is None:
                char = _substitute(self, base, char)
                font = base
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + char)
            else:
                runs.append((font, char))
        return runs

    def markup(self, text: str, *, bold: bool = False) -> str:
        """Paragraph markup for ``text``: escaped, with ``<font face>`` around fallback runs."""
        base = self.bold if bold else self.regular
        return "".join(escape(chunk) if font == base else f'<font face="{font}">{escape(chunk)}</font>'
                       for font, chunk in self.runs(text, bold=bold))

    def width(self, text: str, size: float, *, bold: bool = False) -> float:
        return float(sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in self.runs(text, bold=bold)))

    def fit(self, text: str, width: float, size: float, *, bold: bool = False) -> str:
        """``text``, cut with an ellipsis so that it is at most ``width`` points wide."""
        if self.width(text, size, bold=bold) <= width:
            return text
        while text and self.width(text + "…", size, bold=bold) > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def draw(self, canvas: Any, x: float, y: float, text: str, size: float, *, bold: bool = False,
             anchor: str = "left") -> None:
        """Draw one line at baseline ``y``; ``anchor`` is ``left``, ``right`` or ``centre``."""
        if anchor != "left":
            total = self.width(text, size, bold=bold)
            x -= total if anchor == "right" else total / 2
        for font, chunk in self.runs(text, bold=bold):
            canvas.setFont(font, size)
            canvas.drawString(x, y, chunk)
            x += pdfmetrics.stringWidth(chunk, font, size)


def _substitute(fonts: FontSet, font: str, char: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if stripped and all(fonts.covers(font, c) for c in stripped):
        return stripped
    _warn_uncovered(char)
    return "?"


_warned = threading.Event()


def _warn_uncovered(char: str) -> None:
    """Log once per process that a character (mostly Chinese, Japanese or Korean) prints as '?'."""
    if _warned.is_set():
        return
    _warned.set()
    log.warning("No font for %r (Chinese, Japanese or Korean text) was found: such names print as '?' on "
                "documents. Install fonts-droid-fallback (Linux) or put a TrueType font in resources/fonts.", char)


def font_dirs() -> list[Path]:
    """Where fonts are looked for, in order: ``resources/fonts``, then the system's folders."""
    dirs: list[Path] = []
    bundled = package_resources.files("resources") / "fonts"
    if isinstance(bundled, Path):
        dirs.append(bundled)
    if os.name == "nt":
        return [*dirs, Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts",
                Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"]
    if sys.platform == "darwin":
        return [*dirs, *_MAC_DIRS, Path.home() / "Library" / "Fonts"]
    return [*dirs, *_LINUX_DIRS, Path.home() / ".local" / "share" / "fonts", Path.home() / ".fonts"]


def _register(name: str, path: Path) -> frozenset[int] | None:
    try:
        font = TTFont(name, str(path), subfontIndex=0) if path.suffix.lower() == ".ttc" else TTFont(name, str(path))
    except Exception as exc:  # unreadable file or PostScript outlines: try the next candidate
        log.info("cannot use font %s: %s", path, exc)
        return None
    pdfmetrics.registerFont(font)
    return frozenset(font.face.charToGlyph)


def load_fonts(dirs: Sequence[Path], text_fonts: Iterable[tuple[str, str]] = TEXT_FONTS,
               fallback_fonts: Iterable[str] = FALLBACK_FONTS, max_fallbacks: int = 3) -> FontSet:
    """Register the first usable text family and up to ``max_fallbacks`` fallbacks found in ``dirs``."""
    coverage: dict[str, frozenset[int]] = {}
    regular = bold = ""
    vera = Path(reportlab.__file__).parent / "fonts"
    pairs = [(d / r, d / b) for r, b in text_fonts for d in dirs] + [(vera / "Vera.ttf", vera / "VeraBd.ttf")]
    for regular_path, bold_path in pairs:
        if not regular_path.is_file():
            continue
        name = f"FS-{regular_path.stem}"
        regular_cover = _register(name, regular_path)
        if regular_cover is None:
            continue
        bold_cover = _register(f"{name}-Bold", bold_path) if bold_path.is_file() else None
        regular, bold = name, (f"{name}-Bold" if bold_cover is not None else name)
        coverage[regular], coverage[bold] = regular_cover, bold_cover or regular_cover
        break
    if not regular:  # not even reportlab's Vera: Latin-1 Helvetica
        regular, bold = "Helvetica", "Helvetica-Bold"
    fallbacks: list[str] = []
    for path in (d / n for n in fallback_fonts for d in dirs):
        if len(fallbacks) >= max_fallbacks or not path.is_file():
            continue
        name = f"FS-{path.stem.replace(' ', '')}"
        if name in coverage or (cover := _register(name, path)) is None:
            continue
        coverage[name] = cover
        fallbacks.append(name)
    return FontSet(regular, bold, tuple(fallbacks), coverage)


_lock = threading.Lock()
_fonts: FontSet | None = None


def document_fonts() -> FontSet:
    """The fonts of this PC, found and registered on first use (then cached)."""
    global _fonts
    with _lock:
        if _fonts is None:
            _fonts = load_fonts(font_dirs())
        return _fonts
