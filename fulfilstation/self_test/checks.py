"""The self-test's checks that need no window: the database and the documents.

Each check uses the code the station runs (the migrations runner, the label and packing slip
renderers of :mod:`fulfilstation.documents`) on made-up data, so a file the installation
lacks — a migration script, a font, a module a frozen build left out — fails here, before a
packer meets it. The documents carry names in other scripts, so the fonts are exercised too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fulfilstation.db import migrate
from fulfilstation.db.engine import make_engine
from fulfilstation.db.url import sqlite_url
from fulfilstation.documents.fonts import document_fonts
from fulfilstation.documents.labels import Code128Data, ShippingLabelData, render_pdf, shipping_label
from fulfilstation.documents.packing_slip import PackingSlip, SlipLine, build_packing_slip
from fulfilstation.documents.shipping_label_zpl import render_zpl
from fulfilstation.self_test.runner import CheckFailed

SHIP_FROM = ("Self-test Warehouse", "1 Dock Road", "Springfield IL 62701", "US")
SHIP_TO = ("Zoë Łukasiewicz", "12 Rue de l'Église", "75001 Paris", "FR")
TRACKING = "1Z999AA10123456784"


def database(folder: Path) -> str:
    """A new SQLite database in ``folder`` migrated to the head revision."""
    engine = make_engine(sqlite_url(folder / "self-test.sqlite3"))
    scripts = migrate.alembic_config().get_main_option("script_location")
    try:
        try:
            result = migrate.upgrade(engine, backup_dir=folder / "backups")
            head = migrate.head_revision()
        except Exception as exc:
            problem = str(exc).splitlines()[0] if str(exc) else ""
            raise CheckFailed(f"the migrations in {scripts} could not run ({type(exc).__name__}: {problem}): the "
                              "installation is incomplete or damaged; reinstall FulfilStation") from exc
        if result.after != head or migrate.current_revision(engine) != head:
            raise CheckFailed(f"the migrations stopped at {result.after}, not at {head}: the installation's "
                              "migrations folder is incomplete")
    finally:
        engine.dispose()
    return f"new SQLite database migrated to revision {head}"


def sample_label() -> ShippingLabelData:
    return ShippingLabelData(SHIP_FROM, SHIP_TO, "GROUND", 1, 1, "2.20 LB (998 g)", "SELFTEST-1", TRACKING,
                             Code128Data.plain(TRACKING))


def label_zpl() -> str:
    zpl = render_zpl(sample_label(), 203)
    if not (zpl.startswith(b"^XA") and zpl.rstrip().endswith(b"^XZ") and TRACKING.encode() in zpl):
        raise CheckFailed("the carrier label's ZPL is not one whole label carrying its tracking number")
    return f"4 x 6 in carrier label, {len(zpl)} bytes of ZPL at 203 dpi"


def label_pdf() -> str:
    pdf = render_pdf([shipping_label(sample_label())], title="Self-test label")
    _check_pdf(pdf, "carrier label")
    return f"4 x 6 in carrier label, {len(pdf)} bytes of PDF"


def packing_slip() -> str:
    slip = PackingSlip(order_number="SELFTEST-1", ship_from=SHIP_FROM, ship_to=SHIP_TO,
                       order_date=dt.date(2024, 5, 1), ship_by=dt.date(2024, 5, 3), service="Ground",
                       tracking_numbers=(TRACKING,),
                       lines=(SlipLine("MUG-01", "Mug 佐藤", 2, 2), SlipLine("TEE-M", "T-shirt, M", 1, 1)))
    pdf = build_packing_slip(slip)
    _check_pdf(pdf, "packing slip")
    fonts = document_fonts()
    return f"packing slip, {len(pdf)} bytes of PDF, text in {fonts.regular} ({len(fonts.fallbacks)} fallback fonts)"


def _check_pdf(pdf: bytes, what: str) -> None:
    if not (pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-64:]):
        raise CheckFailed(f"the {what} is not a whole PDF")
