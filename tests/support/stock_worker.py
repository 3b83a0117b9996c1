"""A station in its own process moving or adjusting stock, for the stock concurrency test
(importable by spawn).

Each process builds its own ``AppServices`` (as ``main`` does), signs its user in with the
demo PIN, waits for the others at the barrier, then makes ``rounds`` random moves between
``bins`` (a packer) or adjustments of them (a manager) of one product, through the use
cases. It returns what happened: each change made (for the totals) and each refusal's code;
anything else that went wrong is returned as text, so the test fails saying what."""

from __future__ import annotations

import random
from multiprocessing.synchronize import Barrier

from fulfilstation.db.database import Database
from fulfilstation.db.url import parse_url
from fulfilstation.services.stock import StockRefused
from tests.support.app import app_for, sign_in


def shuffle_stock(url: str, station: str, username: str, sku: str, bins: list[str], rounds: int,
                  barrier: Barrier, seed: int) -> dict[str, object]:
    database = Database.connect(parse_url(url))
    app = app_for(database, station=station)
    actor = sign_in(app, username)
    rng = random.Random(seed)
    moved = adjusted = 0
    refusals: dict[str, int] = {}
    failures: list[str] = []
    barrier.wait(timeout=60)
    for _round in range(rounds):
        source, target = rng.sample(bins, 2)
        try:
            if username == "packer":
                moved += app.stock.move(actor, sku, source, target, rng.randint(1, 8)).quantity
            elif rng.random() < 0.5:
                adjusted += app.stock.adjust(actor, sku, source, "counted", by=rng.choice([-6, -3, -1, 2, 5])).change
            else:
                adjusted += app.stock.adjust(actor, sku, source, "counted", set_to=rng.randint(0, 12)).change
        except StockRefused as refused:
            refusals[str(refused.code)] = refusals.get(str(refused.code), 0) + 1
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
            failures.append(f"{type(exc).__name__}: {exc}")
    database.dispose()
    return {"moved": moved, "adjusted": adjusted, "refusals": refusals, "failures": failures}
