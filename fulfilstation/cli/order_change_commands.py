"""``fulfilstation orders hold|release|cancel|set-address|release-session``: a manager's
changes to an order (``release-session``: give back the open pack of a station that died
mid-pack; its scans stay as history).

Each signs in first (``--user``/``--manager`` with ``--pin``, ``$FULFIL_PIN`` or a hidden
prompt on a terminal, or ``--badge``) and calls one use case of ``app.orders``; the use
case checks the role. Exit status: 0 done; 1 refused (the message says why and what to
do: a packer, an order being packed or shipped, a bad address …); 2 no way to sign in.
Nothing changes when the exit status is not 0.
"""

from __future__ import annotations

import argparse

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext
from fulfilstation.domain.words import plural
from fulfilstation.services.orders import Address, OrderSummary

ADDRESS_REQUIRED = (("--name", "who receives it"), ("--line1", "street and number"), ("--city", "city"),
                    ("--postal-code", "ZIP or postal code"), ("--country", "two-letter ISO code, e.g. US"))
ADDRESS_OPTIONAL = (("--line2", "apartment, suite, unit…"), ("--region", "state or province (US: required)"),
                    ("--company", "company"), ("--phone", "phone (carriers ask for it)"),
                    ("--email", "email (else the order's is kept)"))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """Add ``hold``, ``release``, ``cancel`` and ``set-address`` to the ``orders`` group."""
    hold = _change(sub, common, "hold", "stop an order being packed or shipped (also while it is being packed)",
                   _hold)
    hold.add_argument("--reason", required=True, help="why: the packers see it")
    release = _change(sub, common, "release", "take the hold off an order", _release)
    release.add_argument("--reason", default=None, help="why (optional; kept in the audit log)")
    cancel = _change(sub, common, "cancel", "cancel an order that is not shipped or being packed; its reserved "
                     "stock is released", _cancel)
    cancel.add_argument("--reason", required=True, help="why (kept in the audit log, sent to the shop)")
    session = _change(sub, common, "release-session", "give back to the queue the open pack session of an order "
                      "(a station that stopped mid-pack); its scans are kept as history", _release_session)
    session.add_argument("--reason", default="released by a manager", help="why (kept in the audit log)")
    address = _change(sub, common, "set-address", "change the ship-to address of an order not yet shipped",
                      _set_address, who="a manager or an owner")
    for flag, what in ADDRESS_REQUIRED:
        address.add_argument(flag, required=True, help=what)
    for flag, what in ADDRESS_OPTIONAL:
        address.add_argument(flag, default=None, help=what)


def _change(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser, name: str,
            what: str, handler: object, who: str = "a manager or an owner") -> argparse.ArgumentParser:
    parser = sub.add_parser(name, parents=[common], help=what)
    parser.add_argument("order", help="the order number")
    sign_in.add_arguments(parser, who, manager_alias=True)
    parser.set_defaults(handler=handler)
    return parser


def _hold(args: argparse.Namespace, context: CliContext) -> int:
    summary = context.app().orders.hold(sign_in.sign_in(args, context), args.order, args.reason)
    note = " It is being packed: its station cannot ship it until it is released." \
        if summary.status == "packing" else ""
    print(f"Order {summary.number} is on hold: {summary.hold_reason}.{note}")
    return 0


def _release(args: argparse.Namespace, context: CliContext) -> int:
    summary = context.app().orders.release(sign_in.sign_in(args, context), args.order, args.reason)
    print(f"Order {summary.number} is released: {_next(summary)}.")
    return 0


def _cancel(args: argparse.Namespace, context: CliContext) -> int:
    cancelled = context.app().orders.cancel(sign_in.sign_in(args, context), args.order, args.reason)
    bins = len({reservation.bin for reservation in cancelled.released})
    released = (f"{plural(cancelled.units_released, 'reserved unit')} released "
                f"in {plural(bins, 'bin')}") if cancelled.released else "no stock was reserved"
    print(f"Order {cancelled.summary.number} is cancelled; {released}.")
    for reservation in cancelled.released:
        lot = f" lot {reservation.lot}" if reservation.lot else ""
        print(f"  {reservation.quantity:>3} × {reservation.sku:<14} {reservation.bin}{lot}")
    return 0


def _release_session(args: argparse.Namespace, context: CliContext) -> int:
    released = context.app().orders.release_pack_session(sign_in.sign_in(args, context), args.order, args.reason)
    print(released.message)
    return 0


def _set_address(args: argparse.Namespace, context: CliContext) -> int:
    address = Address(args.name, args.line1, args.city, args.postal_code, args.country, args.line2, args.region,
                      args.company, args.phone, args.email)
    stored = context.app().orders.set_address(sign_in.sign_in(args, context), args.order, address)
    print(f"Order {args.order.strip()} ships to: {stored.one_line()}" + (f", {stored.phone}" if stored.phone else ""))
    return 0


def _next(summary: OrderSummary) -> str:
    if summary.status == "packing":
        return "its station can ship it now"
    return "stations can pack it" if summary.status == "ready" else f"it is {summary.status}"
