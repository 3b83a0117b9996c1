"""How a failed stock batch is split so that one product's failure holds back no other (pure).

A ``set_stock`` call carries up to ``worker.STOCK_BATCH`` products; a shop that fails the
call for ONE product (a listing it chokes on: HTTP 5xx every time) fails the whole call.
The worker then pushes the batch's two halves, and so on down to single products
(``halves``): with one bad product in 100, about 2·log2(100) calls deliver the other 99 in
the same pass, and only the bad product's row spends an attempt (it fails after the retry
limit and is listed in the problems; the others are never held back by it).

Only a failure the shop answered about the call's content is split: an HTTP 5xx, 400, 409,
413 or 422 without a wait asked for. Any other failure says the SHOP or the channel is
unwell (``shop_wide``: throttled, a wait asked for, the token or address refused, the
keyring or the shop unreachable, no answer in time, an answer that is not JSON): it is not
split, the batch spends an attempt and the channel's other stock pushes wait for the next
pass without spending any. ``FailureGuard`` stops the splitting when ``MAX_FAILED_CALLS`` calls in a row
failed (a shop answering 5xx to everything looks like one bad product per call).

Threading: pure; one ``FailureGuard`` per channel and pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from fulfilstation.integrations.ports import ChannelError

MAX_FAILED_CALLS = 16  # failed set_stock calls in a row, per channel and pass, before it stops
_ABOUT_THE_CALL = frozenset({400, 409, 413, 422})
T = TypeVar("T")


def shop_wide(error: ChannelError) -> bool:
    """True when ``error`` is about the shop or the channel, not the products in the call."""
    if error.retry_after is not None or error.status is None:
        return True
    return not (error.status >= 500 or error.status in _ABOUT_THE_CALL)


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
