"""``fulfilstation orders quote`` and ``orders set-service`` as a user runs them (real
processes, SQLite and PostgreSQL): the output is what ``rating.quote`` decides, and only a
manager (or owner) who proves who they are (PIN, badge or ``$FULFIL_PIN``) changes the
service; the audit log names them."""

from __future__ import annotations

import datetime as dt
import json
import re

from sqlalchemy import select

from fulfilstation.carriers.rating import Price, short_date
from fulfilstation.cli.service_commands import format_money
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Carrier, CarrierService, Order
from fulfilstation.services.orders.quotes import quote
from tests.db.test_cli import ROOT, cli, plain
from tests.db.test_rating import MUG_AND_SOAP, add_rule, order_for
from tests.support.warehouse import user_id

QUOTE_KEYS = {"number", "service", "service_name", "carrier_name", "price", "reason", "arrives", "deliver_by",
              "estimated", "parcels", "options"}
PRICE_KEYS = {"total_minor", "base_minor", "residential_minor", "fuel_minor", "currency", "billable_weight_g"}
OPTION_KEYS = {"service", "name", "price", "arrives", "meets_promise", "excluded_by"}


def requested_service(db: Database, number: str) -> str | None:
    """The order's requested service as ``carrier/service``, or None."""
    with db.unit_of_work() as session:
        row = session.execute(select(Carrier.code, CarrierService.code)
                              .select_from(Order)
                              .join(CarrierService, CarrierService.id == Order.requested_service_id)
                              .join(Carrier, Carrier.id == CarrierService.carrier_id)
                              .where(Order.number == number)).one_or_none()
    return f"{row[0]}/{row[1]}" if row else None


def service_changes(db: Database) -> list[AuditEntry]:
    with db.unit_of_work() as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "order.service_changed")
                                       .order_by(AuditEntry.id)))
        session.expunge_all()
    return entries


def test_money_is_written_as_people_read_it() -> None:
    assert format_money(Price(700, 0, 142, 842, "USD", 500)) == "$8.42"
    assert format_money(Price(123400, 0, 0, 123456, "USD", 500)) == "$1,234.56"
    assert format_money(Price(5, 0, 0, 5, "EUR", 500)) == "€0.05"
    assert format_money(Price(1250, 0, 0, 1250, "CHF", 500)) == "12.50 CHF"
    assert format_money(Price(1900, 0, 0, 1900, "JPY", 500)) == "¥1,900"  # no minor unit
    assert format_money(None) == "no rate"


def test_quote_shows_what_rating_decides(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    add_rule(db, "Fragile not overnight", 5, {"fragile": True, "exclude_services": ["fedex/overnight"]})
    number = order_for(db, MUG_AND_SOAP, deliver_by=dt.date.today() + dt.timedelta(days=2))
    result = cli("orders", "quote", number, "--db", url)
    assert result.returncode == 0, result.stderr
    expected = quote(db, number)
    assert expected.service == "courier/local" and expected.cost_minor == 1607  # as tests/db/test_rating.py
    out = result.stdout
    header = out.splitlines()[0]
    assert header == f"Order {number}: {expected.service_name} (courier/local), $16.07"
    assert f"Reason: {expected.reason}" in out
    assert "Estimated: yes" in out
    assert "Base $9.32 + residential $5.40 + fuel $1.35; billable weight 1025 g" in out
    table = [re.split(r"\s{2,}", line.strip()) for line in out.splitlines() if re.match(r"\s+(\*\s+)?[a-z]+/", line)]
    rows = {cells[-6]: cells for cells in table}
    assert list(rows) == [option.service for option in expected.options]
    for option in expected.options:
        chosen = ["*"] if option.service == expected.service else []
        arrives = f"{short_date(option.arrives)} {option.arrives.year}" if option.arrives else "-"
        assert rows[option.service] == [*chosen, option.service, option.name, format_money(option.price), arrives,
                                        "yes" if option.meets_promise else "no", option.excluded_by or "-"]
    assert sum(cells[0] == "*" for cells in table) == 1
    assert rows["fedex/overnight"][-1] == "Fragile not overnight"
    missing = cli("orders", "quote", "NOPE-1", "--db", url)
    assert missing.returncode == 1 and "There is no order 'NOPE-1'" in missing.stderr


def test_quote_json_has_the_documented_keys(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    number = order_for(db, MUG_AND_SOAP, deliver_by=dt.date.today() + dt.timedelta(days=10))
    result = cli("orders", "quote", number, "--json", "--db", url)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    expected = quote(db, number)
    assert set(data) == QUOTE_KEYS and set(data["price"]) == PRICE_KEYS
    assert (data["number"], data["service"], data["reason"], data["estimated"], data["parcels"]) == (
        number, expected.service, expected.reason, True, 1)
    assert data["price"] == {"total_minor": 1607, "base_minor": 932, "residential_minor": 540, "fuel_minor": 135,
                             "currency": "USD", "billable_weight_g": 1025}
    assert data["arrives"] == (expected.arrives.isoformat() if expected.arrives else None)
    assert data["deliver_by"] == (dt.date.today() + dt.timedelta(days=10)).isoformat()
    assert [option["service"] for option in data["options"]] == [option.service for option in expected.options]
    for option, wanted in zip(data["options"], expected.options, strict=True):
        assert set(option) == OPTION_KEYS
        assert option["price"] == (None if wanted.price is None else {
            "total_minor": wanted.price.total_minor, "base_minor": wanted.price.base_minor,
            "residential_minor": wanted.price.residential_minor, "fuel_minor": wanted.price.fuel_minor,
            "currency": wanted.price.currency, "billable_weight_g": wanted.price.billable_weight_g})
        assert (option["meets_promise"], option["excluded_by"]) == (wanted.meets_promise, wanted.excluded_by)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### `orders quote --json`"):]
    section = section[:section.index("\n## ")]
    for key in QUOTE_KEYS | PRICE_KEYS | OPTION_KEYS:
        assert re.search(rf"`[^`]*\b{key}\b[^`]*`", section), f"{key} is not documented in README.md"


def test_a_manager_changes_the_service_with_pin_or_badge(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    number = order_for(db, MUG_AND_SOAP)
    assert requested_service(db, number) is None
    result = cli("orders", "set-service", number, "usps/priority", "--manager", "manager", "--pin", "2222",
                 "--db", url)
    assert result.returncode == 0, result.stderr
    now = quote(db, number)
    assert now.service == "usps/priority" and requested_service(db, number) == "usps/priority"
    assert f"now ships by USPS Priority Mail (usps/priority): {format_money(now.price)}" in result.stdout
    assert format_money(now.price) == "$23.67"
    by_badge = cli("orders", "set-service", number, "ups/ground", "--manager", "owner", "--badge", "BADGE-0003",
                   "--db", url)
    assert by_badge.returncode == 0, by_badge.stderr
    assert requested_service(db, number) == "ups/ground" and "(ups/ground)" in by_badge.stdout
    first, second = service_changes(db)
    assert (first.user_id, first.details) == (user_id(db, "manager"), {
        "order": number, "from": "courier/local", "to": "usps/priority", "price_minor": 2367, "by": "manager",
        "via": "pin"})
    assert (second.user_id, second.details["from"], second.details["to"], second.details["by"],
            second.details["via"]) == (user_id(db, "owner"), "usps/priority", "ups/ground", "owner", "badge")
    from_env = cli("orders", "set-service", number, "usps/priority", "--user", "manager", "--db", url,
                   env={"FULFIL_PIN": "2222"})  # the PIN from the environment, for scripts
    assert from_env.returncode == 0, from_env.stderr
    assert requested_service(db, number) == "usps/priority" and service_changes(db)[-1].user_id == user_id(
        db, "manager")


def test_only_a_signed_in_manager_may_change_it(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    number = order_for(db, MUG_AND_SOAP, service="usps/ground-advantage")

    def attempt(*proof: str) -> tuple[int, str]:
        result = cli("orders", "set-service", number, "usps/priority", *proof, "--db", url)
        return result.returncode, result.stderr

    code, err = attempt("--manager", "packer", "--pin", "1111")
    assert code == 1 and "Pat Packer is a packer: only a manager or an owner can change an order's shipping " \
        "service." in err
    code, err = attempt("--user", "packer", "--badge", "BADGE-0001")  # --user is the same as --manager
    assert code == 1 and "only a manager or an owner can change an order's shipping service" in err
    code, err = attempt("--manager", "manager", "--pin", "1111")
    assert code == 1 and "Wrong PIN" in err
    code, err = attempt("--manager", "manager", "--badge", "BADGE-0001")  # the packer's badge
    assert code == 1 and "not manager's" in err
    code, err = attempt("--manager", "manager")  # no PIN, and no terminal to ask on
    assert code == 2 and "needs a PIN: give --pin, set $FULFIL_PIN" in err
    code, err = attempt()  # nobody at all
    assert code == 2 and "sign in with --user NAME and --pin PIN" in err
    code, err = attempt("--manager", "nobody", "--pin", "2222")
    assert code == 1 and "no active user called 'nobody'" in err
    assert requested_service(db, number) == "usps/ground-advantage"
    assert service_changes(db) == []


def test_an_unknown_service_lists_the_known_ones(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    number = order_for(db, MUG_AND_SOAP)
    result = cli("orders", "set-service", number, "usps/nope", "--manager", "manager", "--pin", "2222", "--db", url)
    assert result.returncode == 1 and "There is no service 'usps/nope'." in result.stderr
    with db.unit_of_work() as session:
        known = [f"{carrier}/{service}" for carrier, service in session.execute(
            select(Carrier.code, CarrierService.code).join(CarrierService, CarrierService.carrier_id == Carrier.id)
            .where(CarrierService.active.is_(True)))]
    assert len(known) >= 9 and all(key in result.stderr for key in known)
    assert requested_service(db, number) is None and service_changes(db) == []
