"""Use cases report what they changed (both engines): the tables their committed
transactions touched reach ``app.changes`` subscribers; refusals and queries report nothing."""

from __future__ import annotations

import pytest

from fulfilstation.db.database import Database
from fulfilstation.services.changes import Changes
from fulfilstation.services.packing import Weighing
from fulfilstation.services.refused import Refused
from tests.support.app import app_for, sign_in
from tests.support.warehouse import make_order


def test_each_use_case_reports_the_tables_it_changed(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    heard: list[Changes] = []
    app.changes.subscribe(heard.append)
    owner, packer = sign_in(app, "owner"), sign_in(app, "packer")
    assert heard == []  # signing in is not a use case
    app.site.set_weight_unit(owner, "kg")
    assert heard[-1].tables == {"site_settings", "audit_log"}
    assert heard[-1].use_case == "SiteService.set_weight_unit" and heard[-1].username == "owner"
    app.site.settings()
    app.orders.list()
    assert len(heard) == 1  # queries change nothing
    with pytest.raises(Refused):
        app.site.set_weight_unit(packer, "lb")
    with pytest.raises(Refused):
        app.site.set_weight_tolerance(owner, 99_999, 5)
    assert len(heard) == 1  # refusals change nothing
    view = app.packing.start(packer, make_order(seeded_database, [("MUG-CER-350", 1)]))
    assert heard[-1].touches("orders", "pack_sessions") and not heard[-1].touches("shipments")
    app.packing.scan(packer, view.session_id, "NOT-A-PRODUCT")
    assert heard[-1].tables == {"pack_sessions", "scan_events"}
    with pytest.raises(Refused):
        app.shipping.ship(packer, view.session_id, Weighing(500))  # not everything scanned: nothing shipped
    assert heard[-1].use_case == "PackingService.scan"


def test_a_failing_listener_does_not_undo_or_stop_the_use_case(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    heard: list[Changes] = []

    def broken(_changes: Changes) -> None:
        raise RuntimeError("a window that went away")

    app.changes.subscribe(broken)
    unsubscribe = app.changes.subscribe(heard.append)
    owner = sign_in(app, "owner")
    assert app.site.set_weight_unit(owner, "lb")["weight"] == "lb"
    assert len(heard) == 1
    unsubscribe()
    app.site.set_weight_unit(owner, "kg")
    assert len(heard) == 1 and app.site.weight_unit() == "kg"
