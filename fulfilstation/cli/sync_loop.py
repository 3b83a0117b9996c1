"""The loop of ``fulfilstation sync``: a round (shops synced, outbox delivered) every poll
interval, surviving a database outage.

``run_rounds`` runs ``run_round`` until ``stop`` is set (or once). A round that fails because
the database connection was lost (``fulfilstation.health.is_connection_error``) ends
nothing: one plain line says the database is offline (once per outage, not once per try),
the loop waits ``BACKOFF_S`` (1, 2, 4 … 15 s, then every 15 s) and tries again; the first
round that succeeds says the database is back. Any other failure is raised as before.

Why nothing is lost or sent twice: a round's work is in the database (the outbox rows).
A message not yet claimed stays pending; one claimed and cut before its push was sent is
tried again when its claim runs out; one the shop accepted whose outcome could not be
recorded is sent again with the same idempotency key (the row's dedup key), so the shop
makes nothing twice (``services/integrations/worker.py``).

Threading: blocking; runs on the caller's thread. ``stop`` may be set from any thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from fulfilstation.health import is_connection_error, offline_words
from fulfilstation.services.integrations import SyncRound

BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 15.0)


def run_rounds(run_round: Callable[[], SyncRound], poll_seconds: Callable[[], float], *, once: bool,
               stop: threading.Event, report: Callable[[SyncRound], None], say: Callable[[str], None]) -> int:
    """Rounds until ``stop`` (0) or, ``once``, one round: 0 clean, 1 with errors or offline."""
    tries = 0
    while True:
        try:
            round_ = run_round()
            wait = poll_seconds()
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            if tries == 0:
                say(f"sync: the database is offline ({offline_words(exc)}): nothing is lost; "
                    "trying again every few seconds until it is back.")
            wait, tries = BACKOFF_S[min(tries, len(BACKOFF_S) - 1)], tries + 1
            if once:
                return 1
            if stop.wait(wait):
                return 0
            continue
        if tries:
            say("sync: the database is back; carrying on.")
        tries = 0
        report(round_)
        if once:
            return 1 if round_.errors else 0
        if stop.wait(wait):
            return 0
