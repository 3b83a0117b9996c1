"""The words a scan is told in at the bench, on SQLite and PostgreSQL: another order's
number is named as an order, a case barcode as a case."""

from __future__ import annotations

from sqlalchemy import select

from fulfilstation.db.models import ScanEvent
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.packing import Refusal
from tests.support.warehouse import case_barcode, make_order, unit_barcode


def test_another_orders_number_mid_pack_is_named_as_an_order(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    packing = make_order(db, [("MUG-CER-350", 1)])
    other = make_order(db, [("SOAP-LAV-100", 1)])
    session_id = app.packing.start(packer, packing).session_id
    outcome = app.packing.scan(packer, session_id, other)
    assert not outcome.accepted and outcome.refusal is Refusal.ANOTHER_ORDER
    assert outcome.message.startswith(f"{other} is an order: finish or cancel {packing} first")
    same = app.packing.scan(packer, session_id, packing)
    assert same.refusal is Refusal.ANOTHER_ORDER and same.message == f"{packing} is the order being packed: " \
        "scan its items."
    with db.unit_of_work() as session:  # recorded like every scan, and nothing counted
        refusals = session.scalars(select(ScanEvent.refusal).where(ScanEvent.pack_session_id == session_id)).all()
    assert refusals == ["another-order", "another-order"] and same.view.lines[0].scanned == 0


def test_a_case_barcode_is_named_as_a_case(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    code, per_case = case_barcode(db, "SOAP-LAV-100")
    assert per_case > 1
    session_id = app.packing.start(packer, make_order(db, [("SOAP-LAV-100", per_case + 1)])).session_id
    accepted = app.packing.scan(packer, session_id, code)
    assert accepted.accepted and accepted.message.startswith(f"Case of {per_case} × ")
    assert f"✓ ({per_case} of {per_case + 1})" in accepted.message
    again = app.packing.scan(packer, session_id, code)
    assert again.refusal is Refusal.OVER_QUANTITY and f"this is a case of {per_case} × " in again.message
    assert "Open the case and scan single units" in again.message
    single = app.packing.scan(packer, session_id, unit_barcode(db, "SOAP-LAV-100"))
    assert single.accepted and not single.message.startswith("Case")


def test_a_case_of_a_product_not_on_the_order_is_named_as_a_case(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    code, per_case = case_barcode(db, "SOAP-LAV-100")
    session_id = app.packing.start(packer, make_order(db, [("MUG-CER-350", 1)])).session_id
    wrong = app.packing.scan(packer, session_id, code)
    assert wrong.refusal is Refusal.NOT_ON_ORDER
    assert wrong.message.startswith(f"Case of {per_case} × ") and "is not on this order" in wrong.message
