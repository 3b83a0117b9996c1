"""Bad input (issue #15 point 5), the database half: every CSV import through its use case,
on SQLite and PostgreSQL, fed files as people bring them and worse
(``tests/support/fuzz_csv``). Each file ends in an ``ImportReport`` whose counts agree with
its problems (every problem naming a line of the file, in words), or in the area's refusal
(``ProductFileRefused``, ``OrderFileRefused``, ``BinsRefused``, ``ReceivingRefused``,
``CarrierSetupRefused``) with a message — never another exception, never a hang, and the
database stays usable (a refused or dry-run import leaves nothing behind).

Files are imported for real and as dry runs, one after another into the same demo
warehouse, so later examples meet what earlier ones wrote (a SKU or bin code taken).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from fulfilstation.db.models import AuditEntry
from fulfilstation.imports import CsvUnreadable, ImportReport, read_csv_bytes
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.bins import BinsRefused
from fulfilstation.services.bins import importing as bins_importing
from fulfilstation.services.carriers.setup import CarrierSetupRefused
from fulfilstation.services.order_files.refusals import OrderFileRefused
from fulfilstation.services.product_files.refusals import ProductFileRefused
from fulfilstation.services.receiving import po_import
from fulfilstation.services.receiving.views import ReceivingRefused
from fulfilstation.services.refused import Refused
from tests.support.app import sign_in
from tests.support.fuzz_csv import csv_files
from tests.unit.test_fuzz_imports import (
    RATE_COLUMNS,
    TRANSIT_COLUMNS,
    ZONE_COLUMNS,
    order_files,
    product_files,
)

#: Few examples per engine: each is a transaction on a real database.
DB_FUZZ = settings(max_examples=40, deadline=10_000, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PO_COLUMNS = ("po_number", "supplier", "reference", "expected_date", "sku", "quantity", "bin")


def check_report(report: ImportReport, data: bytes) -> None:
    assert isinstance(report, ImportReport)
    assert report.rejected == len({problem.line for problem in report.problems if problem.rejects})
    assert min(report.imported, report.updated, report.rejected, report.unchanged) >= 0
    try:
        last = max([row.line for row in read_csv_bytes(data).rows], default=1)
    except CsvUnreadable:
        last = 1
    for problem in report.problems:
        assert 0 <= problem.line <= last and problem.reason.strip(), problem
    assert report.summary().startswith("imported ")


def check_refusal(refused: Refused) -> None:
    assert str(refused).strip() and "Traceback" not in str(refused)


def audit_count(app: AppServices) -> int:
    with app.users.database.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def run_fuzz(app: AppServices, files: st.SearchStrategy[bytes], one: Callable[[bytes, bool], ImportReport],
             refusal: type[Refused]) -> None:
    @DB_FUZZ
    @given(files, st.booleans())
    def example(data: bytes, dry_run: bool) -> None:
        before = audit_count(app)
        try:
            report = one(data, dry_run)
        except refusal as refused:
            check_refusal(refused)
            assert audit_count(app) == before, "a refused import left an audit entry"
            return
        check_report(report, data)
        assert report.dry_run == dry_run

    example()


@pytest.fixture
def owner(app: AppServices) -> Actor:
    return sign_in(app, "owner")


def test_product_imports(app: AppServices, owner: Actor) -> None:
    run_fuzz(app, product_files, lambda data, dry: app.product_files.import_products(
        owner, data, dry_run=dry, file_name="fuzz.csv"), ProductFileRefused)


def test_order_imports(app: AppServices, owner: Actor) -> None:
    run_fuzz(app, order_files, lambda data, dry: app.order_files.import_orders(
        owner, data, dry_run=dry, file_name="fuzz.csv"), OrderFileRefused)


def test_bin_imports(app: AppServices, owner: Actor) -> None:
    run_fuzz(app, csv_files(bins_importing.COLUMNS), lambda data, dry: app.bins.import_bins(owner, data, dry),
             BinsRefused)


def test_purchase_order_imports(app: AppServices, owner: Actor) -> None:
    def one(data: bytes, dry: bool) -> ImportReport:
        try:
            table = read_csv_bytes(data)
        except CsvUnreadable as unreadable:  # what the CLI and the window refuse before the use case
            raise ReceivingRefused("bad-file", str(unreadable)) from unreadable
        return app.receiving.import_purchase_orders(owner, table, dry)

    run_fuzz(app, csv_files(PO_COLUMNS), one, ReceivingRefused)
    assert po_import.REQUIRED  # the columns drawn are the importer's own


@pytest.mark.parametrize(("kind", "columns"), [("rates", RATE_COLUMNS), ("zones", ZONE_COLUMNS),
                                               ("transit", TRANSIT_COLUMNS)])
def test_carrier_table_imports(app: AppServices, owner: Actor, kind: str, columns: tuple[str, ...]) -> None:
    @DB_FUZZ
    @given(csv_files(columns), st.booleans())
    def example(data: bytes, replace: bool) -> None:
        try:
            if kind == "rates":
                result = app.carriers.import_rates(owner, "ups/ground", data, replace)
            elif kind == "zones":
                result = app.carriers.import_zones(owner, "ups", data, "432", None, replace)
            else:
                result = app.carriers.import_transit(owner, "ups/ground", data, replace)
        except CarrierSetupRefused as refused:
            check_refusal(refused)
            return
        assert result.rows > 0

    example()
