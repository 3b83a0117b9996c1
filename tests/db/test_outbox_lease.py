"""One worker at a time per site: the lease (both engines) and two workers racing on
PostgreSQL (threads) never deliver a message twice."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import select
from sqlalchemy.engine import URL

from fulfilstation.db.database import Database
from fulfilstation.db.models import OutboxMessage
from fulfilstation.services.integrations import lease
from tests.support.app import sign_in
from tests.support.outbox import add_shop
from tests.support.shop_channel import ManualClock, RecordingShop, shop_app

MESSAGES = 30


def test_the_lease_is_held_by_one_worker_until_it_expires(database: Database) -> None:
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    assert lease.take(database, "A", now)
    assert not lease.take(database, "B", now + dt.timedelta(seconds=60))
    assert lease.take(database, "A", now + dt.timedelta(seconds=60))  # ours: taken again (renewed)
    assert lease.renew(database, "A", now + dt.timedelta(seconds=90))
    assert not lease.take(database, "B", now + dt.timedelta(seconds=200))  # renewed until 90 + 120 s
    assert lease.take(database, "B", now + dt.timedelta(seconds=211))  # A went silent: B takes over
    assert not lease.renew(database, "A", now + dt.timedelta(seconds=212))  # and A learns it
    lease.release(database, "A")  # not A's: nothing happens
    assert not lease.take(database, "C", now + dt.timedelta(seconds=213))
    lease.release(database, "B")
    assert lease.take(database, "C", now + dt.timedelta(seconds=213))


def test_a_pass_while_another_worker_holds_the_lease_does_nothing(seeded_database: Database) -> None:
    shop, clock = RecordingShop(), ManualClock()
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    assert lease.take(seeded_database, "elsewhere", clock.now())
    done = app.integrations.deliver(sign_in(app, "manager"))
    assert done.lease_held_elsewhere and shop.calls == []
    clock.advance(lease.LEASE_SECONDS + 1)
    assert not app.integrations.deliver(sign_in(app, "manager")).lease_held_elsewhere
    assert shop.calls


def test_two_workers_at_once_deliver_every_message_exactly_once(postgres_seeded_url: URL) -> None:
    shop, clock = RecordingShop(), ManualClock()
    databases = [Database.connect(postgres_seeded_url) for _ in range(2)]
    apps = [shop_app(db, shop, clock) for db in databases]
    add_shop(apps[0])
    with databases[0].unit_of_work() as session:
        for n in range(MESSAGES):
            session.add(OutboxMessage(topic="fulfilment.cancel", dedup_key=f"fulfilment.cancel:race:{n}",
                                      channel="test", payload={"external_id": f"#{n}",
                                                               "reference": {"fulfilment_id": f"F-{n}"}},
                                      next_attempt_at=clock.now() - dt.timedelta(seconds=1)))
    actors = [sign_in(app, "manager") for app in apps]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            barrier.wait()
            for _round in range(200):
                apps[index].integrations.deliver(actors[index], limit=3)
                with databases[index].unit_of_work() as session:
                    if not session.scalars(select(OutboxMessage.id).where(
                            OutboxMessage.topic == "fulfilment.cancel",
                            OutboxMessage.status == "pending")).first():
                        return
        except BaseException as exc:  # reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    references = sorted(reference["fulfilment_id"] for _order, reference in shop.cancelled)
    assert references == sorted(f"F-{n}" for n in range(MESSAGES))  # each once, none twice
    with databases[0].unit_of_work() as session:
        statuses = session.scalars(select(OutboxMessage.status).where(
            OutboxMessage.topic == "fulfilment.cancel")).all()
    assert statuses == ["delivered"] * MESSAGES
    for db in databases:
        db.dispose()
