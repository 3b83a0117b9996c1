"""``ProductFileRefused``: a product file that cannot be imported at all (not CSV, not a
product format, or the catalogue changed under the import). Single broken rows are not
refusals: they are the report's problems."""

from __future__ import annotations

from fulfilstation.services.refused import Refused


class ProductFileRefused(Refused):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
