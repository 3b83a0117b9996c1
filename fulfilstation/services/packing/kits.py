"""A pack's kits: which of the order's lines are components of a kit, and what to tell a
packer who scans the kit's own barcode.

A kit line is never packed itself (``db/kit_lines``): the station lists its components,
each marked "part of KIT-SKU ×N", and scanning the kit's own barcode is refused, naming the
components to scan instead (a kit is packed from its parts, each checked, so a missing part
cannot ship behind one scan).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.kit_lines import kit_parent_line
from fulfilstation.db.models import OrderLine, Product


@dataclass(frozen=True)
class OrderKits:
    part_of: dict[int, str] = field(default_factory=dict)  # component line id -> "part of KIT ×N"
    refusals: dict[int, str] = field(default_factory=dict)  # kit product id -> what to say when it is scanned


def order_kits(session: Session, order_id: int) -> OrderKits:
    """The kits of the order (empty when it has none: one cheap query)."""
    kits = session.execute(select(OrderLine.id, OrderLine.quantity, Product.id, Product.sku, Product.name)
                           .join(Product, Product.id == OrderLine.product_id)
                           .where(OrderLine.order_id == order_id, kit_parent_line())
                           .order_by(OrderLine.line_no)).all()
    if not kits:
        return OrderKits()
    components: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for line_id, kit_line_id, quantity, name in session.execute(
            select(OrderLine.id, OrderLine.kit_line_id, OrderLine.quantity, Product.name)
            .join(Product, Product.id == OrderLine.product_id)
            .where(OrderLine.order_id == order_id, OrderLine.kit_line_id.is_not(None))
            .order_by(OrderLine.line_no)):
        if kit_line_id is not None:
            components[kit_line_id].append((int(line_id), int(quantity), str(name)))
    part_of: dict[int, str] = {}
    refusals: dict[int, str] = {}
    for kit_line_id, quantity, product_id, sku, name in kits:
        parts = components[kit_line_id]
        for line_id, _units, _name in parts:
            part_of[line_id] = f"part of {sku} ×{quantity}"
        listed = ", ".join(f"{units} × {part}" for _line, units, part in parts)
        refusals[product_id] = (f"{name} is a kit: do not scan the kit's own barcode, scan its components: "
                                f"{listed}.")
    return OrderKits(part_of, refusals)
