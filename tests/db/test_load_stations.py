"""The load of issue #15 at a small scale (``bench/load_stations.py``): four station processes
pack sixty orders against one PostgreSQL while the dashboard refreshes, an import runs and
the outbox worker delivers to a Shopify stand-in. Only the invariants are asserted, never
the speed (bench/ reports that)."""

from __future__ import annotations

import pytest

from bench.load_stations import measure
from tests.support.databases import PostgresServer, url_text


def test_four_stations_ship_every_order_once_and_the_shop_hears_of_each_once(
        postgres_server: PostgresServer | None) -> None:
    if postgres_server is None:
        pytest.skip("no PostgreSQL: the load runs against a server")
    figures = measure(url_text(postgres_server.admin_url), stations=4, orders=60, import_lines=200)
    assert figures.problems() == []
    assert figures.shipped == 60 and figures.shipped_twice == 0 and figures.duplicate_tracking == 0
    assert figures.negative_stock == 0 and figures.unfinished == []
    assert figures.labels_at_printers == 60 and figures.fulfilments_once == 60
    assert figures.shipped_messages == {"delivered": 60}
    assert len(figures.scans) >= 60 and figures.dashboard_refreshes
    assert figures.import_summary.startswith("imported")
