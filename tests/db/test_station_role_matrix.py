"""The role matrix (issue #15, point 3) on PostgreSQL connected as a station's login: every
mutating use case as each role (``test_role_matrix.check_matrix``). The allowed ones do their
work with the station's privileges alone; the refused ones are refused by the use case
(``NotAllowed``), never by a database permission error, which would fail the test."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import URL

from fulfilstation.db.database import Database
from tests.db.test_role_matrix import ROLES, check_matrix
from tests.support.station_roles import permission_errors, station_login


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_what_its_rules_say_as_a_station_login(postgres_seeded_url: URL, role: str) -> None:
    with station_login(postgres_seeded_url) as station_url:
        database = Database.connect(station_url)
        try:
            with permission_errors(database.engine) as refused:
                check_matrix(database, role)
            assert refused == []  # none, not even one a use case caught and logged
        finally:
            database.dispose()
