"""A light parcel's expected range never includes an empty scale (SQLite and PostgreSQL):
the demo's SO-10043 — a USB-C cable in a poly mailer, 50 g, with the demo's 60 g
tolerance — used to be expected from 0 g."""

from __future__ import annotations

from fulfilstation.db.database import Database
from fulfilstation.services.packing import PackRefused, Refusal, Weighing
from tests.support.app import app_for, sign_in
from tests.support.warehouse import make_order, scan_units


def test_a_cable_in_a_mailer_is_expected_from_one_gram_not_zero(seeded_database: Database) -> None:
    db = seeded_database
    number = make_order(db, [("CBL-USBC-1M", 1)])
    app = app_for(db)
    packer = sign_in(app)
    expected = app.orders.show(number).expected_weight_g
    assert expected is not None and expected["min"] >= 1
    session_id = app.packing.start(packer, number).session_id
    view = scan_units(app, packer, session_id, [("CBL-USBC-1M", 1)])
    assert view.expected_g is not None and view.expected_g < 60  # lighter than the site's 60 g allowance
    assert view.expected_min_g is not None and view.expected_min_g >= 1
    try:
        app.shipping.ship(packer, session_id, Weighing(0, stable=True))
    except PackRefused as refused:
        assert refused.code is Refusal.WEIGHT_UNDER and "nothing is on it" in refused.message
    else:
        raise AssertionError("an empty scale shipped")
