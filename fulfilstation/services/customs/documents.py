"""The customs documents of a shipment leaving the ship-from country, printed with its label.

``customs_paper_for`` reads the shipment's order, lines, addresses and the site's customs terms
in one unit of work and returns plain data (``CustomsPaper``) and the form the declared value
calls for (CN22 up to the site's limit, else CN23); None for a shipment that stays in the
country. ``deliver_customs_documents`` is called only once the shipment is committed (as the
packing slip is): it prints on the station's document printer — the carrier's own customs
documents when the carrier returned any (``CarrierLabel.documents`` in PDF), else our
declaration and commercial invoice — or, without a document printer, saves them as PDFs in
the station's documents folder. It never raises for a printer or disk failure: the result's
``problem`` says what went wrong, in words a packer can act on; a failure changes nothing in
the database and the documents can be printed again (``shipments customs`` reprints them).

Threading: blocking (database, printer, disk); call from worker threads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from fulfilstation.carriers.customs import customs_form
from fulfilstation.carriers.gateway import CarrierDocument, LabelFormat
from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, Package, Shipment
from fulfilstation.documents.customs_declaration import (
    CustomsPaper,
    build_commercial_invoice,
    build_customs_declaration,
)
from fulfilstation.ports import DeviceError, DocumentPrinter
from fulfilstation.services.customs.lines import order_customs
from fulfilstation.services.shipping.carrier_choice import ship_from, ship_to
from fulfilstation.services.shipping.slip import safe_file_part
from fulfilstation.services.site.customs import customs_terms_of
from fulfilstation.services.site.settings import paper_size


@dataclass(frozen=True)
class CustomsPapers:
    """A shipment's customs documents: ``form`` (CN22 / CN23) and the PDFs by file stem."""

    order_number: str
    form: str
    documents: tuple[tuple[str, bytes], ...]  # (name, PDF): the declaration, then the invoice


@dataclass(frozen=True)
class CustomsDelivery:
    """Where the customs documents went: ``printed`` (names), ``saved`` (paths), or ``problem``."""

    form: str | None = None  # CN22 / CN23; None: the carrier's own documents
    printed: tuple[str, ...] = ()
    saved: tuple[Path, ...] = field(default_factory=tuple)
    problem: str | None = None

    @property
    def message(self) -> str:
        if self.problem:
            return self.problem
        if self.saved:
            return f"No document printer: customs documents saved to {', '.join(str(p) for p in self.saved)}."
        return f"Customs documents printed: {', '.join(self.printed)}."


def customs_paper_for(database: Database, shipment_id: int) -> tuple[CustomsPaper, str] | None:
    """The shipment's customs paper and form, or None when it does not leave the country.
    Raises ValueError naming the SKUs when a product lacks its HS code or origin."""
    with database.unit_of_work() as session:
        shipment = session.get(Shipment, shipment_id)
        if shipment is None:
            return None
        order = session.get_one(Order, shipment.order_id)
        customs = order_customs(session, order.id)  # raises naming the SKUs that lack data
        if customs is None:
            return None
        terms = customs_terms_of(session)
        packages = session.execute(select(Package.tracking_number, Package.weight_measured_g)
                                   .where(Package.shipment_id == shipment_id).order_by(Package.sequence)).all()
        paper = CustomsPaper(order_number=order.number, date=(shipment.created_at or utcnow()).date(),
                             sender=ship_from(session), addressee=ship_to(order), customs=customs,
                             tracking_numbers=tuple(t for t, _w in packages if t), currency=order.currency,
                             shipping_minor=order.shipping_charged_minor or 0,
                             gross_weight_g=sum(w for _t, w in packages) or None,
                             addressee_phone=order.ship_to_phone, addressee_email=order.ship_to_email)
        return paper, customs_form(customs, terms)


def customs_papers(database: Database, shipment_id: int) -> CustomsPapers | None:
    """The shipment's declaration and commercial invoice as PDFs (None: domestic)."""
    found = customs_paper_for(database, shipment_id)
    if found is None:
        return None
    paper, form = found
    with database.unit_of_work() as session:
        paper_name = paper_size(session)
    return CustomsPapers(paper.order_number, form, (
        (f"{form} {paper.order_number}", build_customs_declaration(paper, form, page_size=paper_name)),
        (f"commercial invoice {paper.order_number}", build_commercial_invoice(paper, page_size=paper_name))))


def deliver_customs_documents(database: Database, printer: DocumentPrinter | None, shipment_id: int,
                              save_dir: Path,
                              carrier_documents: Sequence[CarrierDocument] = ()) -> CustomsDelivery | None:
    """Print (or save) the shipment's customs documents; None for a shipment that stays in
    the country. ``carrier_documents``: what the carrier returned with the label — its PDFs
    are printed instead of ours. Call only after the commit that recorded the shipment."""
    try:
        papers = customs_papers(database, shipment_id)
    except ValueError as exc:
        return CustomsDelivery(problem=f"The customs documents were not made: {exc}")
    if papers is None:
        return None
    theirs = tuple((f"{document.kind} {papers.order_number}", document.content)
                   for document in carrier_documents if document.format is LabelFormat.PDF)
    documents, form = (theirs, None) if theirs else (papers.documents, papers.form)
    if printer is None:
        return _save(documents, form, save_dir)
    printed: list[str] = []
    for name, pdf in documents:
        try:
            printer.print_pdf(pdf, name)
        except DeviceError as exc:
            return CustomsDelivery(form, tuple(printed), problem=f"The {name} did not print. {exc.user_message} "
                                   f"Print the customs documents again: fulfilstation shipments customs "
                                   f"{papers.order_number}")
        printed.append(name)
    return CustomsDelivery(form, tuple(printed))


def _save(documents: Sequence[tuple[str, bytes]], form: str | None, save_dir: Path) -> CustomsDelivery:
    saved: list[Path] = []
    for name, pdf in documents:
        path = save_dir / f"{safe_file_part(name.replace(' ', '-'))}.pdf"
        try:
            save_dir.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pdf)
        except OSError as exc:
            return CustomsDelivery(form, saved=tuple(saved), problem=f"No document printer is set up and the "
                                   f"{name} could not be saved to {path} ({exc.strerror or exc}). Choose a "
                                   "document printer in Device settings.")
        saved.append(path)
    return CustomsDelivery(form, saved=tuple(saved))
