"""``LabelsService``: bin and product labels — printed on the station's label printer, or
written as ZPL or PDF (a sheet of bin labels is saved in the documents folder).

Use cases (``RECEIVE``: packers receiving goods print them; managers and owners too):
``print_bin_labels`` and ``print_product_labels`` send ZPL (203 dpi) to the label printer of
the actor's station — the printer is asked whether it is ready first (``printer_check``) —
and write an audit entry of what was printed where. A label that cannot be made, a station
without a label printer, or a printer that is not ready is refused (``LabelsRefused``) with
what to do; nothing is half printed by us (a printer that fails mid-job says so).

Queries (no printing, nothing recorded): ``bin_labels_zpl``, ``bin_label_sheet`` (PDF
bytes), ``save_bin_label_sheet`` (into this station's documents folder), and the same for
product labels (``product_labels_zpl``, ``product_label_pdf``).

Threading: blocking (database, printer, disk); call from worker threads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fulfilstation.documents.bin_label_sheet import bin_label_sheet
from fulfilstation.documents.labels import LabelDescription, render_zpl_many
from fulfilstation.documents.product_label_pdf import product_label_pdf
from fulfilstation.domain.roles import Permission
from fulfilstation.domain.words import plural
from fulfilstation.paths import station_documents_dir
from fulfilstation.ports import DeviceError, LabelPrinter
from fulfilstation.printer_check import check_then_send
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.labels.making import bin_labels, product_labels
from fulfilstation.services.labels.products import LabelsRefused
from fulfilstation.services.shipping.slip import safe_file_part
from fulfilstation.services.stations.registry import station_info

DPI = 203


@dataclass(frozen=True)
class LabelsPrinted:
    """What went to the label printer."""

    count: int
    what: str  # "bin labels A-01-1 … A-03-2", "3 labels of MUG-CER-350"
    printer: str  # its address

    @property
    def message(self) -> str:
        return f"Printed {plural(self.count, 'label')} ({self.what}) on {self.printer}."


class LabelsService(AreaService):
    # -- use cases

    @use_case(Permission.RECEIVE, "print labels")
    def print_bin_labels(self, actor: Actor, codes: Sequence[str] = (), zone: str | None = None) -> LabelsPrinted:
        """A label per bin (the codes given, else the active bins of ``zone``, else all active
        bins) on the actor's station's label printer."""
        labels = bin_labels(self.database, codes, zone)
        what = _bins_words([label.name.removeprefix("bin-") for label in labels])
        return self._print(actor, labels, what, {"bins": [label.name.removeprefix("bin-") for label in labels]})

    @use_case(Permission.RECEIVE, "print labels")
    def print_product_labels(self, actor: Actor, sku: str, copies: int = 1, lot: str | None = None,
                             expiry: dt.date | None = None, size: str = "2x1") -> LabelsPrinted:
        """``copies`` labels of the product (SKU or one of its barcodes) on the actor's
        station's label printer; with ``lot`` (and ``expiry``) a GS1-128 carrying them (a
        lot needs the 4x4 label when the 2x1 is too narrow for it: the refusal says so)."""
        product, labels = product_labels(self.database, sku, copies, lot, expiry, size)
        what = f"{size} in, {product.sku}" + (f", lot {lot}" if lot else "")
        return self._print(actor, labels, what, {"sku": product.sku, "copies": copies, "lot": lot,
                                                 "expiry": expiry.isoformat() if expiry else None, "size": size})

    # -- queries

    def bin_labels_zpl(self, codes: Sequence[str] = (), zone: str | None = None, dpi: int = DPI) -> bytes:
        return render_zpl_many(bin_labels(self.database, codes, zone), dpi)

    def bin_label_sheet(self, codes: Sequence[str] = (), zone: str | None = None, paper: str = "letter") -> bytes:
        """The bin labels as a PDF sheet (a grid of 2 x 1 in labels on ``paper``: a4 or letter)."""
        return bin_label_sheet(bin_labels(self.database, codes, zone), _paper(paper))

    def save_bin_label_sheet(self, codes: Sequence[str] = (), zone: str | None = None,
                             paper: str = "letter") -> Path:
        """The sheet saved in this station's documents folder; its path."""
        labels = bin_labels(self.database, codes, zone)
        name = zone or (labels[0].name.removeprefix("bin-") if len(labels) == 1 else f"{len(labels)}")
        return self._save(bin_label_sheet(labels, _paper(paper)), f"bin-labels-{safe_file_part(name)}.pdf")

    def product_labels_zpl(self, sku: str, copies: int = 1, lot: str | None = None, expiry: dt.date | None = None,
                           size: str = "2x1", dpi: int = DPI) -> bytes:
        return render_zpl_many(product_labels(self.database, sku, copies, lot, expiry, size)[1], dpi)

    def product_label_pdf(self, sku: str, copies: int = 1, lot: str | None = None, expiry: dt.date | None = None,
                          size: str = "2x1", sheet: str = "label") -> bytes:
        """The labels as a PDF: a page per label at its size, or (``a4``/``letter``) a sheet grid."""
        labels = product_labels(self.database, sku, copies, lot, expiry, size)[1]
        try:
            return product_label_pdf(labels, 1, sheet)
        except ValueError as exc:
            raise LabelsRefused("bad-label", str(exc)) from exc

    # -- steps

    def _print(self, actor: Actor, labels: list[LabelDescription], what: str,
               details: dict[str, object]) -> LabelsPrinted:
        printer = self._printer(actor)
        data = render_zpl_many(labels, DPI)
        try:
            check_then_send(printer, data, f"labels {what}")
        except DeviceError as exc:
            raise LabelsRefused("printer", f"The labels did not print: {exc.user_message}") from exc
        with self.database.unit_of_work() as session:
            audit.record(session, actor, "labels.printed", None, None,
                         {**details, "count": len(labels), "printer": printer.uri})
        return LabelsPrinted(len(labels), what, printer.uri)

    def _printer(self, actor: Actor) -> LabelPrinter:
        station = station_info(self.database, actor.station_id) if actor.station_id is not None else None
        where = f"station {station.name}" if station is not None else "this sign-in (no station)"
        try:
            printer = (self._context.ports.printers.label_printer(station.name, station.label_printer_uri)
                       if station is not None else None)
        except (DeviceError, ValueError) as exc:
            words = getattr(exc, "user_message", None) or str(exc)
            raise LabelsRefused("no-printer", f"The label printer of {where} cannot be used: {words} Fix its address "
                                "in Device settings, or write the labels to a file.") from exc
        if printer is None:
            raise LabelsRefused("no-printer", f"{where[:1].upper()}{where[1:]} has no label printer: choose one in "
                                "Device settings, or write the labels to a file (ZPL or PDF).")
        return printer

    def _save(self, pdf: bytes, file_name: str) -> Path:
        folder = station_documents_dir(self._context.ports.documents_dir, self._context.station_name)
        path = folder / file_name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pdf)
        except OSError as exc:
            raise LabelsRefused("cannot-save", f"The label sheet could not be saved to {path} "
                                f"({exc.strerror or exc}): check the documents folder.") from exc
        return path


def _paper(paper: str) -> str:
    chosen = paper.strip().lower()
    if chosen not in ("a4", "letter"):
        raise LabelsRefused("bad-label", f"A label sheet is a4 or letter paper, not {paper!r}.")
    return chosen


def _bins_words(codes: list[str]) -> str:
    if len(codes) <= 3:
        return f"bin {', '.join(codes)}" if len(codes) == 1 else f"bins {', '.join(codes)}"
    return f"bins {codes[0]} … {codes[-1]}"
