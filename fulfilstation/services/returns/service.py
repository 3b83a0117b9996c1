"""``ReturnsService``: the use cases of returns (RMAs).

Use cases: ``create`` (``CREATE_RMA``, managers: an RMA from a shipped order, with its return
label from the order's carrier), ``receive`` (``RECEIVE_RETURNS``, packers too: one scanned
item on an RMA opened by its number or its return label), ``grade`` (``RECEIVE_RETURNS``: one
received unit graded and restocked, quarantined or disposed; the last one closes the RMA and
makes the order's refund due once every authorised unit came back), ``cancel`` and ``close``
(``CREATE_RMA``: nothing came back / close short), ``record_refund`` (``CREATE_RMA``: the refund was paid).
Queries: ``find``/``show`` (an RMA by number or return tracking number), ``list`` (overdue
flags), ``reasons`` (reason counts over a period), ``reason_choices``, ``slip_pdf`` (the RMA
slip; ``save_slip`` writes it to this station's documents folder) and ``label_zpl`` (the
stored return label).

Threading: blocking (database, network, printer); call from worker threads. Safe from many
stations at once: races are settled in the database (see ``creating``, ``receive``,
``grading`` and ``refund``).
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from fulfilstation.db.models import Order, Rma
from fulfilstation.documents.rma_slip import RmaSlip, SlipLine, rma_slip_pdf
from fulfilstation.domain.return_reasons import REASONS
from fulfilstation.domain.roles import Permission
from fulfilstation.paths import station_documents_dir
from fulfilstation.ports import DeviceError, LabelPrinter
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.orders.arrival import reserve_backorders
from fulfilstation.services.returns.closing import cancel_rma, close_short
from fulfilstation.services.returns.creating import create_rma
from fulfilstation.services.returns.grading import Grading, grade_unit
from fulfilstation.services.returns.queries import find_rma, list_rmas, load_rma, reason_counts, show_rma
from fulfilstation.services.returns.receive import receive_scan
from fulfilstation.services.returns.refund import record_refund
from fulfilstation.services.returns.return_labels import LabelPlan, buy_api_label, local_label, print_label
from fulfilstation.services.returns.views import (
    CreatedRma,
    GradedUnit,
    NewRmaLine,
    ReasonCount,
    RefundRecorded,
    ReturnScan,
    ReturnsRefused,
    RmaSummary,
    RmaView,
)
from fulfilstation.services.shipping.carrier_choice import ship_from
from fulfilstation.services.shipping.slip import safe_file_part
from fulfilstation.services.stations.registry import station_info

_AUTHORISE = "authorise returns (RMAs) and record refunds"
_RECEIVE = "receive and grade returns"


class ReturnsService(AreaService):
    # -- queries

    def find(self, code: str) -> RmaView:
        """The RMA a scan names: its number or its return label's tracking number."""
        return show_rma(self.database, code, self._now())

    def show(self, code: str) -> RmaView:
        return self.find(code)

    def list(self, overdue_only: bool = False, include_closed: bool = True) -> builtins.list[RmaSummary]:
        """RMAs waiting (open, received; overdue first) then the others, newest first."""
        return list_rmas(self.database, self._now(), overdue_only=overdue_only, include_closed=include_closed)

    def reasons(self, start: dt.datetime, end: dt.datetime) -> builtins.list[ReasonCount]:
        """Units and RMAs per reason over RMAs created in [start, end)."""
        return reason_counts(self.database, start, end)

    def reason_choices(self) -> dict[str, str]:
        """The reasons a return line may give: code → words."""
        return dict(REASONS)

    def slip_pdf(self, code: str) -> bytes:
        """The RMA slip: its number as a Code 128 barcode, the lines and reasons, the address to
        send the parcel to and what to do."""
        with self.database.unit_of_work() as session:
            rma = find_rma(session, code)
            view = load_rma(session, rma, self._now())
            return_to = ship_from(session)
        return rma_slip_pdf(RmaSlip(view.number, view.order_number, view.created_at.date(), view.customer,
                                    return_to, tuple(SlipLine(line.sku, line.name, line.expected, line.reason_words)
                                                     for line in view.lines),
                                    view.tracking_number, view.carrier_code))

    def save_slip(self, code: str) -> Path:
        """The RMA slip saved in this station's documents folder (``RMA-000123.pdf``); its path."""
        pdf = self.slip_pdf(code)
        number = self.find(code).number
        folder = station_documents_dir(self._context.ports.documents_dir, self._context.station_name)
        path = folder / f"{safe_file_part(number)}.pdf"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pdf)
        except OSError as exc:
            raise ReturnsRefused("cannot-save", f"The RMA slip could not be saved to {path} ({exc.strerror or exc}): "
                                 "check the documents folder.") from exc
        return path

    def label_zpl(self, code: str) -> bytes | None:
        """The RMA's stored return label (ZPL), or None when it has none."""
        with self.database.unit_of_work() as session:
            label = find_rma(session, code).return_label
        return label.encode() if label else None

    # -- use cases

    @use_case(Permission.CREATE_RMA, _AUTHORISE)
    def create(self, actor: Actor, order_number: str, lines: Sequence[NewRmaLine], note: str | None = None,
               label: bool = True) -> CreatedRma:
        """Authorise the return of ``lines`` of shipped order ``order_number`` (audited
        ``rma.created``). With ``label``: a return label from the order's carrier — a local
        carrier's in the same transaction, an API carrier's bought after the commit — printed
        on this station's label printer once it is recorded."""
        with self.database.unit_of_work() as session:
            made = create_rma(session, actor, order_number, lines, note)
            plan = LabelPlan(None, None, "No return label was asked for: send the customer the RMA slip.")
            if label:
                plan = local_label(session, session.get_one(Rma, made.rma_id),
                                   session.get_one(Order, made.order_id))
        tracking, words = plan.tracking_number, plan.note
        if plan.api:
            tracking, words = buy_api_label(self.database, made.rma_id, self._context.ports.carrier_adapters, actor)
        printed = False
        if tracking is not None:
            zpl = self.label_zpl(made.number)
            if zpl is not None:
                printed, how = print_label(self._printer(actor), zpl.decode(), made.number)
                words = f"{words}: {how}"
        return CreatedRma(made.number, made.order_number, made.units, tracking, words, printed)

    @use_case(Permission.RECEIVE_RETURNS, _RECEIVE, fresh=False)
    def receive(self, actor: Actor, rma: str, code: str, lot: str | None = None,
                serial: str | None = None) -> ReturnScan:
        """One item scanned in on the RMA ``rma`` (its number or return tracking number): its
        line counts it (never above what was authorised) and the units go to the returns bin.
        A lot-tracked product needs its lot (in a GS1 ``code`` or ``lot``), a serial-tracked one
        its ``serial``, one the order shipped (ReturnsRefused ``lot-needed``/``serial-needed``)."""
        return receive_scan(self.database, actor, rma, code, self._now(), lot, serial)

    @use_case(Permission.RECEIVE_RETURNS, _RECEIVE)
    def grade(self, actor: Actor, rma: str, item: str, grade: str, action: str, bin: str | None = None,
              note: str | None = None) -> GradedUnit:  # noqa: A002 - the word people use
        """Grade one received unit of ``item`` (SKU or barcode) and restock it (to ``bin``),
        quarantine it or dispose of it. Once a restock committed, the backorders needing the
        SKU are reserved (oldest first)."""
        graded = grade_unit(self.database, actor, rma, Grading(item, grade, action, bin, note), self._now())
        if graded.action == "restock":
            reserve_backorders(self.database, actor, today=self._now().astimezone().date(), skus=[graded.sku])
        return graded

    @use_case(Permission.CREATE_RMA, _AUTHORISE)
    def record_refund(self, actor: Actor, order_number: str, note: str | None = None) -> RefundRecorded:
        """The order's refund was paid: each closed RMA not yet refunded is marked refunded, the
        order's ``refund_due`` is cleared and the amount is the value of those RMAs only
        (audited ``order.refund_recorded``)."""
        return record_refund(self.database, actor, order_number, self._now(), note)

    @use_case(Permission.CREATE_RMA, _AUTHORISE)
    def cancel(self, actor: Actor, rma: str) -> RmaView:
        """Cancel an RMA on which nothing was received yet (audited ``rma.cancelled``); its
        units can be authorised again and the order's shipment can be voided."""
        return cancel_rma(self.database, actor, rma, self._now())

    @use_case(Permission.CREATE_RMA, _AUTHORISE)
    def close(self, actor: Actor, rma: str) -> tuple[RmaView, str]:
        """Close a received RMA short: the units still expected are not coming; every unit
        received must be graded first. The refund due is what came back (audited ``rma.closed``)."""
        return close_short(self.database, actor, rma, self._now())

    # -- steps

    def _now(self) -> dt.datetime:
        return self._context.ports.clock.now()

    def _printer(self, actor: Actor) -> LabelPrinter | None:
        station = station_info(self.database, actor.station_id) if actor.station_id is not None else None
        if station is None:
            return None
        try:
            return self._context.ports.printers.label_printer(station.name, station.label_printer_uri)
        except (DeviceError, ValueError):
            return None


