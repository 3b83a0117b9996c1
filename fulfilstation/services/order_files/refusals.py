"""``OrderFileRefused``: an order file that cannot be imported at all (not CSV, not an order
format, a mapping that does not fit it), or a mapping that cannot be saved. Single broken
orders are not refusals: they are the report's problems."""

from __future__ import annotations

from fulfilstation.services.refused import Refused


class OrderFileRefused(Refused):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
