"""The pick list's PDF: the list read in one unit of work (with the site's paper size),
turned into the document's plain data, drawn by ``documents.pick_list_pdf``.

Threading: blocking (database, then pure drawing); call from worker threads.
"""

from __future__ import annotations

from fulfilstation.db.database import Database
from fulfilstation.documents.pick_list_pdf import PdfRow, PdfTote, PickListDocument, pick_list_pdf
from fulfilstation.services.picking.reading import read_view
from fulfilstation.services.picking.views import PickListView
from fulfilstation.services.site.settings import paper_size


def document_of(view: PickListView) -> PickListDocument:
    totes = tuple(PdfTote(tote.tote, index, tote.order) for index, tote in enumerate(view.totes, start=1))
    rows = tuple(PdfRow(row.bin, row.zone, row.sku, row.name, row.barcode, row.lot, row.quantity, row.tote_words)
                 for row in view.rows)
    created = view.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return PickListDocument(view.number, view.description, created, view.by_zone, totes, rows)


def list_pdf(database: Database, number: str) -> bytes:
    with database.unit_of_work() as session:
        view = read_view(session, number)
        paper = paper_size(session)
    return pick_list_pdf(document_of(view), paper)
