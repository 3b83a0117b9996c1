"""A receiving station in its own process, for the receiving concurrency tests (importable by spawn).

Each process is one station: its own ``AppServices``, the packer signed in there, every
scan and close through the use cases."""

from __future__ import annotations

from multiprocessing.synchronize import Barrier

from fulfilstation.db.database import Database
from fulfilstation.db.url import parse_url
from fulfilstation.services.receiving import ReceivingCursor
from fulfilstation.services.refused import Refused
from tests.support.app import app_for, sign_in


def close_receipt(url: str, station: str, number: str, barrier: Barrier) -> str:
    """Close ``number`` the moment every station is ready: "closed:<units>" or the refusal code."""
    database = Database.connect(parse_url(url))
    app = app_for(database, station=station)
    packer = sign_in(app, "packer")
    barrier.wait(timeout=60)
    try:
        return f"closed:{app.receiving.close(packer, number).units}"
    except Refused as refused:
        return str(refused.code)
    finally:
        database.dispose()


def scan_then_close(url: str, station: str, supplier: str, bin_code: str, code: str, units: int,
                    barrier: Barrier) -> str:
    """An ad hoc receipt of ``units`` scans of ``code`` into ``bin_code``, closed when every station is ready."""
    database = Database.connect(parse_url(url))
    app = app_for(database, station=station)
    packer = sign_in(app, "packer")
    number = app.receiving.start(packer, supplier=supplier, bin=bin_code).number
    cursor = None
    for _unit in range(units):
        outcome = app.receiving.scan(packer, number, code, cursor)
        assert outcome.accepted, outcome.message
        cursor = outcome.cursor
    barrier.wait(timeout=60)
    closed = app.receiving.close(packer, number)
    database.dispose()
    return f"{number}:{closed.units}"


def scan_until_closed(url: str, station: str, number: str, bin_code: str, code: str, barrier: Barrier,
                      close_after: int | None) -> tuple[int, str]:
    """Scan ``code`` into ``number`` until it is closed (by this station after ``close_after``
    accepted scans, or by another): (units accepted, how it ended)."""
    database = Database.connect(parse_url(url))
    app = app_for(database, station=station)
    packer = sign_in(app, "packer")
    cursor = ReceivingCursor(number, bin=bin_code)
    accepted = 0
    barrier.wait(timeout=60)
    ended = "limit"
    for _scan in range(400):
        if close_after is not None and accepted >= close_after:
            try:
                app.receiving.close(packer, number)
                ended = "closed"
            except Refused as refused:
                ended = str(refused.code)
            break
        try:
            outcome = app.receiving.scan(packer, number, code, cursor)
        except Refused as refused:
            ended = str(refused.code)
            break
        assert outcome.accepted, outcome.message
        accepted += outcome.quantity
    database.dispose()
    return accepted, ended
