"""One pass of the tracking poller: ask each carrier about its due shipments, record what it
says.

Steps: (1) one short transaction reads the due shipments (``due``), by carrier account; (2)
per account, its tracker is built (``Ports.carrier_trackers``: keyring, no database; an
account whose gateway cannot track is skipped, its shipments not claimed); (3) per batch of
``BATCH`` numbers: a short transaction claims them (``due.claim``, a conditional UPDATE) and
sets their promised day (``promise``); the carrier is asked outside any transaction; a short
transaction records each answer (``record``). A carrier's failure (``CarrierProblem``, or any
error of its SDK) ends that account's part of the pass with its words in the result — never
the pass, never another account's — and its claimed shipments are asked again after
``TRACK_EVERY``.

Threading: blocking (database, keyring, network); call from worker threads, the CLI or a job.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from fulfilstation.carriers.gateway import CarrierProblem
from fulfilstation.carriers.trackers import TrackedAccount, TrackerFactory, Tracks
from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database
from fulfilstation.services.tracking.due import DueShipment, claim, due_by_account
from fulfilstation.services.tracking.promise import set_promises
from fulfilstation.services.tracking.record import record_status
from fulfilstation.services.tracking.views import AccountPoll, TrackingPoll

log = logging.getLogger(__name__)

BATCH = 50  # numbers per carrier call
LIMIT = 1_000  # shipments per pass (the rest in the next)


def poll(database: Database, make: TrackerFactory, secrets: SecretStore, now: Callable[[], dt.datetime],
         limit: int = LIMIT) -> TrackingPoll:
    started = now()
    with database.unit_of_work() as session:
        due = due_by_account(session, started, limit)
    accounts, added, updated, delivered = [], 0, 0, 0
    for account, shipments in due:
        try:
            tracker = make(account, secrets)
        except Exception as exc:  # noqa: BLE001 - a carrier's trouble is said, never a crash of the pass
            accounts.append(AccountPoll(account.name, 0, 0, _words(exc)))
            continue
        if tracker is None:
            continue
        part = _poll_account(database, account, tracker, shipments, now)
        accounts.append(part[0])
        added, updated, delivered = added + part[1], updated + part[2], delivered + part[3]
    return TrackingPoll(started, tuple(accounts), added, updated, delivered)


def _poll_account(database: Database, account: TrackedAccount, tracker: Tracks, shipments: list[DueShipment],
                  now: Callable[[], dt.datetime]) -> tuple[AccountPoll, int, int, int]:
    asked = answered = added = updated = delivered = 0
    for start in range(0, len(shipments), BATCH):
        with database.unit_of_work() as session:
            batch = claim(session, shipments[start:start + BATCH], now())
            set_promises(session, [s.id for s in batch])
        if not batch:
            continue
        asked += len(batch)
        by_number = {s.tracking_number: s.id for s in batch}
        try:
            statuses = list(tracker.track(list(by_number)))
        except Exception as exc:  # noqa: BLE001 - CarrierProblem, or an SDK's own error: said, not raised
            return AccountPoll(account.name, asked, answered, _words(exc)), added, updated, delivered
        with database.unit_of_work() as session:
            for status in statuses:
                shipment_id = by_number.get(status.tracking_number)
                if shipment_id is None:
                    continue  # an answer for a number not asked: ignored
                answered += 1
                done = record_status(session, shipment_id, status)
                added += done.events_added
                updated += done.updated
                delivered += done.delivered
    return AccountPoll(account.name, asked, answered), added, updated, delivered


def _words(exc: BaseException) -> str:
    if isinstance(exc, CarrierProblem):
        return exc.message + (f" (the carrier said: {exc.carrier_text})" if exc.carrier_text else "")
    log.warning("tracking: the carrier call failed", exc_info=exc)
    return f"the carrier could not be asked ({type(exc).__name__}); the next poll tries again."
