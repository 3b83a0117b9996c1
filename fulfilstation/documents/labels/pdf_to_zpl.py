"""A carrier's PDF label for a ZPL printer: the page as a ``^GFA`` graphic field.

Carriers that offer no ZPL (or not at the printer's resolution) send a PDF. The page is
rasterised with pdfium (``pypdfium2``: wheels for Windows, macOS and Linux, no poppler) at
exactly the printer's dpi, so one PDF point is ``dpi / 72`` dots and a bar keeps its width
in dots; each pixel becomes black below the threshold (no dithering: a barcode's bars stay
solid), and the rows are sent as hex in one ``^GFA`` field at ``^FO0,0``.

Invariants: pure (bytes in, bytes out), no I/O, thread-safe. A page wider than the label
(``max_width_in``) is refused rather than cut; every page of the PDF becomes its own label
(``^XA … ^XZ``), in page order.
"""

from __future__ import annotations

import pypdfium2 as pdfium
from PIL import Image

POINTS_PER_INCH = 72
DEFAULT_THRESHOLD = 160  # 0–255: a pixel darker than this prints


class PdfLabelProblem(ValueError):
    """The PDF cannot be printed as a label; the message says why in words."""


def pdf_to_zpl(pdf: bytes, dpi: int = 203, *, threshold: int = DEFAULT_THRESHOLD,
               max_width_in: float = 4.25) -> bytes:
    """Every page of ``pdf`` as one ZPL label at ``dpi`` (``^XA^FO0,0^GFA…^FS^XZ`` each)."""
    if dpi <= 0:
        raise PdfLabelProblem(f"a printer resolution of {dpi} dpi is not possible")
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise PdfLabelProblem(f"the carrier's label is not a readable PDF ({exc})") from None
    try:
        if len(document) == 0:
            raise PdfLabelProblem("the carrier's PDF label has no page")
        labels = []
        for index in range(len(document)):
            page = document[index]
            width_in = page.get_width() / POINTS_PER_INCH
            if width_in > max_width_in + 0.01:
                raise PdfLabelProblem(f"the carrier's label is {width_in:.1f} in wide; the label printer takes "
                                      f"{max_width_in:g} in: ask the carrier for a 4 x 6 in label")
            bitmap = page.render(scale=dpi / POINTS_PER_INCH, grayscale=True)
            labels.append(image_to_zpl(bitmap.to_pil(), threshold=threshold))
        return b"".join(labels)
    finally:
        document.close()


def image_to_zpl(image: Image.Image, *, threshold: int = DEFAULT_THRESHOLD) -> bytes:
    """One label printing ``image`` pixel for dot at the top left corner."""
    mono = image.convert("L").point(lambda v: 255 if v < threshold else 0, mode="1")  # 1 = black dot
    width, height = mono.size
    row_bytes = (width + 7) // 8
    data = mono.tobytes()  # mode "1": rows padded to whole bytes, most significant bit first
    total = row_bytes * height
    return (f"^XA^PW{width}^LL{height}^FO0,0^GFA,{total},{total},{row_bytes},".encode()
            + data.hex().upper().encode() + b"^FS^XZ\n")
