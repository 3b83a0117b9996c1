"""Which columns of the Orders list show, so the list fits a 1280×800 screen (beside the
navigation and the simulator panel) without sideways scrolling, and shows everything on a
larger one.

* Hold and Tracking show only when a row of the result has one (a list of open orders
  has no tracking; most lists hold nothing): an empty column only takes room from the
  customer's name.
* Lines shows only when the list is at least ``WIDE`` px wide: Units says an order's size,
  and the opened order's Lines tab lists them.

Pure (rows and a width in, column numbers out); the screen applies it. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Sequence

from fulfilstation.services.orders import OrderSummary
from ui.orders.model import HEADERS

WIDE = 1000  # px of list: below it the Lines column gives its room to the names
HOLD, TRACKING, LINES = HEADERS.index("Hold"), HEADERS.index("Tracking"), HEADERS.index("Lines")


def hidden_columns(rows: Sequence[OrderSummary], width: int) -> frozenset[int]:
    """The columns to hide for ``rows`` in a list ``width`` px wide."""
    hidden = set()
    if not any(row.hold for row in rows):
        hidden.add(HOLD)
    if not any(row.tracking for row in rows):
        hidden.add(TRACKING)
    if width < WIDE:
        hidden.add(LINES)
    return frozenset(hidden)
