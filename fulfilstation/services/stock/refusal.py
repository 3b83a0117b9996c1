"""``StockRefused``: the stock area's one refusal type.

Codes: ``no-lot``, ``unknown-lot`` (trace); ``unknown-sku``, ``unknown-bin``, ``unknown-code``,
``bin-inactive``, ``same-bin``, ``bad-quantity``, ``kit``, ``lot-needed``, ``not-lot-tracked``,
``not-in-bin``, ``not-free`` (move); ``no-reason``, ``below-reserved``, ``no-change``,
``bad-adjustment`` (adjust); ``cannot-write`` (export). A refusal changes nothing.
"""

from __future__ import annotations

from fulfilstation.services.refused import Refused


class StockRefused(Refused):
    """A stock question or change that cannot be done as asked; ``message`` says what to do."""
