"""The outbox worker across a database outage (issue #15): the ``fulfilstation sync`` loop
(``cli/sync_loop.run_rounds``) keeps going while the private PostgreSQL server is stopped —
one plain line, no crash, nothing delivered, nothing lost — and once the server is back it
delivers the shipment's tracking to the shop exactly once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import select

from fulfilstation.cli.sync_loop import run_rounds
from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, OutboxMessage
from fulfilstation.domain.enums import OutboxStatus
from fulfilstation.integrations.ports import ChannelConfig, ShopChannel
from fulfilstation.integrations.shopify import ShopifyChannel
from fulfilstation.services.app import build_services
from fulfilstation.services.context import Ports
from fulfilstation.services.integrations import ChannelFields, SyncRound
from fulfilstation.services.packing import Weighing
from tests.support.app import STATION, FixedPrinters, sign_in
from tests.support.outage import wait_for, warehouse_server
from tests.support.shop_channel import ManualClock
from tests.support.shopify_stub import LOCATION, FakeTime, ShopifyStub
from tests.support.warehouse import expected_weight, scan_units

WAIT_S = 30.0  # generous: the loop's back-off reaches 4 s, a loaded machine is slow


def test_the_sync_loop_survives_an_outage_and_delivers_once_after_it(tmp_path: Path) -> None:
    clock, time_ = ManualClock(), FakeTime()
    with warehouse_server(tmp_path) as (server, url), ShopifyStub(clock=time_.clock) as shop:
        database = Database.connect(url)

        def adapters(config: ChannelConfig, secrets: SecretStore) -> ShopChannel:
            return ShopifyChannel(config, secrets, timeout=WAIT_S, sleep=time_.sleep, clock=time_.clock)

        app = build_services(database, Ports(printers=FixedPrinters(), channel_adapters=adapters, clock=clock,
                                             sleep=time_.sleep), STATION)
        stop = threading.Event()
        loop: threading.Thread | None = None
        try:
            owner = sign_in(app, "owner")
            app.integrations.add_channel(owner, ChannelFields("shop", "shopify", shop.base_url, LOCATION,
                                                              {"notify_customer": True}))
            app.integrations.set_secret(owner, "shop", "token", shop.token)
            gid = shop.add_order((("MUG-CER-350", 1, "12.00"),))
            manager = sign_in(app, "manager")
            (synced,) = app.integrations.sync(manager, "shop")
            assert synced.error is None, synced.error
            with database.unit_of_work() as session:
                number = session.scalars(select(Order.number).where(Order.external_id == gid)).one()
            packer = sign_in(app, "packer")
            session_id = app.packing.start(packer, number).session_id
            scan_units(app, packer, session_id, [("MUG-CER-350", 1)])
            shipped = app.shipping.ship(packer, session_id, Weighing(expected_weight(database, session_id)))

            server.stop()
            rounds: list[SyncRound] = []
            said: list[str] = []
            ended: list[int] = []
            loop = threading.Thread(target=lambda: ended.append(run_rounds(
                lambda: app.integrations.run_round(manager), lambda: 0.2, once=False, stop=stop,
                report=rounds.append, say=said.append)))
            loop.start()
            assert wait_for(lambda: len(said) == 1, WAIT_S)
            time.sleep(3.5)  # tries at 1 s, then 2 s more: still one line, nothing sent, still running
            assert loop.is_alive() and len(said) == 1 and "database is offline" in said[0] and rounds == []
            assert shop.count("fulfillmentCreate") == 0

            server.start()
            assert wait_for(lambda: len(shop.fulfillments_of(gid)) == 1, WAIT_S), said
            assert wait_for(lambda: len(rounds) >= 3, WAIT_S)  # more rounds after the delivery: nothing sent again
            stop.set()
            loop.join(WAIT_S)
            assert ended == [0] and said[1:] == ["sync: the database is back; carrying on."]
            (fulfilment,) = shop.fulfillments_of(gid)
            assert [t["number"] for t in fulfilment["trackingInfo"]] == list(shipped.tracking_numbers)
            assert shop.count("fulfillmentCreate") == 1
            with database.unit_of_work() as session:
                statuses = list(session.scalars(select(OutboxMessage.status)
                                                .where(OutboxMessage.topic == "shipment.created")))
            assert statuses == [OutboxStatus.DELIVERED]
        finally:
            stop.set()
            if loop is not None:
                loop.join(WAIT_S)
            database.dispose()
