"""Draw ``fulfilstation.ico`` (the installer's and the shortcuts' icon) from code.

A parcel with a barcode on a blue tile, at every size Windows asks for (16 to 256 px), so
the icon is reproducible and needs no drawing program. Run it again after changing it:

    python installer/windows/make_icon.py

Needs Pillow (in the ``test`` extra). The PyInstaller spec can give the same file to
``EXE(icon=...)`` so the program, its shortcuts and its uninstaller share one icon.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZES = (16, 24, 32, 48, 64, 128, 256)
BLUE, WHITE, BROWN, DARK = (21, 101, 192, 255), (255, 255, 255, 255), (214, 167, 104, 255), (40, 40, 40, 255)
OUT = Path(__file__).with_name("fulfilstation.ico")


def draw(size: int = 256) -> Image.Image:
    """The icon at ``size`` pixels, drawn at 256 and scaled down (one drawing, every size)."""
    image = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((8, 8, 248, 248), radius=44, fill=BLUE)
    pen.polygon([(48, 96), (128, 60), (208, 96), (128, 132)], fill=(233, 196, 140, 255))  # lid
    pen.polygon([(48, 96), (128, 132), (128, 216), (48, 180)], fill=BROWN)  # left side
    pen.polygon([(128, 132), (208, 96), (208, 180), (128, 216)], fill=(190, 140, 80, 255))  # right side
    pen.rectangle((62, 126, 114, 170), fill=WHITE)  # the label, with a barcode on it
    for x, width in ((67, 3), (73, 2), (78, 4), (85, 2), (90, 3), (96, 2), (101, 4), (108, 2)):
        pen.rectangle((x, 132, x + width - 1, 164), fill=DARK)
    return image if size == 256 else image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    draw().save(OUT, format="ICO", sizes=[(size, size) for size in SIZES])
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
