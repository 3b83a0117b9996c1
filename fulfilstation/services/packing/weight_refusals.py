"""Recording the weighings the station refused, so the packers' report can count them.

A weighing outside the expected range is refused inside the transaction that would have
recorded the package, and that transaction rolls back. ``record_package`` therefore raises a
``WeightRefused`` (a ``PackRefused`` carrying the reading and the range) and every path that
weighs — ``boxes.close_package`` and ``shipping.record.record_shipment`` — runs its unit of
work inside ``refusals_recorded``: after the rollback, the refusal is written in a
transaction of its own (one INSERT into ``weight_refusals``), then the same refusal is raised
again. Record, then raise — as a refused scan is recorded and then told.

What is recorded: a packer's weighing over or under the range with no manager accepting it.
Not recorded: an unsteady scale (no reading yet), an empty scale (zero or less: nothing was
put on it, not a packing mistake), and a manager's attempt to accept the weight (refused for
a missing reason or a missing right: the packer's refusal it answers is already recorded, so
a refusal later accepted by a manager counts once). A weighing that repeats a refused one is
recorded again (the table holds every refused check); the report counts refused packages.

Should the record itself fail (the database gone), the refusal is still raised and the lost
record logged: the packer must see why the weight was refused.

Threading: blocking (database), on the caller's thread, as the weighing itself.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError

from fulfilstation.db.database import Database
from fulfilstation.db.models import WeightRefusal
from fulfilstation.domain.weight_check import ExpectedWeight, WeightVerdict
from fulfilstation.services.packing.views import PackRefused, Refusal

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefusedWeighing:
    """What was on the scale and what was expected when the station refused the weight."""

    pack_session_id: int
    station_id: int | None
    package_sequence: int
    measured_g: int
    expected: ExpectedWeight
    verdict: WeightVerdict  # OVER or UNDER


class WeightRefused(PackRefused):
    """A weighing refused as over or under the range; ``weighing`` is what gets recorded."""

    def __init__(self, code: Refusal, message: str, weighing: RefusedWeighing) -> None:
        super().__init__(code, message)
        self.weighing = weighing


@contextmanager
def refusals_recorded(database: Database, user_id: int) -> Iterator[None]:
    """Around a unit of work that weighs: a ``WeightRefused`` escaping it (its transaction
    already rolled back) is recorded as ``user_id``'s in a transaction of its own, then raised."""
    try:
        yield
    except WeightRefused as refused:
        try:
            record(database, refused.weighing, user_id)
        except SQLAlchemyError:
            _log.exception("The weight refusal of pack session %s could not be recorded",
                           refused.weighing.pack_session_id)
        raise


def record(database: Database, weighing: RefusedWeighing, user_id: int) -> None:
    with database.unit_of_work() as session:
        session.execute(insert(WeightRefusal).values(
            pack_session_id=weighing.pack_session_id, station_id=weighing.station_id, user_id=user_id,
            package_sequence=weighing.package_sequence, measured_g=weighing.measured_g,
            expected_g=weighing.expected.expected_g, min_g=weighing.expected.min_g, max_g=weighing.expected.max_g,
            verdict=weighing.verdict.value))
