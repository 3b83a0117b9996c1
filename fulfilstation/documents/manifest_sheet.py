"""What an end-of-day manifest shows, as plain data: the header facts and one row per package.

Built by ``fulfilstation.services.manifests.close`` from a closed manifest and rendered by
:mod:`manifest_pdf` (for the driver) and :mod:`manifest_csv` (for the carrier's systems).
Pure and immutable; safe to hand between threads.

Invariant kept by the service: ``package_count == len(rows)`` and ``total_weight_g`` is the
sum of the rows' weights — the totals are the ones stored on the manifest when it closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fulfilstation.domain.units import GRAMS_PER_POUND


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """One package handed to the driver."""

    tracking_number: str
    service: str
    weight_g: int
    postal_code: str  # destination
    reference: str  # the order number


@dataclass(frozen=True)
class ManifestSheet:
    number: str
    carrier_code: str
    carrier_name: str
    account_number: str
    account_name: str
    manifest_date: dt.date
    closed_at: dt.datetime  # aware UTC
    closed_by: str | None
    pickup: tuple[str, ...]  # pickup (ship-from) address lines, top to bottom
    rows: tuple[ManifestRow, ...]
    shipment_count: int
    package_count: int
    total_weight_g: int
    scan_form_id: str | None = None  # the carrier's scan form (EasyPost ``sf_…``), when one was made


def pounds(grams: int) -> str:
    """``grams`` in pounds with two decimals (``"1.25"``), for manifests and CSV files."""
    return f"{grams / GRAMS_PER_POUND:.2f}"
