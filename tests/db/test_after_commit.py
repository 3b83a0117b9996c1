"""After the commit, the truth (issue #10, point 5; both engines, real TCP label printer).

The database is made to go away after the ship transaction committed — an engine event
raises the driver's OperationalError for every statement from then on ("down"), or only
for the print-state UPDATE. The packer is told the shipment is recorded and whether the
label printed, never the words of a ship that saved nothing; a printed label is kept in
this PC's print journal, recorded once when the database is back (also by a new process),
and never printed again."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from drivers.printer import open_label_printer
from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation import paths
from fulfilstation.cli.pack_command import DATABASE_LOST, _report
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Order, Shipment
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.packing import Weighing
from tests.support.app import app_for, sign_in
from tests.support.warehouse import expected_weight, make_order, unit_barcode


@dataclass
class Outage:
    """Makes ``db`` go away: for every statement once ``down``, or for the print-state
    UPDATE of shipments only (``print_state``); ``after_ship`` goes down at the commit of
    the transaction that inserted a shipment."""

    down: bool = False
    print_state: bool = False
    after_ship: bool = False
    _shipment_inserted: bool = False

    def install(self, db: Database) -> None:
        event.listen(db.engine, "before_cursor_execute", self._before)
        event.listen(db.engine, "commit", self._commit)

    def _before(self, _conn: Any, _cursor: Any, statement: str, params: Any, _context: Any, _many: bool) -> None:
        sql = " ".join(statement.split()).upper()
        if self.down or (self.print_state and sql.startswith("UPDATE SHIPMENTS SET STATUS")):
            raise OperationalError(statement, params, ConnectionError("server closed the connection unexpectedly"))
        if self.after_ship and sql.startswith("INSERT INTO SHIPMENTS"):
            self._shipment_inserted = True

    def _commit(self, _conn: Any) -> None:
        if self._shipment_inserted:
            self.down, self._shipment_inserted = True, False


@pytest.fixture
def printer() -> Iterator[ZplPrinterSimulator]:
    with ZplPrinterSimulator() as simulator:
        yield simulator


def printing_app(db: Database, printer: ZplPrinterSimulator) -> AppServices:
    return app_for(db, label=open_label_printer(printer.uri))  # type: ignore[arg-type]


def packed(app: AppServices, packer: Actor) -> tuple[str, int]:
    db = app.packing.database
    number = make_order(db, [("MUG-CER-350", 1)])
    session_id = app.packing.start(packer, number).session_id
    assert app.packing.scan(packer, session_id, unit_barcode(db, "MUG-CER-350")).accepted
    return number, session_id


def shipment_of(db: Database, number: str) -> Shipment:
    with db.unit_of_work() as session:
        shipment = session.scalars(select(Shipment).join(Order).where(Order.number == number)).one()
        session.expunge(shipment)
    return shipment


def recorded_prints(db: Database) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)
                                  .where(AuditEntry.action == "shipment.print_recorded")) or 0)


def journal_files() -> list[Path]:
    return sorted(paths.journal_dir().glob("printed-labels-*.json"))


def test_printed_then_the_database_went_away(seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    outage = Outage()
    outage.install(db)
    app = printing_app(db, printer)
    packer = sign_in(app)
    number, session_id = packed(app, packer)
    outage.print_state = True
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    outage.print_state = False
    [tracking] = outcome.tracking_numbers
    assert outcome.printed and outcome.database_lost
    assert outcome.problem is not None and outcome.problem.startswith(
        f"Shipped {number} as {tracking}; the label was printed; the database went away before that was recorded.")
    assert tracking.encode() in printer.wait_for_jobs(1)[0]
    assert shipment_of(db, number).status == "label-pending"  # the database did not hear of the print
    assert len(journal_files()) == 1

    restarted = printing_app(db, printer)  # the window restarted: only the journal on disk remembers
    again = sign_in(restarted)
    assert restarted.shipping.record_printed_labels(again) == 1
    shipment = shipment_of(db, number)
    assert shipment.status == "printed" and shipment.printed_at is not None
    assert restarted.shipping.record_printed_labels(again) == 0  # once
    assert recorded_prints(db) == 1 and journal_files() == []
    assert len(printer.jobs) == 1  # never printed again


def test_a_blind_retry_records_instead_of_printing_again(seeded_database: Database,
                                                         printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    outage = Outage()
    outage.install(db)
    app = printing_app(db, printer)
    packer = sign_in(app)
    number, session_id = packed(app, packer)
    outage.print_state = True
    assert app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id))).database_lost
    outage.print_state = False
    printer.wait_for_jobs(1)
    retried = app.shipping.reprint(packer, number)  # the label-pending list's retry, before the journal replays
    assert retried is not None and retried.printed
    assert len(printer.jobs) == 1 and shipment_of(db, number).status == "printed" and recorded_prints(db) == 1
    assert journal_files() == []
    app.shipping.reprint(packer, number)  # asked for again once recorded: a real reprint
    assert len(printer.wait_for_jobs(2)) == 2


def test_nothing_printed_then_the_database_went_away(seeded_database: Database,
                                                     printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    outage = Outage()
    outage.install(db)
    app = printing_app(db, printer)
    packer = sign_in(app)
    number, session_id = packed(app, packer)
    outage.after_ship = True
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    outage.down = outage.after_ship = False
    assert not outcome.printed and outcome.database_lost and printer.jobs == []
    assert outcome.problem is not None and "; the label was not printed; the database went away before that was " \
        "recorded." in outcome.problem and outcome.problem.startswith("Shipped (shipment ")
    assert shipment_of(db, number).status == "label-pending" and journal_files() == []


def test_nothing_saved_is_told_differently(seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    outage = Outage()
    outage.install(db)
    app = printing_app(db, printer)
    packer = sign_in(app)
    _number, session_id = packed(app, packer)
    outage.down = True
    with pytest.raises(OperationalError):  # said as "Cannot reach the database …" by the window and the CLI
        app.shipping.ship(packer, session_id, Weighing(300))
    outage.down = False
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Shipment)) == 0


def test_the_pack_command_says_it_and_exits_4(seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    outage = Outage()
    outage.install(db)
    app = printing_app(db, printer)
    packer = sign_in(app)
    number, session_id = packed(app, packer)
    outage.print_state = True
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    outage.print_state = False
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert _report(outcome) == DATABASE_LOST
    assert out.getvalue().split() == list(outcome.tracking_numbers)
    lines = err.getvalue().splitlines()
    assert lines[0] == outcome.problem and lines[1].endswith(f"fulfilstation shipments slip {number}")


def test_the_replay_leaves_a_print_still_recording_alone(seeded_database: Database,
                                                         printer: ZplPrinterSimulator) -> None:
    """A label just journaled by a print of this process that is still recording it is that
    print's to settle: the background replay skips it (no second audit entry)."""
    from fulfilstation.services.shipping.print_journal import PrintJournal

    db = seeded_database
    outage = Outage()
    outage.install(db)
    app = printing_app(db, printer)
    packer = sign_in(app)
    number, session_id = packed(app, packer)
    outage.print_state = True
    app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    outage.print_state = False
    [path] = journal_files()
    journal = PrintJournal(path.parent, path.stem.removeprefix("printed-labels-"))
    [label] = journal.entries()
    journal.add(label)  # as print_shipment does, right before it records the print itself
    assert app.shipping.record_printed_labels(packer) == 0 and shipment_of(db, number).status == "label-pending"
    journal.settle(label.shipment_id, recorded=False)  # its database went away: the replay's now
    assert app.shipping.record_printed_labels(packer) == 1 and shipment_of(db, number).status == "printed"
