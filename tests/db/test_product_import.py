"""Importing products on SQLite and PostgreSQL: Shopify's export as it really comes (the
hand-written file in tests/data/imports/, Shopify's exact column order, a BOM, quoted
newlines, image rows), re-imports that create nothing, rejected rows that change nothing,
a dry run that writes nothing, and the generic file's barcodes, packs and kits."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Product, ProductBarcode, ProductComponent
from fulfilstation.services.app import AppServices
from fulfilstation.services.product_files import ProductFileRefused
from fulfilstation.services.product_files import catalogue as catalogue_module
from fulfilstation.services.refused import NotAllowed
from tests.support.app import app_for, sign_in

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
SHOPIFY = (DATA / "shopify_products.csv").read_bytes()


def product(database: Database, sku: str) -> Product | None:
    with database.unit_of_work() as session:
        found = session.scalar(select(Product).where(Product.sku == sku))
        if found is not None:
            session.expunge(found)
        return found


def barcodes(database: Database, sku: str) -> dict[str, int]:
    with database.unit_of_work() as session:
        rows = session.execute(select(ProductBarcode.code, ProductBarcode.pack_quantity).join(Product)
                               .where(Product.sku == sku)).all()
        return {code: pack for code, pack in rows}


def count(database: Database, model: type[object]) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


def imports(database: Database) -> list[AuditEntry]:
    with database.unit_of_work() as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "products.imported")))
        session.expunge_all()
        return entries


def manager_app(database: Database) -> tuple[AppServices, object]:
    app = app_for(database)
    return app, sign_in(app, "manager")


def test_a_shopify_export_goes_in_variant_by_variant(seeded_database: Database) -> None:
    app, manager = manager_app(seeded_database)
    before = count(seeded_database, Product)
    report = app.product_files.import_products(manager, SHOPIFY, file_name="products_export_1.csv")
    assert report.summary() == "imported 7, updated 0, rejected 3"
    assert count(seeded_database, Product) == before + 7
    rejected = {problem.line: problem for problem in report.rejections}
    assert sorted(rejected) == [14, 16, 17]
    assert "has no SKU" in rejected[14].reason
    assert rejected[16].reason.startswith("SKU TEE-BLU-S is already on line 2 of this file")
    assert "MUG-CER-350 (Ceramic Mug 350 ml, Slate)" in rejected[17].reason
    warned = {problem.line: problem.reason for problem in report.warnings}
    assert sorted(warned) == [11, 12, 13]
    assert "check digit" in warned[11]
    assert "061414100007" in warned[12] and "leading zero" in warned[12]
    assert "scientific notation" in warned[13]
    assert any("image rows" in note for note in report.notes)

    tee = product(seeded_database, "TEE-BLU-S")
    assert tee is not None
    assert tee.name == "Classic Tee — Blue / S"
    assert tee.weight_g == 180 and tee.unit_price_minor == 1950
    assert tee.description is not None and "<li>Pre-shrunk</li>" in tee.description
    assert tee.hs_code == "6109.10" and tee.country_of_origin == "PT"
    assert tee.image_path is not None and tee.image_path.endswith("tee-blue.jpg")
    assert barcodes(seeded_database, "TEE-BLU-S") == {"04006381333948": 1}
    red = product(seeded_database, "TEE-RED-S")
    assert red is not None and red.name == "Classic Tee — Red / S" and barcodes(seeded_database, "TEE-RED-S") == {}
    mug = product(seeded_database, "CAMP-MUG-350")
    assert mug is not None and mug.name == "Enamel Camp Mug" and mug.unit_price_minor == 1250 and mug.weight_g == 340
    assert barcodes(seeded_database, "CAMP-MUG-350") == {}
    scarf = product(seeded_database, "SCARF-WL")
    assert scarf is not None and not scarf.active and scarf.weight_g == 150
    apron = product(seeded_database, "APRON-LIN")
    assert apron is not None and apron.active  # a draft is still a product the warehouse may hold
    oat = product(seeded_database, "GIFT-OAT")
    assert oat is not None and oat.name == "Gift Set — Oatmeal"
    assert product(seeded_database, "SLATE-MUG") is None
    [entry] = imports(seeded_database)
    assert entry.details["imported"] == 7 and entry.details["rejected"] == 3
    assert entry.details["file"] == "products_export_1.csv" and entry.details["by"] == "manager"


def test_importing_the_same_file_again_creates_nothing(seeded_database: Database) -> None:
    app, manager = manager_app(seeded_database)
    app.product_files.import_products(manager, SHOPIFY)
    products, codes = count(seeded_database, Product), count(seeded_database, ProductBarcode)
    again = app.product_files.import_products(manager, SHOPIFY)
    assert again.summary() == "imported 0, updated 0, rejected 3"
    assert again.unchanged == 7
    assert (count(seeded_database, Product), count(seeded_database, ProductBarcode)) == (products, codes)


def test_a_changed_field_updates_only_that_product(seeded_database: Database) -> None:
    app, manager = manager_app(seeded_database)
    app.product_files.import_products(manager, SHOPIFY)
    changed = SHOPIFY.replace(b"TEE-BLU-M,190,", b"TEE-BLU-M,195,")
    report = app.product_files.import_products(manager, changed)
    assert report.summary() == "imported 0, updated 1, rejected 3"
    updated = product(seeded_database, "TEE-BLU-M")
    assert updated is not None and updated.weight_g == 195 and updated.updated_at is not None


def test_a_dry_run_reports_the_same_and_writes_nothing(seeded_database: Database) -> None:
    app, manager = manager_app(seeded_database)
    before = count(seeded_database, Product), count(seeded_database, AuditEntry)
    report = app.product_files.import_products(manager, SHOPIFY, dry_run=True)
    assert report.dry_run and report.summary() == "imported 7, updated 0, rejected 3"
    assert (count(seeded_database, Product), count(seeded_database, AuditEntry)) == before


def test_progress_runs_to_the_end(seeded_database: Database) -> None:
    app, manager = manager_app(seeded_database)
    seen: list[tuple[int, int]] = []
    app.product_files.import_products(manager, SHOPIFY, progress=lambda done, total: seen.append((done, total)))
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_packer_may_not_import(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    before = count(seeded_database, Product)
    with pytest.raises(NotAllowed):
        app.product_files.import_products(sign_in(app, "packer"), SHOPIFY)
    assert count(seeded_database, Product) == before


@pytest.mark.parametrize(("data", "words"), [
    (b"", "empty"),
    (b"colour,size\nred,L\n", "neither Shopify"),
    (b"Handle,Title\n\"never closed,x\n", "never closed"),
])
def test_a_file_that_is_no_product_file_is_refused(seeded_database: Database, data: bytes, words: str) -> None:
    app, manager = manager_app(seeded_database)
    with pytest.raises(ProductFileRefused, match=words):
        app.product_files.import_products(manager, data)


GENERIC = (b"sku,name,barcodes,weight_g,price,currency,lot_tracked,components\n"
           b"CUP-A,Cup A,5012345678931;15012345678938x6,120,4.50,EUR,yes,\n"
           b"CUP-B,Cup B,,130,\"4,75\",EUR,no,\n"
           b"CUP-SET,Cup set,,250,9.00,EUR,no,CUP-A:1;CUP-B:1\n")


def test_generic_barcodes_are_the_whole_set_and_kits_name_their_components(seeded_database: Database) -> None:
    app, manager = manager_app(seeded_database)
    report = app.product_files.import_products(manager, GENERIC)
    assert report.summary() == "imported 3, updated 0, rejected 0", report.problems
    assert barcodes(seeded_database, "CUP-A") == {"05012345678931": 1, "15012345678938": 6}
    cup_b = product(seeded_database, "CUP-B")
    assert cup_b is not None and cup_b.unit_price_minor == 475 and cup_b.currency == "EUR"
    with seeded_database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(ProductComponent).join(
            Product, Product.id == ProductComponent.kit_id).where(Product.sku == "CUP-SET")) == 2
    fewer = GENERIC.replace(b"5012345678931;15012345678938x6", b"15012345678938x12")
    report = app.product_files.import_products(manager, fewer)
    assert report.summary() == "imported 0, updated 1, rejected 0"
    assert barcodes(seeded_database, "CUP-A") == {"15012345678938": 12}


def test_kit_rules_reject_the_row_and_say_why(seeded_database: Database) -> None:
    app, manager = manager_app(seeded_database)
    data = (b"sku,name,components\n"
            b"KIT-1,Kit one,MUG-CER-350:2;NO-SUCH:1\n"
            b"KIT-2,Kit two,MUG-CER-350:1\n"
            b"KIT-3,Kit three,KIT-2:1\n"
            b"KIT-4,Kit four,KIT-4:1\n")
    report = app.product_files.import_products(manager, data)
    assert report.summary() == "imported 1, updated 0, rejected 3"
    reasons = {problem.line: problem.reason for problem in report.rejections}
    assert "NO-SUCH is not a product" in reasons[2]
    assert "KIT-2 (Kit two) is a kit itself" in reasons[4] or "is a kit itself" in reasons[4]
    assert "lists itself" in reasons[5]


def test_a_barcode_twice_in_one_file_names_the_first_line(seeded_database: Database) -> None:
    app, manager = manager_app(seeded_database)
    data = b"sku,name,barcodes\nA-1,A one,5012345678948\nA-2,A two,5012345678948\n"
    report = app.product_files.import_products(manager, data)
    assert report.summary() == "imported 1, updated 0, rejected 1"
    assert report.rejections[0].reason == "barcode 05012345678948 is also on line 2 (A-1) of this file"


def test_export_then_import_changes_nothing(seeded_database: Database) -> None:
    app, manager = manager_app(seeded_database)
    app.product_files.import_products(manager, SHOPIFY)
    app.product_files.import_products(manager, GENERIC)
    exported = app.product_files.export_products()
    assert exported.startswith(b"\xef\xbb\xbf")
    report = app.product_files.import_products(manager, exported)
    assert report.summary() == "imported 0, updated 0, rejected 0", report.problems
    assert report.unchanged == count(seeded_database, Product)
    assert app.product_files.export_products() == exported


def test_a_semicolon_file_with_decimal_commas_reads_alike(seeded_database: Database) -> None:
    app, manager = manager_app(seeded_database)
    data = "\ufeffsku;name;price;weight_g\nSEMI-1;Crème brûlée set;\"12,50\";300\n".encode()
    report = app.product_files.import_products(manager, data)
    assert report.summary() == "imported 1, updated 0, rejected 0"
    found = product(seeded_database, "SEMI-1")
    assert found is not None and found.name == "Crème brûlée set" and found.unit_price_minor == 1250


def test_a_database_failure_mid_import_leaves_nothing(seeded_database: Database,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Another station adds a SKU after this import loaded the catalogue: the INSERT fails on
    the unique SKU, and the rows written before it in the same import are gone too."""
    real = catalogue_module.load

    def stale(session: Session) -> catalogue_module.Catalogue:
        loaded = real(session)
        del loaded.by_sku["MUG-CER-350"]
        return loaded

    monkeypatch.setattr(catalogue_module, "load", stale)
    app, manager = manager_app(seeded_database)
    before = count(seeded_database, Product), count(seeded_database, AuditEntry)
    data = b"sku,name,barcodes\nNEW-1,New one,5012345678955\nMUG-CER-350,Mug again,\n"
    with pytest.raises(ProductFileRefused, match="changed while the file was being imported"):
        app.product_files.import_products(manager, data)
    assert (count(seeded_database, Product), count(seeded_database, AuditEntry)) == before
    assert product(seeded_database, "NEW-1") is None


def test_shopify_adds_its_barcode_and_keeps_the_others(seeded_database: Database) -> None:
    app, manager = manager_app(seeded_database)
    case = b"sku,name,barcodes\nTEE-BLU-S,Classic Tee,4006381333948;14006381333945x24\n"
    app.product_files.import_products(manager, case)
    app.product_files.import_products(manager, SHOPIFY)
    assert barcodes(seeded_database, "TEE-BLU-S") == {"04006381333948": 1, "14006381333945": 24}
    tee = product(seeded_database, "TEE-BLU-S")
    assert tee is not None and tee.name == "Classic Tee — Blue / S" and tee.currency == "USD"


def test_a_sku_that_differs_only_in_case_is_rejected_naming_the_other(seeded_database: Database) -> None:
    """An owner retypes SKUs in lower case in a spreadsheet: the rows would make case twins
    (``mug-cer-350`` beside ``MUG-CER-350``) that no look-up could tell apart; they are
    rejected, naming the product (or the earlier line), and nothing is added."""
    app, manager = manager_app(seeded_database)
    before = count(seeded_database, Product)
    data = b"sku,name\nmug-cer-350,Mug retyped\nNEW-CASE,New one\nnew-case,New one again\n"
    report = app.product_files.import_products(manager, data)
    assert report.summary() == "imported 1, updated 0, rejected 2"
    rejected = {problem.line: problem.reason for problem in report.rejections}
    assert "MUG-CER-350 (Ceramic Mug 350 ml, Slate)" in rejected[2] and "write it as MUG-CER-350" in rejected[2]
    assert "NEW-CASE on line 3 of this file" in rejected[4]
    assert count(seeded_database, Product) == before + 1
    assert product(seeded_database, "mug-cer-350") is None
    again = app.product_files.import_products(manager, b"sku,name\nMUG-CER-350,\"Ceramic Mug 350 ml, Slate\"\n")
    assert again.rejected == 0


def test_a_sku_that_is_another_products_barcode_is_rejected_naming_it(seeded_database: Database) -> None:
    """A scan reads a barcode first: a product whose SKU is MUG-CER-350's EAN would be
    received as the mug when its SKU label is scanned."""
    app, manager = manager_app(seeded_database)
    (mug_code,) = [code for code, pack in barcodes(seeded_database, "MUG-CER-350").items() if pack == 1]
    report = app.product_files.import_products(manager, f"sku,name\n{mug_code[1:]},Clash\n".encode())
    assert report.summary() == "imported 0, updated 0, rejected 1"
    assert "is the barcode of product MUG-CER-350 (Ceramic Mug 350 ml, Slate)" in report.problems[0].reason
