"""The catalogue's rules (SQLite and PostgreSQL): create, edit, deactivate and reactivate a
product; its fields checked; a SKU and a barcode belong to one product, settled by the
database, and the refusal names the other product; search by SKU, name or any barcode form;
every change audited, a refusal changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Product
from fulfilstation.services.products import (
    BarcodeSpec,
    ProductChanges,
    ProductFields,
    ProductRefused,
)
from tests.support.app import app_for, sign_in

PAPRIKA_EAN = "0614141000302"  # the demo's Smoked Paprika (SPC-SMK-PAP)
UPC = "012345678905"
EAN = "4006381333931"
GREEN_TEA = ProductFields(
    sku="TEA-GRN-100", name="  Green   tea 100 g ", description="Loose leaf", weight_g=120, length_mm=80,
    width_mm=50, height_mm=140, lot_tracked=True, fragile=False, hazmat=False, unit_price_minor=1250,
    currency="eur", image_path="/images/tea.png", reorder_point=20, safety_stock=5, hs_code="0902.10",
    country_of_origin="jp")


def refused(call: object, code: str) -> ProductRefused:
    assert callable(call)
    try:
        call()
    except ProductRefused as refusal:
        assert refusal.code == code, refusal.message
        return refusal
    raise AssertionError(f"not refused ({code})")


def product_count(db: Database) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(Product)) or 0)


def audit_actions(db: Database, sku_prefix: str = "") -> list[str]:
    with db.unit_of_work() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action.like("product.%"))
                                  .order_by(AuditEntry.id)).all()
        return [e.action for e in entries if str(e.details.get("sku", "")).startswith(sku_prefix)]


def test_a_manager_creates_a_product_with_every_field_and_finds_it_by_any_barcode(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    made = app.products.create(manager, GREEN_TEA, [BarcodeSpec(UPC), BarcodeSpec("10012345678902", 12)])
    assert made.name == "Green tea 100 g"
    assert made.fields.currency == "EUR" and made.fields.country_of_origin == "JP"
    assert made.fields.hs_code == "0902.10" and made.fields.lot_tracked and made.active
    assert [(b.code, b.pack_quantity) for b in made.barcodes] == [("00012345678905", 1), ("10012345678902", 12)]
    assert made.stock.on_hand == 0 and made.stock.available == 0 and not made.kit
    shown = app.products.show("tea-grn-100")  # a SKU typed in the wrong case finds it too
    assert shown.fields == made.fields
    for scan in (UPC, "0012345678905", "00012345678905", "]E0" + "0012345678905",
                 "]C1010001234567890510LOT7\x1d", "(01)00012345678905(17)271231"):
        page = app.products.list(scan)
        assert [row.sku for row in page.rows] == ["TEA-GRN-100"], scan
        assert page.exact_sku == "TEA-GRN-100", scan
    assert [r.sku for r in app.products.list("green TEA 100").rows] == ["TEA-GRN-100", "TEA-SEN-100"]
    assert app.products.list("green tea").exact_sku is None
    assert app.products.list("TEA-GRN-100").exact_sku == "TEA-GRN-100"
    assert audit_actions(db, "TEA-GRN") == ["product.created"]


def test_fields_are_checked_and_a_refusal_creates_nothing(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    before = product_count(db)
    cases = [
        (ProductFields(sku=" ", name="X"), "the SKU is blank"),
        (ProductFields(sku="OK-1", name=""), "the name is blank"),
        (ProductFields(sku="OK-1", name="X", weight_g=-5), "weight in grams cannot be negative"),
        (ProductFields(sku="OK-1", name="X", hs_code="12"), "HS code '12' must be 6 to 10 digits"),
        (ProductFields(sku="OK-1", name="X", country_of_origin="Japan"), "two-letter ISO code"),
        (ProductFields(sku="OK-1", name="X", currency="EURO"), "three-letter ISO code"),
        (ProductFields(sku="OK 1 ", name="X", unit_price_minor=-1), "the price cannot be negative"),
    ]
    for fields, words in cases:
        refusal = refused(lambda f=fields: app.products.create(manager, f), "field-invalid")  # type: ignore[misc]
        assert words.lower() in refusal.message.lower(), refusal.message
    bad_gtin = refused(lambda: app.products.create(manager, ProductFields("OK-1", "X"), [BarcodeSpec(
        "4006381333932")]), "barcode-invalid")
    assert bad_gtin.message.startswith("4006381333932 is not a valid GTIN: its check digit should be 1, not 2")
    twice = refused(lambda: app.products.create(manager, ProductFields("OK-1", "X"), [
        BarcodeSpec(UPC), BarcodeSpec("0" + UPC)]), "barcode-twice")
    assert "are the same barcode" in twice.message
    assert product_count(db) == before and audit_actions(db) == []


def test_a_sku_or_barcode_another_product_holds_is_refused_naming_it(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    before = product_count(db)
    taken = refused(lambda: app.products.create(manager, ProductFields("MUG-CER-350", "Another mug")), "sku-taken")
    assert taken.message.startswith("SKU MUG-CER-350 is already MUG-CER-350 Ceramic Mug 350 ml, Slate")
    code = refused(lambda: app.products.create(manager, ProductFields("NEW-1", "New"), [BarcodeSpec(PAPRIKA_EAN)]),
                   "barcode-taken")
    assert code.message.startswith(f"{PAPRIKA_EAN} is already the barcode of SPC-SMK-PAP Smoked Paprika 80 g")
    assert product_count(db) == before
    app.products.create(manager, ProductFields("NEW-1", "New"))
    renamed = refused(lambda: app.products.edit(manager, "NEW-1", ProductChanges(sku="MUG-CER-350")), "sku-taken")
    assert "MUG-CER-350 Ceramic Mug 350 ml, Slate" in renamed.message
    added = refused(lambda: app.products.add_barcode(manager, "NEW-1", "00614141000302"), "barcode-taken")
    assert added.message.startswith("00614141000302 is already the barcode of SPC-SMK-PAP Smoked Paprika 80 g")
    assert app.products.show("NEW-1").barcodes == ()


def test_editing_changes_only_what_is_given_and_audits_old_and_new(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    app.products.create(manager, GREEN_TEA)
    edited = app.products.edit(manager, "TEA-GRN-100", ProductChanges(
        sku="TEA-GRN-250", name="Green tea 250 g", weight_g=280, description="", hs_code="", hazmat=True,
        unit_price_minor=2490))
    assert edited.sku == "TEA-GRN-250" and edited.fields.weight_g == 280 and edited.fields.hazmat
    assert edited.fields.description is None and edited.fields.hs_code is None
    assert edited.fields.country_of_origin == "JP" and edited.fields.length_mm == 80  # untouched
    refused(lambda: app.products.show("TEA-GRN-100"), "unknown-product")
    with db.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "product.edited")).one()
        assert entry.details["changes"]["weight_g"] == [120, 280]
        assert entry.details["changes"]["sku"] == ["TEA-GRN-100", "TEA-GRN-250"]
        assert entry.details["by"] == "manager"
        assert "country_of_origin" not in entry.details["changes"]
    refused(lambda: app.products.edit(manager, "TEA-GRN-250", ProductChanges()), "nothing-to-change")
    refused(lambda: app.products.edit(manager, "NOPE", ProductChanges(name="x")), "unknown-product")


def test_deactivate_and_reactivate(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    assert not app.products.deactivate(manager, "MUG-CER-350").active
    again = refused(lambda: app.products.deactivate(manager, "MUG-CER-350"), "already-inactive")
    assert again.message == "MUG-CER-350 Ceramic Mug 350 ml, Slate is already inactive: nothing to do."
    assert "MUG-CER-350" not in [r.sku for r in app.products.list("MUG").rows]
    assert [r.sku for r in app.products.list("MUG", status="inactive").rows] == ["MUG-CER-350"]
    assert {r.sku for r in app.products.list("MUG", status="all").rows} == {"MUG-CER-350", "MUG-ENA-300"}
    assert app.products.reactivate(manager, "MUG-CER-350").active
    refused(lambda: app.products.reactivate(manager, "MUG-CER-350"), "already-active")
    assert audit_actions(db, "MUG-CER") == ["product.deactivated", "product.reactivated"]
    refused(lambda: app.products.list(status="gone"), "unknown-filter")


def test_barcodes_are_added_with_a_pack_quantity_and_removed(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    app.products.create(manager, ProductFields("NEW-1", "New thing"))
    detail = app.products.add_barcode(manager, "NEW-1", EAN, 6)
    assert [(b.code, b.pack_quantity) for b in detail.barcodes] == [("04006381333931", 6)]
    assert app.products.list(EAN).exact_sku == "NEW-1"
    internal = app.products.add_barcode(manager, "NEW-1", "NEW-1-LBL")
    assert [b.code for b in internal.barcodes] == ["NEW-1-LBL", "04006381333931"]
    mine = refused(lambda: app.products.add_barcode(manager, "NEW-1", "0" + EAN), "barcode-already-there")
    assert mine.message == "0" + EAN + " is already a barcode of NEW-1 New thing: nothing to add."
    refused(lambda: app.products.add_barcode(manager, "NEW-1", "12345", 0), "pack-quantity")
    refused(lambda: app.products.add_barcode(manager, "NEW-1", "4006381333932"), "barcode-invalid")
    other = refused(lambda: app.products.remove_barcode(manager, "NEW-1", PAPRIKA_EAN), "barcode-of-another")
    assert "is the barcode of SPC-SMK-PAP Smoked Paprika 80 g, not of NEW-1 New thing" in other.message
    missing = refused(lambda: app.products.remove_barcode(manager, "NEW-1", UPC), "barcode-not-found")
    assert "its barcodes are NEW-1-LBL, 04006381333931" in missing.message
    app.products.remove_barcode(manager, "NEW-1", EAN)
    assert [b.code for b in app.products.remove_barcode(manager, "NEW-1", "NEW-1-LBL").barcodes] == []
    assert app.products.list(EAN).rows == ()
    assert audit_actions(db, "NEW-1") == ["product.created", "product.barcode_added", "product.barcode_added",
                                          "product.barcode_removed", "product.barcode_removed"]


def test_list_pages_and_sorts(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    everything = app.products.list()
    skus = [row.sku for row in everything.rows]
    assert skus == sorted(skus) and everything.total == len(skus) > 30
    page = app.products.list(offset=10, limit=5)
    assert [row.sku for row in page.rows] == skus[10:15] and page.total == everything.total
    by_name = [row.name.lower() for row in app.products.list(sort="name").rows]
    assert by_name == sorted(by_name)
    refused(lambda: app.products.list(sort="price"), "unknown-sort")
    mug = next(row for row in everything.rows if row.sku == "MUG-CER-350")
    assert mug.barcodes == ("00614141000012", "10614141000019") and mug.on_hand > 0
    assert mug.available == mug.on_hand - app.products.show("MUG-CER-350").stock.reserved


def test_changes_are_reported_with_the_tables_they_touched(seeded_database: Database) -> None:
    from fulfilstation.services.changes import Changes

    app = app_for(seeded_database)
    heard: list[Changes] = []
    app.changes.subscribe(heard.append)
    manager = sign_in(app, "manager")
    app.products.create(manager, ProductFields("NEW-1", "New"), [BarcodeSpec(EAN)])
    assert heard[-1].tables == {"products", "product_barcodes", "audit_log"}
    assert heard[-1].use_case == "ProductsService.create"
    app.products.create(manager, ProductFields("NEW-2", "Kit"))
    app.products.set_components(manager, "NEW-2", [("NEW-1", 2)])
    assert "product_components" in heard[-1].tables
    assert set().union(*(change.tables for change in heard)) == {"products", "product_barcodes",
                                                                 "product_components", "audit_log"}
    count = len(heard)
    app.products.list()
    app.products.show("NEW-2")
    refused(lambda: app.products.deactivate(manager, "NOPE"), "unknown-product")
    assert len(heard) == count  # queries and refusals report nothing


def test_a_sku_that_differs_only_in_case_is_refused_but_a_product_may_recase_its_own(seeded_database: Database) -> None:
    """``mug-cer-350`` beside ``MUG-CER-350``: every look-up matches SKUs ignoring case, so the
    twins could no longer be found (``products show MUG-cer-350`` found neither)."""
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    before = product_count(db)
    twin = refused(lambda: app.products.create(manager, ProductFields("mug-cer-350", "Twin mug")), "sku-taken")
    assert "differs from MUG-CER-350 Ceramic Mug 350 ml, Slate only in upper and lower case" in twin.message
    assert product_count(db) == before
    app.products.create(manager, ProductFields("new-case", "New"))
    renamed = refused(lambda: app.products.edit(manager, "new-case", ProductChanges(sku="Mug-Cer-350")), "sku-taken")
    assert "MUG-CER-350" in renamed.message
    assert app.products.edit(manager, "new-case", ProductChanges(sku="NEW-CASE")).sku == "NEW-CASE"


def test_a_sku_that_is_another_products_barcode_is_refused(seeded_database: Database) -> None:
    """Scans read barcodes first: a product whose SKU is the paprika's EAN would be found as
    the paprika when its SKU label is scanned."""
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    before = product_count(db)
    clash = refused(lambda: app.products.create(manager, ProductFields(PAPRIKA_EAN, "Clash")), "sku-taken")
    assert "is the barcode of SPC-SMK-PAP Smoked Paprika 80 g" in clash.message
    assert product_count(db) == before
    app.products.create(manager, ProductFields("NEW-2", "New"))
    refused(lambda: app.products.edit(manager, "NEW-2", ProductChanges(sku=PAPRIKA_EAN)), "sku-taken")
