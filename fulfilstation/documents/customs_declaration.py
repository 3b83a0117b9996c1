"""Customs documents of an international shipment: the UPU CN22 or CN23 declaration and a
commercial invoice, as reportlab PDFs built from plain data.

Invariants:

* Pure and thread-safe: ``CustomsPaper`` in, PDF bytes out; no database, no devices, no Qt.
  The output is deterministic for the same paper (reportlab's ``invariant`` mode).
* The form is the caller's choice (``carriers.customs.customs_form``: CN22 up to the site's
  limit, CN23 above it); both carry every element of the UPU layout — the category of item
  (a box ticked), per line the detailed description, quantity, weight, value, HS tariff
  number and country of origin, the totals, the sender's certification, the date and the
  signer; the CN23 adds the sender, the addressee, the item's number (its tracking number,
  with a Code 128 when it can be encoded: every barcode decodes to exactly its data), the
  postal charges and the invoice number.
* The commercial invoice lists the same lines with unit and total values, the incoterm, the
  reason for export (the contents type), the shipping charged and the total.
* Money is printed with ``domain.money.format_money`` in the lines' currency; weights in kg
  with three decimals, as customs forms ask.
* Names in any script print with the fonts of :mod:`fulfilstation.documents.fonts`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from fulfilstation.carriers.gateway import Customs
from fulfilstation.documents.fonts import FontSet, document_fonts
from fulfilstation.documents.pdf_parts import code128, code128_can_encode, page_dimensions
from fulfilstation.domain.money import format_money

MARGIN = 14 * mm
GREY = colors.HexColor("#555555")
FORMS = ("CN22", "CN23")

#: The UPU categories of item, in the form's order, and the contents types they stand for.
CATEGORIES = (("gift", "Gift"), ("documents", "Documents"), ("sample", "Commercial sample"),
              ("return_merchandise", "Returned goods"), ("merchandise", "Sale of goods"), ("other", "Other"))
CERTIFICATION = ("I certify that the particulars given in this customs declaration are correct and that this item "
                 "does not contain any dangerous article or articles prohibited by legislation or by postal or "
                 "customs regulations.")


@dataclass(frozen=True)
class CustomsPaper:
    """What customs documents show. Address lines are ready to print, top to bottom."""

    order_number: str
    date: dt.date
    sender: tuple[str, ...]
    addressee: tuple[str, ...]
    customs: Customs
    tracking_numbers: tuple[str, ...] = ()
    currency: str = "USD"
    shipping_minor: int = 0  # what the customer paid for shipping (the invoice's freight; CN23's postal charges)
    gross_weight_g: int | None = None  # the parcels as weighed; None: the lines' weights
    addressee_phone: str | None = None
    addressee_email: str | None = None

    @property
    def total_value(self) -> int:
        return sum(line.value_minor for line in self.customs.lines)

    @property
    def net_weight_g(self) -> int:
        return sum(line.weight_g for line in self.customs.lines)


def kg(grams: int) -> str:
    return f"{grams / 1000:.3f} kg"


def build_customs_declaration(paper: CustomsPaper, form: str, *, page_size: str = "letter") -> bytes:
    """The CN22 or CN23 (``form``) as PDF bytes. Raises ValueError for another form."""
    if form not in FORMS:
        raise ValueError(f"A customs declaration is a CN22 or a CN23, not {form!r}.")
    story = _cn22(paper, _Writer(document_fonts())) if form == "CN22" else _cn23(paper, _Writer(document_fonts()))
    return _pdf(story, f"{form} {paper.order_number}", page_size)


def build_commercial_invoice(paper: CustomsPaper, *, page_size: str = "letter") -> bytes:
    """The commercial invoice as PDF bytes."""
    return _pdf(_invoice(paper, _Writer(document_fonts())), f"Commercial invoice {paper.order_number}", page_size)


def _pdf(story: list[Any], title: str, page_size: str) -> bytes:
    width, height = page_dimensions(page_size)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=(width, height), title=title, author="FulfilStation", invariant=1,
                            leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN)
    doc.build(story)
    return buffer.getvalue()


class _Writer:
    """Paragraphs and tables in the document fonts."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        body = ParagraphStyle("body", fontName=fonts.regular, fontSize=8.5, leading=10.5)
        self.styles = {
            "body": body,
            "title": ParagraphStyle("title", body, fontName=fonts.bold, fontSize=14, leading=17),
            "label": ParagraphStyle("label", body, fontName=fonts.bold, fontSize=7, leading=9, textColor=GREY),
            "head": ParagraphStyle("head", body, fontName=fonts.bold, fontSize=7.5, leading=9),
            "strong": ParagraphStyle("strong", body, fontName=fonts.bold, fontSize=9, leading=11),
        }

    def para(self, text: str, style: str = "body") -> Paragraph:
        bold = style in ("title", "label", "head", "strong")
        return Paragraph(self.fonts.markup(text, bold=bold), self.styles[style])

    def lines(self, values: Sequence[str]) -> list[Paragraph]:
        return [self.para(value) for value in values] or [self.para("—")]

    def boxed(self, rows: list[list[Any]], widths: Sequence[float], header: bool = False) -> Table:
        table = Table(rows, colWidths=list(widths), hAlign="LEFT", repeatRows=1 if header else 0)
        style = [("GRID", (0, 0), (-1, -1), 0.5, GREY), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")))
        table.setStyle(TableStyle(style))
        return table


def _categories(paper: CustomsPaper, w: _Writer) -> Paragraph:
    chosen = paper.customs.contents_type
    return w.para("   ".join(f"[{'X' if code == chosen else ' '}] {name}" for code, name in CATEGORIES))


def _line_rows(paper: CustomsPaper, w: _Writer) -> list[list[Any]]:
    rows: list[list[Any]] = [[w.para(text, "head") for text in (
        "Quantity and detailed description of contents", "Net weight", "Value", "HS tariff number",
        "Country of origin")]]
    for line in paper.customs.lines:
        rows.append([w.para(f"{line.quantity} × {line.description}" + (f" ({line.sku})" if line.sku else "")),
                     w.para(kg(line.weight_g)), w.para(format_money(line.value_minor, line.currency)),
                     w.para(line.hs_code), w.para(line.origin_country)])
    gross = paper.gross_weight_g if paper.gross_weight_g is not None else paper.net_weight_g
    rows.append([w.para("Total", "head"), w.para(f"{kg(paper.net_weight_g)} (gross {kg(gross)})"),
                 w.para(format_money(paper.total_value, paper.currency), "strong"), w.para(""), w.para("")])
    return rows


def _signature(paper: CustomsPaper, w: _Writer, width: float) -> Table:
    signer = paper.customs.signer or ""
    rows = [[w.para(CERTIFICATION)],
            [w.para(f"Date: {paper.date:%Y-%m-%d}      Signature of sender: {signer or '________________'}",
                    "strong")]]
    return w.boxed(rows, [width])


def _cn22(paper: CustomsPaper, w: _Writer) -> list[Any]:
    width = 120 * mm
    story: list[Any] = [
        w.para("CUSTOMS DECLARATION CN 22", "title"), w.para("May be opened officially"), Spacer(1, 2 * mm),
        w.para(f"Order {paper.order_number}" + (f" · Item {paper.tracking_numbers[0]}" if paper.tracking_numbers
                                                 else ""), "strong"),
        Spacer(1, 2 * mm), w.boxed([[w.para("Category of item", "label")], [_categories(paper, w)]], [width]),
        Spacer(1, 2 * mm),
        w.boxed(_line_rows(paper, w), [42 * mm, 22 * mm, 22 * mm, 18 * mm, 16 * mm], header=True),
        Spacer(1, 2 * mm), _signature(paper, w, width)]
    return story


def _cn23(paper: CustomsPaper, w: _Writer) -> list[Any]:
    width = page_dimensions("a4")[0] - 2 * MARGIN
    half = width / 2
    item = paper.tracking_numbers[0] if paper.tracking_numbers else ""
    barcode: Any = w.para(item or "—")
    if item and code128_can_encode(item):
        barcode = [code128(item, max_width=half - 6 * mm, bar_height=12 * mm), w.para(item)]
    addresses = w.boxed([[w.para("From (sender)", "label"), w.para("No. of item (barcode)", "label")],
                         [w.lines(paper.sender), barcode],
                         [w.para("To (addressee)", "label"), w.para("Invoice / importer's reference", "label")],
                         [w.lines(paper.addressee + tuple(p for p in (paper.addressee_phone, paper.addressee_email)
                                                          if p)),
                          w.lines((f"Invoice {paper.customs.invoice_number or paper.order_number}",
                                   f"Incoterm {paper.customs.incoterm}"))]], [half, half])
    charges = format_money(paper.shipping_minor, paper.currency)
    story: list[Any] = [
        w.para("CUSTOMS DECLARATION CN 23", "title"), w.para("May be opened officially"), Spacer(1, 2 * mm),
        addresses, Spacer(1, 2 * mm),
        w.boxed(_line_rows(paper, w), [width * 0.40, width * 0.17, width * 0.15, width * 0.15, width * 0.13],
                header=True),
        Spacer(1, 2 * mm),
        w.boxed([[w.para("Category of item", "label"), w.para("Postal charges / fees", "label")],
                 [_categories(paper, w), w.para(charges)]], [width * 0.75, width * 0.25]),
        Spacer(1, 2 * mm), _signature(paper, w, width)]
    return story


def _invoice(paper: CustomsPaper, w: _Writer) -> list[Any]:
    width = page_dimensions("a4")[0] - 2 * MARGIN
    half = width / 2
    money: Callable[[int], str] = lambda minor: format_money(minor, paper.currency)  # noqa: E731
    head = w.boxed([[w.para("Shipper / exporter", "label"), w.para("Consignee", "label")],
                    [w.lines(paper.sender), w.lines(paper.addressee)],
                    [w.para("Invoice", "label"), w.para("Terms", "label")],
                    [w.lines((f"No. {paper.customs.invoice_number or paper.order_number}",
                              f"Date {paper.date:%Y-%m-%d}",
                              *(f"Tracking {number}" for number in paper.tracking_numbers))),
                     w.lines((f"Incoterm {paper.customs.incoterm}",
                              f"Reason for export: {dict(CATEGORIES).get(paper.customs.contents_type, 'Other')}",
                              f"Currency {paper.currency}"))]], [half, half])
    rows: list[list[Any]] = [[w.para(text, "head") for text in (
        "Description", "HS code", "Origin", "Qty", "Unit value", "Total value", "Weight")]]
    for line in paper.customs.lines:
        unit = line.value_minor // line.quantity if line.quantity else 0
        rows.append([w.para(line.description + (f" ({line.sku})" if line.sku else "")), w.para(line.hs_code),
                     w.para(line.origin_country), w.para(str(line.quantity)), w.para(money(unit)),
                     w.para(money(line.value_minor)), w.para(kg(line.weight_g))])
    for label, amount in (("Subtotal", paper.total_value), ("Shipping", paper.shipping_minor),
                          ("Total", paper.total_value + paper.shipping_minor)):
        rows.append([w.para(label, "head"), "", "", "", "", w.para(money(amount), "strong"), ""])
    lines = w.boxed(rows, [width * f for f in (0.30, 0.12, 0.08, 0.07, 0.14, 0.15, 0.14)], header=True)
    return [w.para("COMMERCIAL INVOICE", "title"), Spacer(1, 3 * mm), head, Spacer(1, 3 * mm), lines,
            Spacer(1, 3 * mm), _signature(paper, w, width)]
