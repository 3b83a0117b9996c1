"""``fulfilstation orders history ORDER``: everything about one order, as text for a person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from fulfilstation.domain import money
from fulfilstation.domain.words import plural
from fulfilstation.services.orders import IntakeProblem, OrderDetail


def describe(detail: OrderDetail) -> str:
    summary = detail.summary
    hold = f", ON HOLD: {summary.hold_reason}" if summary.hold else ""
    status = "backorder" if summary.backorder else summary.status
    late = ", LATE" if summary.late else ""
    lines = [f"Order {summary.number} ({status}{hold}{late})",
             f"  Shop: {detail.channel} {detail.external_id}   Ordered: {_when(detail.ordered_at)}   "
             f"Total: {money.format_money(detail.total_minor, detail.currency)}",
             f"  Ship by: {summary.ship_by or '-'}   Deliver by: {detail.deliver_by or '-'}   "
             f"Service: {summary.service_name or 'chosen at packing'}",
             f"  Ship to: {detail.ship_to.one_line()}" + (f", {detail.ship_to.phone}" if detail.ship_to.phone else "")]
    lines += intake_words(list(detail.problems), [f"{u.quantity} × {u.sku}" + (f" {u.name}" if u.name else "")
                                                  for u in detail.unmatched],
                          detail.original_ship_to.one_line() if detail.original_ship_to else None)
    if detail.gift_message:
        lines.append(f"  Gift message: {detail.gift_message}")
    if detail.customer_note:
        lines.append(f"  Customer's note: {detail.customer_note}")
    lines += _section("Lines (ordered / packed / shipped)", [
        f"{line.ordered:>3} / {line.packed:>3} / {line.shipped:>3}  {'↳ ' if line.part_of else ''}{line.sku:<14} "
        f"{line.name}{' (kit)' if line.is_kit else ''}" for line in detail.lines])
    lines += _section("Reserved", [f"{r.quantity:>3} × {r.sku:<14} bin {r.bin}" + (f" lot {r.lot}" if r.lot else "")
                                   for r in detail.reservations])
    lines += _section("Shipments", [
        f"{s.tracking or '(no tracking yet)':<22} {s.status:<13} {s.carrier}/{s.service}  {_when(s.created_at)} by "
        f"{s.created_by or '-'}, {plural(s.packages, 'package')}"
        + (f"; voided {_when(s.voided_at)} by {s.voided_by or '-'}: {s.void_reason}" if s.voided_at else "")
        + (f"; manifest {s.manifest}" if s.manifest else "") for s in detail.shipments])
    lines += _section("Holds", [
        f"{_when(h.held_at)} {h.held_by or 'came in held'}: {h.reason}"
        + (f" — released {_when(h.released_at)} by {h.released_by}" if h.released_at else " — still on hold")
        + (f" ({h.release_reason})" if h.release_reason else "") for h in detail.holds])
    lines += _section("Scans", [
        f"{_when(s.at)} {s.station or '-':<8} {s.user or '-':<16} {s.result:<8} {s.code}"
        + (f"  {s.message}" if s.message else "") for s in detail.scans])
    lines += _section("History", [f"{_when(e.at)} {e.who or '-'}" + (f" at {e.station}" if e.station else "")
                                  + f": {e.what}" for e in detail.history])
    return "\n".join(lines)


def intake_words(problems: Sequence[IntakeProblem], unmatched: Sequence[str], sent: str | None) -> list[str]:
    """What the intake checks found, for a person: each problem (warnings marked), the lines
    whose SKU is unknown, the address as the shop sent it (when it was corrected)."""
    lines = [f"  {'Problem' if p.holds else 'Warning'}: {p.message}" for p in problems]
    if unmatched:
        lines.append("  Lines with unknown SKUs (add the products, then 'fulfilstation orders recheck'): "
                     + "; ".join(unmatched))
    if sent:
        lines.append(f"  Address as the shop sent it (corrected): {sent}")
    return lines


def _section(title: str, rows: list[str]) -> list[str]:
    return [f"{title}:", *(f"  {row}" for row in rows)] if rows else [f"{title}: none"]


def _when(moment: dt.datetime | None) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M}" if moment is not None else "-"
