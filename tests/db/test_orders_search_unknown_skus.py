"""Searching by SKU finds orders whose line of that SKU is unknown to the catalogue (kept in
``orders.unmatched_lines``), on SQLite and PostgreSQL, by the app and by ``fulfilstation
orders search``: part of the SKU, any case; quotes, backslashes, accents and ``%`` in a SKU
are matched as typed; the JSON's keys and other values never match; a stored value that is
not a list of lines matches nothing and breaks nothing."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import null, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order
from tests.db.test_cli import cli, plain
from tests.support.app import app_for
from tests.support.warehouse import make_order


def set_unmatched(db: Database, number: str, value: Any) -> None:
    with db.unit_of_work() as session:
        session.execute(update(Order).where(Order.number == number).values(unmatched_lines=value))


def line(sku: str, line_no: int = 2) -> dict[str, Any]:
    return {"line_no": line_no, "sku": sku, "name": "Mystery Box", "quantity": 1, "unit_price_minor": 1490}


def test_an_unknown_skus_order_is_found_by_its_sku(seeded_database: Database) -> None:
    db = seeded_database
    orders = app_for(db).orders
    mystery = make_order(db, [("MUG-CER-350", 1)])
    set_unmatched(db, mystery, [line("MYSTERY-BOX")])
    odd = make_order(db, [("MUG-CER-350", 1)])
    set_unmatched(db, odd, [line("NOTE-A5"), line('CAFÉ-"Q"\\7', 3), line("HALF%OFF", 4)])
    strays = make_order(db, [("MUG-CER-350", 1)])
    set_unmatched(db, strays, ["MYSTERY-BOX", 5, None, {"name": "no sku"}])  # not lines: match nothing
    json_null = make_order(db, [("MUG-CER-350", 1)])
    set_unmatched(db, json_null, None)  # JSON null (the column's own None)
    sql_null = make_order(db, [("MUG-CER-350", 1)])
    set_unmatched(db, sql_null, null())

    def found(text: str) -> set[str]:
        return {summary.number for summary in orders.search(text, limit=5000)}

    assert found("MYSTERY-BOX") == {mystery}
    assert found("  stery-b ") == {mystery}  # part of it, any case
    assert found('CAFÉ-"Q"\\7') == {odd} and found('É-"Q"\\') == {odd}  # as typed: not as JSON escapes it
    assert found("half%off") == {odd} and mystery not in found("%")  # % is a character, not a wildcard
    assert found("note-a5") == {odd}
    for key_or_value in ('"sku"', "unit_price_minor", "line_no", "1490", "Mystery Box"):
        assert not found(key_or_value) & {mystery, odd, strays, json_null, sql_null}, key_or_value
    assert found("MUG-CER-350") >= {mystery, odd, strays, json_null, sql_null}  # known lines still match


def test_the_cli_finds_it_too(seeded_database: Database) -> None:
    db = seeded_database
    number = make_order(db, [("MUG-CER-350", 1)])
    set_unmatched(db, number, [line("GIFT-WRAP-XL")])
    result = cli("orders", "search", "gift-wrap", "--json", "--db", plain(db.engine.url))
    assert result.returncode == 0, result.stderr
    assert [row["number"] for row in json.loads(result.stdout)] == [number]
