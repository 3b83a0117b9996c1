"""A station in its own process working on the same RMA as others, for the returns
concurrency test (importable by spawn).

Each process builds its own ``AppServices`` (as ``main`` does), signs its user in with the
demo PIN, waits for the others at the barrier, then makes ``rounds`` attempts through the
use cases: ``create`` (a manager authorising one unit of the order), ``receive`` (scanning
one unit in) or ``grade`` (grading one unit, restock / quarantine / dispose in turn). It
returns what happened: how many succeeded and each refusal's code; anything else that went
wrong is returned as text, so the test fails saying what."""

from __future__ import annotations

from multiprocessing.synchronize import Barrier

from fulfilstation.db.database import Database
from fulfilstation.db.url import parse_url
from fulfilstation.services.returns import NewRmaLine, ReturnsRefused
from tests.support.app import app_for, sign_in

ACTIONS = (("like-new", "restock", "A-01-1"), ("damaged", "quarantine", None), ("defective", "dispose", None))


def work_on_returns(url: str, station: str, username: str, job: str, target: str, item: str, rounds: int,
                    barrier: Barrier, seed: int) -> dict[str, object]:
    database = Database.connect(parse_url(url))
    app = app_for(database, station=station)
    actor = sign_in(app, username)
    done = 0
    closed = 0
    refusals: dict[str, int] = {}
    failures: list[str] = []
    barrier.wait(timeout=60)
    for turn in range(rounds):
        try:
            if job == "create":
                app.returns.create(actor, target, [NewRmaLine(item, 1, "defective")], label=False)
            elif job == "receive":
                app.returns.receive(actor, target, item)
            else:
                grade, action, bin_code = ACTIONS[(seed + turn) % len(ACTIONS)]
                closed += app.returns.grade(actor, target, item, grade, action, bin=bin_code).closed
            done += 1
        except ReturnsRefused as refused:
            refusals[str(refused.code)] = refusals.get(str(refused.code), 0) + 1
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
            failures.append(f"{type(exc).__name__}: {exc}")
    database.dispose()
    return {"done": done, "closed": closed, "refusals": refusals, "failures": failures}
