"""How a failed stock batch is split so that one product's failure holds back no other (pure).

A ``set_stock`` call carries up to ``worker.STOCK_BATCH`` products; a shop that fails the
call for ONE product (a listing it chokes on: HTTP 5xx every time) fails the whole call.
The worker then pushes the batch's two halves, and so on down to single products
(``halves``): with one bad product in 100, about 2·log2(100) calls deliver the other 99 in
the same pass, and only the bad product's row spends an attempt (it fails after the retry
limit and is listed in the problems; the others are never held back by it).

A failure that says the SHOP is unwell (``shop_wide``: throttled, a wait asked for, the
token or address refused, the shop unreachable or not answering) is not split: the batch
spends an attempt and the channel's other stock pushes wait for the next pass without
spending any. ``FailureGuard`` stops the splitting when ``MAX_FAILED_CALLS`` calls in a row
failed (a shop answering 5xx to everything looks like one bad product per call).

Threading: pure; one ``FailureGuard`` per channel and pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from fulfilstation.integrations.ports import ChannelError

MAX_FAILED_CALLS = 16  # failed set_stock calls in a row, per channel and pass, before it stops
_SHOP_STATUSES = frozenset({401, 402, 403, 404, 429})
T = TypeVar("T")


def shop_wide(error: ChannelError) -> bool:
    """True when ``error`` is about the shop or the channel, not the products in the call."""
    if error.retry_after is not None or error.status in _SHOP_STATUSES:
        return True
    return error.status is None and error.retryable  # unreachable, no answer in time, not JSON


def halves(items: Sequence[T]) -> list[list[T]]:
    """``items`` in two halves (the first the larger); a single item is not split."""
    middle = (len(items) + 1) // 2
    return [list(items[:middle]), list(items[middle:])] if len(items) > 1 else [list(items)]


@dataclass
class FailureGuard:
    """Counts failed calls in a row; ``exhausted`` once ``MAX_FAILED_CALLS`` is reached."""

    failed_in_a_row: int = 0
    last_error: str = ""

    def succeeded(self) -> None:
        self.failed_in_a_row = 0

    def failed(self, error: ChannelError) -> None:
        self.failed_in_a_row += 1
        self.last_error = str(error)

    @property
    def exhausted(self) -> bool:
        return self.failed_in_a_row >= MAX_FAILED_CALLS
