"""Every use case that changes data, called as each role: allowed or refused (both engines).

The rules are written out here on their own (from the issue: packer — pack, ship, reprint;
manager — also void, accept a weight outside the range, close manifests, change service,
hold/release/cancel orders, edit addresses, device settings; owner — also users, site
settings, carriers), so a change to the code's role table that breaks them fails here.
A refused call raises ``NotAllowed`` and changes nothing (the audit log does not grow); an
allowed call either does its work or is refused for another reason (its arguments), never
for the role. A use case missing from ``LEAST_ROLE`` fails the coverage test.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry
from fulfilstation.imports import read_csv_bytes
from fulfilstation.integrations.webhooks import Delivery
from fulfilstation.services.actor import Actor, use_case_of
from fulfilstation.services.app import AppServices
from fulfilstation.services.bins import BinFields
from fulfilstation.services.carriers import (
    AccountChanges,
    NewAccount,
    NewEasyPost,
    NewGatewayAccount,
    NewRange,
    NewService,
)
from fulfilstation.services.counts import CountRules
from fulfilstation.services.integrations import ChannelChanges, ChannelFields
from fulfilstation.services.packing import Weighing
from fulfilstation.services.picking import Wave
from fulfilstation.services.products import ProductChanges, ProductFields
from fulfilstation.services.receiving import ExpectedLine, NewPurchaseOrder
from fulfilstation.services.refused import NotAllowed, Refused
from fulfilstation.services.reports import ReportSettings
from fulfilstation.services.returns import NewRmaLine
from fulfilstation.services.site import Address, CustomsTerms, OrderReview
from fulfilstation.services.stock import MoveItem
from fulfilstation.services.users import NewUser
from fulfilstation.settings import DeviceSettings, StationSettings
from tests.support.app import app_for, sign_in
from tests.support.warehouse import make_order

ROLES = ("packer", "manager", "owner")
LEAST_ROLE = {
    "packing.resume": "packer", "packing.start": "packer", "packing.next_order": "packer", "packing.scan": "packer",
    "packing.close_package": "packer", "packing.cancel": "packer", "packing.heartbeat": "packer",
    "shipping.ship": "packer", "shipping.reprint": "packer", "shipping.print_slip": "packer",
    "shipping.print_customs": "packer",
    "shipping.record_printed_labels": "packer",
    "shipping.void": "manager", "shipping.confirm_no_label": "manager",
    "manifests.close": "manager", "manifests.attach_scan_form": "manager", "manifests.record_scan_form": "manager",
    "orders.change_service": "manager", "orders.hold": "manager", "orders.release": "manager",
    "orders.cancel": "manager", "orders.set_address": "manager", "orders.release_pack_session": "manager",
    "orders.reserve_stock": "manager", "orders.recheck": "manager",
    "stations.save_devices": "manager",
    "stock.move": "packer", "stock.move_many": "packer", "stock.adjust": "manager",
    "users.add": "owner", "users.edit": "owner", "users.deactivate": "owner", "users.reactivate": "owner",
    "users.set_pin": "owner", "users.set_badge": "owner", "users.unlock": "owner", "users.issue_secret": "owner",
    "users.revoke_secrets": "owner",
    "site.set_ship_from": "owner", "site.set_weight_unit": "owner", "site.set_weight_tolerance": "owner",
    "site.set_order_review": "owner", "site.set_partial_shipments": "owner", "site.set_customs": "owner",
    "site.set_live_rate_timeout": "owner",
    "carriers.add_carrier": "owner", "carriers.add_service": "owner", "carriers.add_account": "owner",
    "carriers.add_range": "owner", "carriers.add_easypost": "owner", "carriers.set_api_key": "owner",
    "carriers.import_rates": "owner", "carriers.import_zones": "owner", "carriers.import_transit": "owner",
    "carriers.add_gateway_account": "owner", "carriers.edit_gateway_account": "owner",
    "carriers.test_connection": "owner",
    "carriers.set_insurance": "owner",
    "product_files.import_products": "manager",
    "products.create": "manager", "products.edit": "manager", "products.deactivate": "manager",
    "products.reactivate": "manager", "products.add_barcode": "manager", "products.remove_barcode": "manager",
    "products.set_components": "manager",
    "receiving.start": "packer", "receiving.scan": "packer", "receiving.undo": "packer", "receiving.close": "packer",
    "receiving.cancel": "packer", "receiving.create_po": "manager", "receiving.set_po_lines": "manager",
    "receiving.cancel_po": "manager", "receiving.import_purchase_orders": "manager",
    "bins.add": "owner", "bins.edit": "owner", "bins.deactivate": "owner", "bins.reactivate": "owner",
    "bins.import_bins": "owner", "labels.print_bin_labels": "packer", "labels.print_product_labels": "packer",
    "webhooks.receive": "manager",
    "integrations.add_channel": "owner", "integrations.edit_channel": "owner",
    "integrations.deactivate_channel": "owner", "integrations.reactivate_channel": "owner",
    "integrations.set_secret": "owner", "integrations.set_site_buffer": "owner",
    "integrations.set_product_buffer": "owner", "integrations.set_retry_limit": "owner",
    "integrations.sync": "manager", "integrations.deliver": "manager",
    "integrations.run_round": "manager", "integrations.retry": "manager", "integrations.retry_all": "manager",
    "integrations.reconcile_stock": "manager",
    "tracking.poll": "manager",
    "order_files.import_orders": "manager", "order_files.save_mapping": "manager",
    "order_files.delete_mapping": "manager",
    "picking.create": "packer", "picking.pick": "packer", "picking.short": "packer",
    "picking.create_wave": "manager", "picking.cancel": "manager",
    "returns.create": "manager", "returns.record_refund": "manager", "returns.receive": "packer",
    "returns.grade": "packer", "returns.cancel": "manager", "returns.close": "manager",
    "counts.set_rules": "owner", "counts.classify": "manager", "counts.create": "manager",
    "counts.count_bin": "packer", "counts.count_line": "packer", "counts.complete": "packer",
    "counts.approve": "manager", "counts.cancel": "manager", "counts.recount": "manager",
    "replenishment.create_purchase_orders": "manager",
    "slotting.propose": "manager", "slotting.accept": "manager", "slotting.accept_all": "manager",
    "slotting.reject": "manager",
    "reports.set_settings": "owner",
}


@dataclass
class Bench:
    """What the calls need: the app, a database, and packs opened on demand by the actor."""

    app: AppServices
    database: Database

    def pack(self, actor: Actor) -> int:
        return self.app.packing.start(actor, make_order(self.database, [("MUG-CER-350", 1)])).session_id


Call = Callable[[Bench, Actor], object]
CALLS: dict[str, Call] = {
    "packing.resume": lambda b, a: b.app.packing.resume(a),
    "packing.start": lambda b, a: b.app.packing.start(a, make_order(b.database, [("MUG-CER-350", 1)])),
    "packing.next_order": lambda b, a: b.app.packing.next_order(a),
    "packing.scan": lambda b, a: b.app.packing.scan(a, b.pack(a), "NOT-A-PRODUCT"),
    "packing.close_package": lambda b, a: b.app.packing.close_package(a, b.pack(a), Weighing(300)),
    "packing.cancel": lambda b, a: b.app.packing.cancel(a, b.pack(a)),
    "packing.heartbeat": lambda b, a: b.app.packing.heartbeat(a, b.pack(a)),
    "shipping.ship": lambda b, a: b.app.shipping.ship(a, b.pack(a), Weighing(300)),
    "shipping.reprint": lambda b, a: b.app.shipping.reprint(a),
    "shipping.record_printed_labels": lambda b, a: b.app.shipping.record_printed_labels(a),
    "shipping.print_slip": lambda b, a: b.app.shipping.print_slip(a, "NO-SUCH-ORDER"),
    "shipping.print_customs": lambda b, a: b.app.shipping.print_customs(a, "NO-SUCH-ORDER"),
    "shipping.void": lambda b, a: b.app.shipping.void(a, "NO-SUCH-TRACKING", "damaged"),
    "shipping.confirm_no_label": lambda b, a: b.app.shipping.confirm_no_label(a, "NO-SUCH-ORDER"),
    "manifests.close": lambda b, a: b.app.manifests.close(a, "no-such-carrier"),
    "manifests.attach_scan_form": lambda b, a: b.app.manifests.attach_scan_form(a, 999_999),
    "manifests.record_scan_form": lambda b, a: b.app.manifests.record_scan_form(a, 999_999, "sf_0123456789abcdef"),
    "orders.change_service": lambda b, a: b.app.orders.change_service(a, "NO-SUCH-ORDER", "ups/ground"),
    "orders.hold": lambda b, a: b.app.orders.hold(a, make_order(b.database, [("MUG-CER-350", 1)]), "Check address"),
    "orders.release": lambda b, a: b.app.orders.release(a, make_order(b.database, [("MUG-CER-350", 1)],
                                                                       hold="Payment under review")),
    "orders.cancel": lambda b, a: b.app.orders.cancel(a, make_order(b.database, [("MUG-CER-350", 1)]), "Cancelled"),
    "orders.release_pack_session": lambda b, a: b.app.orders.release_pack_session(a, "NO-SUCH-ORDER"),
    "orders.reserve_stock": lambda b, a: b.app.orders.reserve_stock(a, ["NO-SUCH-ORDER"]),
    "orders.recheck": lambda b, a: b.app.orders.recheck(a, "NO-SUCH-ORDER"),
    "orders.set_address": lambda b, a: b.app.orders.set_address(a, make_order(b.database, [("MUG-CER-350", 1)]),
                                                                 Address("Pat Doe", "2 Main St", "Springfield",
                                                                         "62704", "US", region="IL")),
    "stations.save_devices": lambda b, a: b.app.stations.save_devices(a, StationSettings(station_name="PACK-T"),
                                                                       DeviceSettings()),
    "stock.move": lambda b, a: b.app.stock.move(a, "MUG-CER-350", "NO-SUCH-BIN", "A-01-1", 1),
    "stock.move_many": lambda b, a: b.app.stock.move_many(a, "NO-SUCH-BIN", "A-01-1", [MoveItem("MUG-CER-350", 1)]),
    "stock.adjust": lambda b, a: b.app.stock.adjust(a, "MUG-CER-350", "NO-SUCH-BIN", "counted", set_to=1),
    "users.add": lambda b, a: b.app.users.add(a, NewUser(f"new-{a.username}", "New Person", "packer", "2468")),
    "users.edit": lambda b, a: b.app.users.edit(a, "packer2", full_name="Sam Second"),
    "users.deactivate": lambda b, a: b.app.users.deactivate(a, "packer2"),
    "users.reactivate": lambda b, a: b.app.users.reactivate(a, "packer2"),
    "users.set_pin": lambda b, a: b.app.users.set_pin(a, "packer2", "4444"),
    "users.set_badge": lambda b, a: b.app.users.set_badge(a, "packer2", "BADGE-0004"),
    "users.unlock": lambda b, a: b.app.users.unlock(a, "packer2"),
    "users.issue_secret": lambda b, a: b.app.users.issue_secret(a, "packer2", "matrix"),
    "users.revoke_secrets": lambda b, a: b.app.users.revoke_secrets(a, "packer2"),
    "site.set_ship_from": lambda b, a: b.app.site.set_ship_from(a, Address("Shop", "1 Main St", "Columbus", "43219",
                                                                           "US", region="OH")),
    "site.set_weight_unit": lambda b, a: b.app.site.set_weight_unit(a, "kg"),
    "site.set_weight_tolerance": lambda b, a: b.app.site.set_weight_tolerance(a, 50, 5.0),
    "site.set_order_review": lambda b, a: b.app.site.set_order_review(a, OrderReview(max_units_per_sku=50)),
    "site.set_partial_shipments": lambda b, a: b.app.site.set_partial_shipments(a, True),
    "site.set_customs": lambda b, a: b.app.site.set_customs(a, CustomsTerms(incoterm="DDP", signer="A. Owner")),
    "site.set_live_rate_timeout": lambda b, a: b.app.site.set_live_rate_timeout(a, 3),
    "carriers.add_carrier": lambda b, a: b.app.carriers.add_carrier(a, f"zz-{a.role.value}", "ZZ Parcel"),
    "carriers.add_service": lambda b, a: b.app.carriers.add_service(a, NewService("nope/ground", "Nope", "03")),
    "carriers.add_account": lambda b, a: b.app.carriers.add_account(a, NewAccount("nope", "0W1X23", "Nope")),
    "carriers.add_range": lambda b, a: b.app.carriers.add_range(a, "nope/0W1X23", NewRange("ups", 1, 9)),
    "carriers.add_easypost": lambda b, a: b.app.carriers.add_easypost(a, NewEasyPost("ep-x", "X", "USPS", ())),
    "carriers.set_api_key": lambda b, a: b.app.carriers.set_api_key(a, "nope/1", "EZAK0123"),
    "carriers.import_rates": lambda b, a: b.app.carriers.import_rates(a, "nope/ground", b"weight_lb,Zone 2\n1,8.42\n"),
    "carriers.import_zones": lambda b, a: b.app.carriers.import_zones(a, "nope", b"origin,dest_from,dest_to,zone\n"),
    "carriers.import_transit": lambda b, a: b.app.carriers.import_transit(a, "nope/ground", b"zone,days\n2,1\n"),
    "carriers.add_gateway_account": lambda b, a: b.app.carriers.add_gateway_account(
        a, NewGatewayAccount("karrio", "nope", "Nope", "1")),
    "carriers.edit_gateway_account": lambda b, a: b.app.carriers.edit_gateway_account(
        a, "nope/1", AccountChanges(name="x")),
    "carriers.test_connection": lambda b, a: b.app.carriers.test_connection(a, "nope/1"),
    "carriers.set_insurance": lambda b, a: b.app.carriers.set_insurance(a, "courier/NO-SUCH", True, 100),
    "product_files.import_products": lambda b, a: b.app.product_files.import_products(a, b"sku,name\nRM-1,Matrix\n"),
    "products.create": lambda b, a: b.app.products.create(a, ProductFields(f"RM-{a.role.value}", "Matrix")),
    "products.edit": lambda b, a: b.app.products.edit(a, "MUG-ENA-300", ProductChanges(weight_g=191)),
    "products.deactivate": lambda b, a: b.app.products.deactivate(a, "NO-SUCH-SKU"),
    "products.reactivate": lambda b, a: b.app.products.reactivate(a, "NO-SUCH-SKU"),
    "products.add_barcode": lambda b, a: b.app.products.add_barcode(a, "NO-SUCH-SKU", "012345678905"),
    "products.remove_barcode": lambda b, a: b.app.products.remove_barcode(a, "NO-SUCH-SKU", "012345678905"),
    "products.set_components": lambda b, a: b.app.products.set_components(a, "NO-SUCH-SKU", [("MUG-ENA-300", 1)]),
    "receiving.start": lambda b, a: b.app.receiving.start(a, supplier="Matrix Supplies"),
    "receiving.scan": lambda b, a: b.app.receiving.scan(a, "NO-SUCH-RECEIPT", "A-01-1"),
    "receiving.undo": lambda b, a: b.app.receiving.undo(a, "NO-SUCH-RECEIPT"),
    "receiving.close": lambda b, a: b.app.receiving.close(a, "NO-SUCH-RECEIPT"),
    "receiving.cancel": lambda b, a: b.app.receiving.cancel(a, "NO-SUCH-RECEIPT"),
    "receiving.create_po": lambda b, a: b.app.receiving.create_po(a, NewPurchaseOrder(
        "Matrix Supplies", (ExpectedLine("MUG-CER-350", 2),))),
    "receiving.set_po_lines": lambda b, a: b.app.receiving.set_po_lines(a, "NO-SUCH-PO",
                                                                         [ExpectedLine("MUG-CER-350", 1)]),
    "receiving.cancel_po": lambda b, a: b.app.receiving.cancel_po(a, "NO-SUCH-PO"),
    "receiving.import_purchase_orders": lambda b, a: b.app.receiving.import_purchase_orders(
        a, read_csv_bytes(b"po_number,supplier,sku,quantity\nPO-M1,Matrix,MUG-CER-350,1\n"), dry_run=True),
    "bins.add": lambda b, a: b.app.bins.add(a, BinFields(f"M-{a.role.value}", zone="M")),
    "bins.edit": lambda b, a: b.app.bins.edit(a, "RET-01", BinFields("RET-01", zone="DOCK", kind="returns")),
    "bins.deactivate": lambda b, a: b.app.bins.deactivate(a, "QUAR-01"),
    "bins.reactivate": lambda b, a: b.app.bins.reactivate(a, "QUAR-01"),
    "bins.import_bins": lambda b, a: b.app.bins.import_bins(a, f"code,zone\nM-IMP-{a.role.value},M\n".encode()),
    "labels.print_bin_labels": lambda b, a: b.app.labels.print_bin_labels(a, ["A-01-1"]),
    "labels.print_product_labels": lambda b, a: b.app.labels.print_product_labels(a, "MUG-CER-350"),
    "webhooks.receive": lambda b, a: b.app.webhooks.receive(a, Delivery("woocommerce", "matrix", f"m-{a.role.value}",
                                                                        "action.woocommerce_x", ())),
    "integrations.add_channel": lambda b, a: b.app.integrations.add_channel(a, ChannelFields(f"m-{a.role.value}",
                                                                                             "file")),
    "integrations.edit_channel": lambda b, a: b.app.integrations.edit_channel(a, "nope", ChannelChanges()),
    "integrations.deactivate_channel": lambda b, a: b.app.integrations.deactivate_channel(a, "nope"),
    "integrations.reactivate_channel": lambda b, a: b.app.integrations.reactivate_channel(a, "nope"),
    "integrations.set_secret": lambda b, a: b.app.integrations.set_secret(a, "nope", "token", "shpat_x"),
    "integrations.set_site_buffer": lambda b, a: b.app.integrations.set_site_buffer(a, 1),
    "integrations.set_product_buffer": lambda b, a: b.app.integrations.set_product_buffer(a, "MUG-ENA-300", 1),
    "integrations.set_retry_limit": lambda b, a: b.app.integrations.set_retry_limit(a, 8),
    "integrations.sync": lambda b, a: b.app.integrations.sync(a),
    "tracking.poll": lambda b, a: b.app.tracking.poll(a),
    "integrations.deliver": lambda b, a: b.app.integrations.deliver(a),
    "integrations.run_round": lambda b, a: b.app.integrations.run_round(a),
    "integrations.retry": lambda b, a: b.app.integrations.retry(a, 999_999),
    "integrations.retry_all": lambda b, a: b.app.integrations.retry_all(a, "nope"),
    "integrations.reconcile_stock": lambda b, a: b.app.integrations.reconcile_stock(a, "nope"),
    "order_files.import_orders": lambda b, a: b.app.order_files.import_orders(
        a, b"order_id,sku,quantity,ship_to_country\nRM-O1,MUG-CER-350,1,US\n", dry_run=True),
    "order_files.save_mapping": lambda b, a: b.app.order_files.save_mapping(
        a, f"matrix-{a.role.value}", {"order_id": "Ref", "sku": "Item", "quantity": "Qty"}),
    "order_files.delete_mapping": lambda b, a: b.app.order_files.delete_mapping(a, "no-such-mapping"),
    "picking.create": lambda b, a: b.app.picking.create(a, ["NO-SUCH-ORDER"]),
    "picking.create_wave": lambda b, a: b.app.picking.create_wave(a, Wave.CARRIER, "no-such-carrier"),
    "picking.pick": lambda b, a: b.app.picking.pick(a, "NO-SUCH-LIST", "A-01-1", "MUG-CER-350"),
    "picking.short": lambda b, a: b.app.picking.short(a, "NO-SUCH-LIST", "A-01-1", "MUG-CER-350"),
    "picking.cancel": lambda b, a: b.app.picking.cancel(a, "NO-SUCH-LIST"),
    "returns.create": lambda b, a: b.app.returns.create(a, "NO-SUCH-ORDER", [NewRmaLine("MUG-CER-350", 1, "other")]),
    "returns.record_refund": lambda b, a: b.app.returns.record_refund(a, "NO-SUCH-ORDER"),
    "returns.cancel": lambda b, a: b.app.returns.cancel(a, "RMA-999999"),
    "returns.close": lambda b, a: b.app.returns.close(a, "RMA-999999"),
    "returns.receive": lambda b, a: b.app.returns.receive(a, "RMA-999999", "MUG-CER-350"),
    "returns.grade": lambda b, a: b.app.returns.grade(a, "RMA-999999", "MUG-CER-350", "like-new", "restock", "A-01-1"),
    "counts.set_rules": lambda b, a: b.app.counts.set_rules(a, CountRules()),
    "counts.classify": lambda b, a: b.app.counts.classify(a),
    "counts.create": lambda b, a: b.app.counts.create(a, bins=["A-01-1"]),
    "counts.count_bin": lambda b, a: b.app.counts.count_bin(a, "NO-SUCH-COUNT", "A-01-1", []),
    "counts.count_line": lambda b, a: b.app.counts.count_line(a, "NO-SUCH-COUNT", "A-01-1", "MUG-CER-350", 1),
    "counts.complete": lambda b, a: b.app.counts.complete(a, "NO-SUCH-COUNT"),
    "counts.approve": lambda b, a: b.app.counts.approve(a, "NO-SUCH-COUNT"),
    "counts.cancel": lambda b, a: b.app.counts.cancel(a, "NO-SUCH-COUNT"),
    "counts.recount": lambda b, a: b.app.counts.recount(a, "NO-SUCH-COUNT"),
    "replenishment.create_purchase_orders": lambda b, a: b.app.replenishment.create_purchase_orders(
        a, ["NO-SUCH-SKU"]),
    "slotting.propose": lambda b, a: b.app.slotting.propose(a, days=0),
    "slotting.accept": lambda b, a: b.app.slotting.accept(a, 999_999),
    "slotting.accept_all": lambda b, a: b.app.slotting.accept_all(a),
    "slotting.reject": lambda b, a: b.app.slotting.reject(a, 999_999),
    "reports.set_settings": lambda b, a: b.app.reports.set_settings(a, ReportSettings(time_zone="UTC")),
}


def mutating_use_cases() -> set[str]:
    found = set()
    for area, service in typing.get_type_hints(AppServices).items():
        if inspect.isclass(service):
            found |= {f"{area}.{name}" for name, method in inspect.getmembers(service, inspect.isfunction)
                      if use_case_of(method) is not None}
    return found


def test_every_mutating_use_case_is_in_the_matrix() -> None:
    assert mutating_use_cases() == set(LEAST_ROLE) == set(CALLS)


def _audit_rows(database: Database) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_what_its_rules_say(seeded_database: Database, role: str) -> None:
    check_matrix(seeded_database, role)


def check_matrix(database: Database, role: str) -> None:
    """Every call of ``CALLS`` as ``role`` over ``database`` (the demo warehouse): allowed or
    refused (``NotAllowed``, nothing audited) as ``LEAST_ROLE`` says. Any other exception (a
    database error, e.g. a permission the login lacks) fails the test."""
    seeded_database = database
    bench = Bench(app_for(seeded_database), seeded_database)
    actor = sign_in(bench.app, role)
    allowed_from = ROLES.index(role)
    outcomes: dict[str, str] = {}
    for name, call in sorted(CALLS.items()):
        expected = "allowed" if ROLES.index(LEAST_ROLE[name]) <= allowed_from else "refused"
        before = _audit_rows(seeded_database)
        try:
            call(bench, actor)
            outcome = "allowed"
        except NotAllowed:
            outcome = "refused"
            assert _audit_rows(seeded_database) == before, f"{name} refused {role} but wrote to the audit log"
        except Refused:
            outcome = "allowed"  # refused for its arguments, after the role check
        outcomes[name] = outcome
        assert outcome == expected, f"{name} as {role}: {outcome}, the rules say {expected}"
    assert len(outcomes) == len(LEAST_ROLE)
