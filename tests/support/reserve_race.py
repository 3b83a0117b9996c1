"""Several importers reserving the same arrivals at once while stock comes in: the harness
the arrival race tests share (PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Callable, Sequence

from fulfilstation.db.database import Database
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders.arrival import reserve_arrivals


def race(database: Database, actor: Actor, order_ids: Sequence[int], today: dt.date, *, importers: int,
         receive: Callable[[], None], receipts: int, timeout: float = 180) -> list[BaseException]:
    """``importers`` threads each reserve ``order_ids`` (each in its own shuffled order) while
    one more calls ``receive`` ``receipts`` times, all released at once; what any raised."""
    barrier = threading.Barrier(importers + 1)
    errors: list[BaseException] = []

    def importer(seed: int) -> None:
        order = list(order_ids)
        random.Random(seed).shuffle(order)
        try:
            barrier.wait(timeout=30)
            reserve_arrivals(database, actor, order, today)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)

    def receiver() -> None:
        try:
            barrier.wait(timeout=30)
            for _ in range(receipts):
                receive()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)

    threads = [threading.Thread(target=importer, args=(seed,)) for seed in range(importers)]
    threads.append(threading.Thread(target=receiver))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return errors
