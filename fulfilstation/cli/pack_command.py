"""``fulfilstation pack``: pack and ship one order without the window, for scripts and support.

The packer signs in (``--user`` with ``--pin``, ``--badge`` or ``$FULFIL_PIN``) at
``--station`` (default: this PC's). Each ``--scan`` goes through the same scan use case
as the station (items, serial and lot numbers, box barcodes); ``--box CODE`` is a box
scan. Shipping is ``app.shipping.ship``, as at the station: the shipment is recorded, an
API carrier's label bought, the labels printed on the station's label printer (this PC's
settings for its own station, the station's recorded printer otherwise, or
``--label-printer``), and the packing slip printed on its document printer or saved.

A weight outside the expected range ships only when a manager or owner accepts it
deliberately, as at the station: ``--accept-weight-by NAME`` with ``--accept-weight-pin``
(or ``--accept-weight-badge CODE``) and ``--accept-weight-reason TEXT`` (required with
them); the reason is audited with the reading and the range, and the order history says
who accepted which weight.

Output: the tracking numbers on standard output, one per line; what happened to the
labels and the slip on standard error. Exit 0 shipped and printed; 1 refused (the pack
session it opened is cancelled, the order is ready again for any station; only the scan
events remain, as history); 2 a usage error; 3 shipped but the label was not printed (it
waits as label pending: ``fulfilstation shipments reprint ORDER``); 4 shipped, but the
database went away before the label's print (or its failure) was recorded — a printed
label is recorded by the next ``pack`` run on this PC or the window, never printed
again; 130 interrupted.

The command never leaves its pack session open: on a refusal, Ctrl+C, SIGTERM, a lost
database or any other error before the shipment is recorded it cancels the session (the
order is ready again; when the database is gone the session is left to its heartbeat, and
any station can take it over two minutes later). While it packs it keeps the session alive
(``PackHeartbeat``). It starts with ``restart``: an earlier, dead run's session of the order
at this station is cancelled and its scans are not counted again; a run still packing the
order is refused.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.domain.units import parse_weight
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.packing import HEARTBEAT_S, PackRefused, Refusal, Weighing
from fulfilstation.services.refused import Refused
from fulfilstation.services.shipping import PrintOutcome

LABEL_NOT_PRINTED = 3
DATABASE_LOST = 4
INTERRUPTED = 130
WEIGHT_REFUSALS = (Refusal.WEIGHT_OVER, Refusal.WEIGHT_UNDER)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    pack = commands.add_parser("pack", parents=[common], help="pack and ship one order without the window")
    pack.add_argument("order", help="order number (or pick list / tote barcode)")
    pack.add_argument("--station", help="station name (default: this PC's; registered on first use)")
    sign_in.add_arguments(pack, "the packer")
    pack.add_argument("--scan", action="append", default=[], metavar="CODE", help="a scanned code; repeat")
    pack.add_argument("--weight", required=True, help="the parcel's weight, e.g. 1.25lb or 567g")
    pack.add_argument("--box", help="box type code (default: the suggested box)")
    accept = pack.add_argument_group("a manager accepting a weight outside the expected range")
    accept.add_argument("--accept-weight-by", metavar="NAME", help="the manager or owner who accepts it")
    proof = accept.add_mutually_exclusive_group()
    proof.add_argument("--accept-weight-pin", metavar="PIN", help="their PIN")
    proof.add_argument("--accept-weight-badge", metavar="CODE", help="their badge code (instead of NAME and PIN)")
    accept.add_argument("--accept-weight-reason", metavar="TEXT", help="why this weight is right (audited)")
    pack.add_argument("--label-printer", metavar="URI", help="print the label here instead of the station's printer")
    pack.add_argument("--document-printer", metavar="URI",
                      help="print the packing slip here instead of the station's document printer")
    pack.set_defaults(handler=pack_order)


def pack_order(args: argparse.Namespace, context: CliContext) -> int:
    try:
        grams = parse_weight(args.weight)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    accepting = bool(args.accept_weight_by or args.accept_weight_pin or args.accept_weight_badge)
    if accepting and not (args.accept_weight_reason or "").strip():
        raise CommandError("A weight is accepted with a reason: add --accept-weight-reason TEXT (why this weight "
                           "is right). Nothing changed.")
    if args.accept_weight_reason and not accepting:
        raise CommandError("--accept-weight-reason needs the manager who accepts the weight: add "
                           "--accept-weight-by NAME --accept-weight-pin PIN (or --accept-weight-badge CODE).")
    app = context.app(label_printer=args.label_printer, document_printer=args.document_printer)
    packer = sign_in.sign_in(args, context, args.station)
    manager = _manager(args, context) if accepting else None
    weighing = Weighing(grams, override=manager, reason=args.accept_weight_reason or "")
    late = app.shipping.record_printed_labels(packer)
    if late:
        print(f"Recorded {late} label{'s' if late != 1 else ''} printed here while the database was away.",
              file=sys.stderr)
    with _terminated_as_interrupt():
        view = app.packing.start(packer, args.order, restart=True)
        try:
            with PackHeartbeat(app, packer, view.session_id):
                _scan_all(app, packer, view.session_id, args)
                outcome = app.shipping.ship(packer, view.session_id, weighing)
        except Refused as refused:
            _give_back(app, packer, view.session_id, "pack command refused")
            if isinstance(refused, PackRefused) and refused.code in WEIGHT_REFUSALS and manager is None \
                    and "manager can accept" in refused.message:
                raise CommandError(f"{refused.message} Here: --accept-weight-by NAME --accept-weight-pin PIN "
                                   "--accept-weight-reason TEXT.", code=1) from refused
            raise
        except KeyboardInterrupt:
            raise CommandError(_interrupted(_give_back(app, packer, view.session_id, "pack command interrupted"),
                                            view.order_number), INTERRUPTED) from None
        except BaseException:
            _give_back(app, packer, view.session_id, "pack command failed")
            raise
    return _report(outcome)


def _give_back(app: AppServices, packer: Actor, session_id: int, reason: str) -> str:
    """Cancel the command's pack session: "cancelled", "finished" (it was no longer open:
    shipped, released or taken over) or "unreachable" (the database is gone: the session
    waits for the heartbeat's cut-off, or a manager). Never raises."""
    try:
        app.packing.cancel(packer, session_id, reason)
    except Refused:
        return "finished"
    except (Exception, KeyboardInterrupt):
        return "unreachable"
    return "cancelled"


def _interrupted(state: str, number: str) -> str:
    if state == "cancelled":
        return f"Interrupted: the pack of {number} was cancelled; the order is ready for any station again."
    if state == "finished":
        return (f"Interrupted: the pack of {number} was no longer open (shipped, released or taken over): see "
                f"fulfilstation orders show {number}")
    return (f"Interrupted: the pack of {number} could not be cancelled here; any station can take it over in 2 "
            f"minutes, or a manager can release it: fulfilstation orders release-session {number}")


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl+C: the pack is given back before the process ends."""


@contextmanager
def _terminated_as_interrupt() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class PackHeartbeat:
    """Keeps the command's pack session alive (``app.packing.heartbeat`` every
    ``HEARTBEAT_S`` seconds) on a daemon thread while the ``with`` block runs. A failed beat
    (database gone) is skipped; the next one tries again."""

    def __init__(self, app: AppServices, packer: Actor, session_id: int, every_s: float = HEARTBEAT_S) -> None:
        self._app, self._packer, self._session_id = app, packer, session_id
        self._every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pack-heartbeat", daemon=True)

    def __enter__(self) -> PackHeartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self._every_s):
            try:
                self._app.packing.heartbeat(self._packer, self._session_id)
            except Exception:  # noqa: BLE001,S112 - a lost database: the next beat tries again
                continue


def _manager(args: argparse.Namespace, context: CliContext) -> Actor:
    """The manager accepting the weight, signed in at the packer's station (never with the
    packer's ``$FULFIL_PIN``: their own PIN or badge is asked for)."""
    if not (args.accept_weight_pin or args.accept_weight_badge):
        raise CommandError("The manager accepting the weight signs in too: add --accept-weight-pin PIN (or "
                           "--accept-weight-badge CODE). Nothing changed.")
    who = argparse.Namespace(user=args.accept_weight_by, pin=args.accept_weight_pin, badge=args.accept_weight_badge)
    return sign_in.sign_in(who, context, args.station)


def _scan_all(app: AppServices, packer: Actor, session_id: int, args: argparse.Namespace) -> None:
    pending = None
    for code in [*args.scan, *([args.box] if args.box else [])]:
        outcome = app.packing.scan(packer, session_id, code)
        if not outcome.accepted and not outcome.pending:
            raise PackRefused(outcome.refusal or Refusal.UNKNOWN_BARCODE, outcome.message)
        pending = outcome.message if outcome.pending else None
        print(outcome.message, file=sys.stderr)
    if pending is not None:
        raise PackRefused(Refusal.INCOMPLETE, f"The scans ended while the last item was waiting for more. {pending} "
                          "Give it as the next --scan after that item.")


def _report(outcome: PrintOutcome) -> int:
    for number in outcome.tracking_numbers:
        print(number)
    if outcome.database_lost:
        print(outcome.problem, file=sys.stderr)
        print(outcome.slip_problem, file=sys.stderr)
        return DATABASE_LOST
    for accepted in outcome.weight_accepted:
        print(f"{accepted}.", file=sys.stderr)
    if outcome.service_note:
        print(f"{outcome.service_note}.", file=sys.stderr)
    if outcome.simulated:
        print(f"Label sent to the simulated printer ({outcome.printer}): nothing was printed on paper. Give the "
              "station a real label printer (Device settings, station.toml) or use --label-printer.",
              file=sys.stderr)
    elif outcome.printed:
        print(f"Label printed on {outcome.printer}.", file=sys.stderr)
    else:
        print(f"Shipped, but the label was not printed: {outcome.problem} The shipment waits as label pending: "
              f"fulfilstation shipments reprint {outcome.order_number or 'ORDER'}", file=sys.stderr)
    if outcome.slip_saved_to:
        print(f"No document printer: packing slip saved to {outcome.slip_saved_to}", file=sys.stderr)
    elif outcome.slip_problem:
        print(outcome.slip_problem, file=sys.stderr)
    else:
        print("Packing slip printed.", file=sys.stderr)
    if outcome.customs_note:
        print(outcome.customs_note, file=sys.stderr)
    return 0 if outcome.printed else LABEL_NOT_PRINTED
