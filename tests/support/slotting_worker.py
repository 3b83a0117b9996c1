"""A manager at a station in its own process accepting a slotting proposal, for the
slotting race test (importable by spawn). It waits for the others at the barrier, then
accepts; it returns "accepted", the refusal's code, or the unexpected error as text."""

from __future__ import annotations

from multiprocessing.synchronize import Barrier

from fulfilstation.db.database import Database
from fulfilstation.db.url import parse_url
from fulfilstation.services.slotting import SlottingRefused
from tests.support.app import app_for, sign_in


def accept_proposal(url: str, station: str, move_id: int, barrier: Barrier) -> str:
    database = Database.connect(parse_url(url))
    app = app_for(database, station=station)
    actor = sign_in(app, "manager")
    barrier.wait(timeout=60)
    try:
        app.slotting.accept(actor, move_id)
        return "accepted"
    except SlottingRefused as refused:
        return str(refused.code)
    except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
        return f"{type(exc).__name__}: {exc}"
    finally:
        database.dispose()
