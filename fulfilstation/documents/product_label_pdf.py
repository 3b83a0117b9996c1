"""Product labels as a PDF: a page per label at the label's own size (what a label
printer's driver takes), or 2 × 1 in labels in a grid on A4 / Letter paper (``sheet``).

Pure: the descriptions come from ``documents.labels.product_label``; ``copies`` repeats
each label. Deterministic bytes (reportlab's invariant mode).
"""

from __future__ import annotations

from collections.abc import Sequence

from fulfilstation.documents.bin_label_sheet import label_sheet_pdf
from fulfilstation.documents.labels.description import LabelDescription
from fulfilstation.documents.labels.pdf import render_pdf

SHEETS = ("label", "a4", "letter")


def product_label_pdf(labels: Sequence[LabelDescription], copies: int = 1, sheet: str = "label") -> bytes:
    """``copies`` of each label, in order; ``sheet``: ``label`` (a page per label) or ``a4``/``letter``."""
    if copies < 1:
        raise ValueError(f"copies must be at least 1, not {copies}")
    pages = [label for label in labels for _copy in range(copies)]
    title = f"Product labels {', '.join(dict.fromkeys(label.name.removeprefix('product-') for label in labels))}"
    if sheet == "label":
        return render_pdf(pages, sheet="label", title=title)
    if sheet not in SHEETS:
        raise ValueError(f"sheet must be one of {', '.join(SHEETS)}, not {sheet!r}")
    return label_sheet_pdf(pages, sheet, title=title)
