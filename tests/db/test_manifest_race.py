"""Managers closing the same carrier at once on PostgreSQL, while stations keep shipping:
every shipment lands on exactly one manifest, none is lost, and each manifest's stored
totals are exactly its packages.

Closes of the same day pick the same number and queue on its unique constraint; closes of
yesterday and of today on one account get different numbers and really fight over the same
rows (yesterday's shipments qualify for both): the conditional UPDATE settles it."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.engine import URL

from fulfilstation.db.database import Database
from fulfilstation.db.models import Manifest, Package, Shipment
from fulfilstation.services.manifests import ManifestProblem, ManifestRefused
from tests.support.app import app_for, sign_in
from tests.support.bulk_shipments import account_of, add_account, bulk_shipments

CLOSERS = 2  # per (account, day)


def test_closes_at_once_never_share_or_lose_a_shipment(postgres_seeded_url: URL) -> None:
    setup = Database.connect(postgres_seeded_url)
    first, second = account_of(setup, "ups"), add_account(setup, "ups", "9X9X99")
    now = dt.datetime.now(dt.UTC)
    yesterday = (now - dt.timedelta(days=1)).astimezone().date()
    bulk_shipments(setup, 400, account_id=first, packages=2, created_at=now - dt.timedelta(days=1))
    bulk_shipments(setup, 250, account_id=second)
    setup.dispose()
    closes = [(first, yesterday), (first, None), (second, None)] * CLOSERS
    barrier = threading.Barrier(len(closes) + 1)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def closer(number: int, account_id: int, day: dt.date | None) -> None:
        database = Database.connect(postgres_seeded_url)
        try:
            app = app_for(database, station=f"OFFICE-{number}")  # each manager at their own PC
            manager = sign_in(app, ("manager", "owner")[number % 2])
            barrier.wait(timeout=30)
            outcomes.append(app.manifests.close(manager, "ups", account_id, day).info.number)
        except ManifestRefused as refused:
            outcomes.append(refused.problem.value)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            database.dispose()

    def station() -> None:  # keeps shipping on the first account while the managers close
        database = Database.connect(postgres_seeded_url)
        try:
            barrier.wait(timeout=30)
            for _ in range(10):
                bulk_shipments(database, 5, account_id=first)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            database.dispose()

    threads = [threading.Thread(target=closer, args=(n, *close)) for n, close in enumerate(closes)]
    threads.append(threading.Thread(target=station))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    closed = [outcome for outcome in outcomes if outcome.startswith("M-")]
    assert len(outcomes) == len(closes)
    assert set(outcomes) - set(closed) <= {ManifestProblem.NOTHING_TO_CLOSE.value}, outcomes
    assert len(closed) >= 2 and len(set(closed)) == len(closed)

    database = Database.connect(postgres_seeded_url)
    app = app_for(database)
    try:
        app.manifests.close(sign_in(app, "manager"), "ups", first)  # whatever the station shipped after the closes
    except ManifestRefused as refused:
        assert refused.problem is ManifestProblem.NOTHING_TO_CLOSE
    with database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Shipment).where(Shipment.manifest_id.is_(None))) == 0
        stored = session.execute(select(Manifest.id, Manifest.number, Manifest.package_count,
                                        Manifest.total_weight_g)).all()
        actual = {m: (n, w) for m, n, w in session.execute(
            select(Shipment.manifest_id, func.count(Package.id), func.sum(Package.weight_measured_g))
            .join(Package, Package.shipment_id == Shipment.id).group_by(Shipment.manifest_id))}
        assert {m: (n, w) for m, _number, n, w in stored} == actual
        assert sum(n for _m, _number, n, _w in stored) == 400 * 2 + 250 + 50
        days = Counter(number.rsplit("-", 1)[0] for _m, number, _n, _w in stored)
        for day, count in days.items():  # M-UPS-<day>-1 … -k: none skipped or repeated
            assert sorted(int(n.rsplit("-", 1)[1]) for _m, n, _c, _w in stored if n.startswith(day + "-")) == list(
                range(1, count + 1))
        per_account = Counter(session.scalars(select(Manifest.carrier_account_id)))
        assert per_account[second] == 1
    database.dispose()
