"""What parsing an order file gives: the orders read (``IncomingOrder``), the problems
(rejected orders with all their lines, warnings) and the format. Pure values."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from fulfilstation.imports import RowProblem
from fulfilstation.integrations.ports import IncomingOrder


class OrderFileFormat(enum.StrEnum):
    SHOPIFY = "shopify"
    GENERIC = "generic"


@dataclass(frozen=True)
class ParsedOrders:
    format: OrderFileFormat
    orders: tuple[IncomingOrder, ...]
    problems: tuple[RowProblem, ...] = field(default=())
    lines: int = 0  # data rows read


def rejected(lines: list[int], name: str, reason: str) -> RowProblem:
    """One problem per broken order, at its first line, naming all of its lines."""
    ordered = sorted(set(lines)) or [0]
    where = f" (lines {', '.join(map(str, ordered))})" if len(ordered) > 1 else ""
    return RowProblem(ordered[0], f"order {name}{where} was not imported: {reason}", key=name)
