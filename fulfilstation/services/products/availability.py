"""How many units of a product can be sold now: the one home of the rule.

* A plain product's available units are ``sum(on_hand - reserved)`` over its stock levels
  in **pickable and storage** bins (``SELLABLE_KINDS``); receiving, returns, quarantine,
  damaged and staging bins hold units nobody may sell yet.
* A kit holds no stock of its own: its available units are the fewest kits its
  components allow, ``min(floor(component available / quantity per kit))`` (0 when any
  component has none).

``available_units`` answers for many products in a few queries (batched, however many ids);
the stock and orders areas call it too. ``available_of`` and ``on_hand_of`` are the same
figures as correlated subqueries, for queries that list products (50,000 in one query).
Runs in the caller's session: blocking, on the caller's thread.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session

from fulfilstation.db.models import Bin, ProductComponent, StockLevel
from fulfilstation.domain.enums import BinKind

SELLABLE_KINDS = (BinKind.PICKABLE.value, BinKind.STORAGE.value)
_CHUNK = 1000  # ids per IN (…): well inside every engine's limit on bound parameters


def available_of(product_id: Any) -> ScalarSelect[Any]:
    """The available units of the product ``product_id`` names, as a correlated subquery
    (a list selects it per row: one index look-up each, however many products exist)."""
    return (select(func.coalesce(func.sum(StockLevel.on_hand - StockLevel.reserved), 0))
            .join(Bin, Bin.id == StockLevel.bin_id)
            .where(StockLevel.product_id == product_id, Bin.kind.in_(SELLABLE_KINDS)).scalar_subquery())


def on_hand_of(product_id: Any) -> ScalarSelect[Any]:
    """The units of the product in every bin (sellable or not), as a correlated subquery."""
    return (select(func.coalesce(func.sum(StockLevel.on_hand), 0))
            .where(StockLevel.product_id == product_id).scalar_subquery())


def available_units(session: Session, product_ids: Iterable[int]) -> dict[int, int]:
    """``{product id: available units}`` for every id given (kits and plain products alike)."""
    ids = set(product_ids)
    parts = kit_parts(session, ids)
    needed = (ids - parts.keys()) | {component for rows in parts.values() for component, _ in rows}
    own = _own_available(session, needed)
    return {product_id: units_allowed(parts[product_id], own) if product_id in parts else own.get(product_id, 0)
            for product_id in ids}


def kit_parts(session: Session, product_ids: Collection[int]) -> dict[int, list[tuple[int, int]]]:
    """``{kit id: [(component id, quantity per kit)]}`` for the ids that are kits."""
    parts: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for chunk in _chunks(product_ids):
        for kit_id, component_id, quantity in session.execute(
                select(ProductComponent.kit_id, ProductComponent.component_id, ProductComponent.quantity)
                .where(ProductComponent.kit_id.in_(chunk))):
            parts[kit_id].append((component_id, quantity))
    return dict(parts)


def units_allowed(parts: Sequence[tuple[int, int]], units: Mapping[int, int]) -> int:
    """The kits ``parts`` make from ``units`` of each component (0 without parts)."""
    if not parts:
        return 0
    return min(max(0, units.get(component, 0)) // quantity for component, quantity in parts)


def sellable_on_hand(session: Session, product_ids: Collection[int]) -> dict[int, int]:
    """``{product id: units on hand in sellable bins}`` (what a kit's on-hand figure is made of)."""
    return _sums(session, product_ids, StockLevel.on_hand)


def _own_available(session: Session, product_ids: Collection[int]) -> dict[int, int]:
    return _sums(session, product_ids, StockLevel.on_hand - StockLevel.reserved)


def _sums(session: Session, product_ids: Collection[int], figure: Any) -> dict[int, int]:
    found: dict[int, int] = {}
    for chunk in _chunks(product_ids):
        rows = session.execute(select(StockLevel.product_id, func.sum(figure))
                               .join(Bin, Bin.id == StockLevel.bin_id)
                               .where(StockLevel.product_id.in_(chunk), Bin.kind.in_(SELLABLE_KINDS))
                               .group_by(StockLevel.product_id))
        found.update((product_id, max(0, int(units or 0))) for product_id, units in rows)
    return found


def _chunks(ids: Collection[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start:start + _CHUNK]
