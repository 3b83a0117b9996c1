"""The station's command sheet: the command barcodes plus a barcode for each active box type.

Reads the box types and the site's paper size in one short unit of work, then builds the
PDF (pure, in ``fulfilstation.documents.command_sheet``). Printing it is the caller's
business, through a ``DocumentPrinter`` off the GUI thread. Blocking (database).
"""

from __future__ import annotations

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import BoxType
from fulfilstation.documents.command_sheet import build_command_sheet
from fulfilstation.services.site.settings import paper_size


def command_sheet_pdf(database: Database, station_name: str) -> bytes:
    """The command sheet of ``station_name``: every active box type, smallest first (by inner
    volume, then code), on the site's paper (site setting ``paper_size``, default Letter)."""
    volume = BoxType.inner_length_mm * BoxType.inner_width_mm * BoxType.inner_height_mm
    with database.unit_of_work() as session:
        paper = paper_size(session)
        boxes = session.execute(select(BoxType.code, BoxType.name).where(BoxType.active.is_(True))
                                .order_by(volume, BoxType.code)).all()
    return build_command_sheet(station_name, [(code, name) for code, name in boxes], page_size=paper)
