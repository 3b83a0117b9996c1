"""``fulfilstation integrations …`` and ``fulfilstation sync``: the shops, from the command line.

* ``integrations problems [--json]``: failed pushes (id, channel, topic, order, attempts,
  last error), channels whose last sync failed or that have not synced for longer than
  three poll intervals, and shipped orders whose tracking has not reached the shop within 24 h;
  exit 0 when there are none, 1 when there are (a cron job can alert on it).
* ``integrations retry ID``: put a failed push back in the queue (a manager);
  ``integrations retry --all [--channel NAME]``: every failed push (of that channel).
* ``integrations channels [--json]``: the channels, last sync (and its error, when the last
  round failed), pending and failed pushes.
* ``integrations add-channel NAME --kind K [--url URL] [--location ID] [--poll-seconds N]
  [--no-notify-customer]``, ``integrations set-secret NAME KEY`` (the secret is asked for,
  hidden, or read from standard input; never an argument: it would stay in the shell's
  history), ``integrations set-buffer UNITS [--sku SKU]`` (an owner's);
  ``integrations reconcile NAME`` (a full stock push, a manager's).
* ``sync [--channel NAME] [--once]``: sync the shops' orders, deliver the outbox and track
  shipments (``tracking poll``'s pass) every ``poll_seconds`` until stopped, or once.
  Ctrl+C stops it at once and exits 0: what a round
  committed stays, an interrupted transaction rolls back, and a push that reached the shop
  but was not recorded goes again later with the same idempotency key (nothing twice).
  A lost database stops nothing: one line says so, the rounds go on with a back-off and
  carry on when it is back (``cli/sync_loop.py``).
  Unattended: sign in with a manager's job secret (``users issue-secret`` on this machine).

Exit statuses as every command: 0 done, 1 refused (the message says why), 2 usage.
"""

from __future__ import annotations

import argparse
import getpass
import json
import signal
import sys
import threading
from typing import Any

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.cli.sync_loop import run_rounds
from fulfilstation.services.integrations import ChannelChanges, ChannelFields, Problems, SyncRound

DEFAULT_POLL = 30


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    group = commands.add_parser("integrations", help="sales channels, failed pushes to the shops, stock buffers")
    sub = group.add_subparsers(dest="integrations_command", metavar="COMMAND", required=True)
    problems = sub.add_parser("problems", parents=[common], help="failed pushes and tracking late to the shop")
    problems.add_argument("--json", action="store_true", help="one JSON object: failed, late")
    problems.set_defaults(handler=_problems)
    retry = sub.add_parser("retry", parents=[common], help="send a failed push again (or --all of them)")
    retry.add_argument("message_id", metavar="ID", type=int, nargs="?", help="the push's id (integrations problems)")
    retry.add_argument("--all", action="store_true", help="every failed push (with --channel: of that channel)")
    retry.add_argument("--channel", metavar="NAME", help="with --all: only this channel's failed pushes")
    sign_in.add_arguments(retry, "a manager")
    retry.set_defaults(handler=_retry)
    channels = sub.add_parser("channels", parents=[common], help="the sales channels and their pushes")
    channels.add_argument("--json", action="store_true", help="a JSON array")
    channels.set_defaults(handler=_channels)
    add = sub.add_parser("add-channel", parents=[common], help="add a sales channel (an owner)")
    add.add_argument("name", help="what its orders are filed under (e.g. webshop)")
    add.add_argument("--kind", required=True, choices=("shopify", "woocommerce", "file"))
    add.add_argument("--url", help="the shop's address, e.g. https://example.myshopify.com")
    add.add_argument("--location", help="the shop's location id for this warehouse (Shopify)")
    add.add_argument("--poll-seconds", type=int, default=None, help=f"how often to sync (default {DEFAULT_POLL})")
    add.add_argument("--no-notify-customer", action="store_true", help="the shop does not e-mail the tracking")
    sign_in.add_arguments(add, "an owner")
    add.set_defaults(handler=_add_channel)
    edit = sub.add_parser("edit-channel", parents=[common], help="change a channel's address, location or settings "
                          "(an owner)")
    edit.add_argument("name", help="the channel")
    edit.add_argument("--url", help="the shop's address, e.g. https://example.myshopify.com")
    edit.add_argument("--location", help="the shop's location id for this warehouse (Shopify)")
    edit.add_argument("--poll-seconds", type=int, default=None, help="how often to sync")
    notify = edit.add_mutually_exclusive_group()
    notify.add_argument("--notify-customer", dest="notify", action="store_true", default=None,
                        help="the shop e-mails the tracking to the customer")
    notify.add_argument("--no-notify-customer", dest="notify", action="store_false",
                        help="the shop does not e-mail the tracking")
    sign_in.add_arguments(edit, "an owner")
    edit.set_defaults(handler=_edit_channel)

    secret = sub.add_parser("set-secret", parents=[common], help="keep a channel's API secret in the keyring")
    secret.add_argument("name", help="the channel")
    secret.add_argument("key", help="token (Shopify's Admin API token), key and secret (WooCommerce's consumer "
                                    "key and secret), webhook (the webhook signing secret)")
    sign_in.add_arguments(secret, "an owner")
    secret.set_defaults(handler=_set_secret)
    buffer = sub.add_parser("set-buffer", parents=[common], help="units held back from the shops")
    buffer.add_argument("units", help="a whole number ≥ 0; with --sku, 'default' for the site's")
    buffer.add_argument("--sku", help="this product only (else the site default)")
    sign_in.add_arguments(buffer, "an owner")
    buffer.set_defaults(handler=_set_buffer)
    reconcile = sub.add_parser("reconcile", parents=[common], help="push every product's stock to a shop")
    reconcile.add_argument("name", help="the channel")
    sign_in.add_arguments(reconcile, "a manager")
    reconcile.set_defaults(handler=_reconcile)

    sync = commands.add_parser("sync", parents=[common],
                               help="sync the shops' orders, deliver the outbox, track shipments")
    sync.add_argument("--channel", metavar="NAME", help="only this channel's orders")
    sync.add_argument("--once", action="store_true", help="one round, then stop (for cron)")
    sign_in.add_arguments(sync, "a manager, or a job secret's user")
    sync.set_defaults(handler=_sync)


def _problems(args: argparse.Namespace, context: CliContext) -> int:
    found = context.app().integrations.problems()
    if args.json:
        print(json.dumps(_problems_json(found), indent=2, ensure_ascii=False))
        return 1 if found.count else 0
    if not found.count:
        print("No integration problems.")
        return 0
    for push in found.failed:
        print(f"#{push.id}  {push.channel or '-'}  {push.topic}  order {push.order or '-'}  "
              f"{push.attempts} attempt{'s' if push.attempts != 1 else ''}: {push.last_error or 'no error kept'}")
    for trouble in found.syncs:
        print(f"sync  {trouble.channel}  {trouble.words}"
              + (f" ({trouble.error_at:%Y-%m-%d %H:%M} UTC)" if trouble.error_at else ""))
    for late in found.late:
        state = f"push {late.push_status}" if late.push_status else "no push"
        print(f"late  {late.channel}  order {late.order}  tracking {late.tracking or '-'}  shipped "
              f"{late.shipped_at:%Y-%m-%d %H:%M} UTC, not in the shop after 24 h ({state}"
              f"{': ' + late.last_error if late.last_error else ''})")
    print(f"{len(found.failed)} failed, {len(found.late)} late, {len(found.syncs)} channel"
          f"{'s' if len(found.syncs) != 1 else ''} not syncing."
          + (" Retry with: fulfilstation integrations retry ID (or --all)" if found.failed else ""))
    return 1


def _problems_json(found: Problems) -> dict[str, Any]:
    return {"failed": [{"id": p.id, "channel": p.channel, "topic": p.topic, "order": p.order,
                        "attempts": p.attempts, "last_error": p.last_error, "created_at": p.created_at.isoformat()}
                       for p in found.failed],
            "late": [{"shipment_id": t.shipment_id, "order": t.order, "channel": t.channel, "tracking": t.tracking,
                      "shipped_at": t.shipped_at.isoformat(), "push_status": t.push_status,
                      "last_error": t.last_error} for t in found.late],
            "syncs": [{"channel": t.channel,
                       "last_synced_at": t.last_synced_at.isoformat() if t.last_synced_at else None,
                       "error": t.error, "error_at": t.error_at.isoformat() if t.error_at else None, "words": t.words}
                      for t in found.syncs]}


def _retry(args: argparse.Namespace, context: CliContext) -> int:
    if args.all == (args.message_id is not None):
        raise CommandError("Name one failed push (integrations retry ID) or retry them all (integrations retry "
                           "--all [--channel NAME]).")
    if args.channel is not None and not args.all:
        raise CommandError("--channel goes with --all: integrations retry --all --channel NAME.")
    if args.all:
        count = context.app().integrations.retry_all(sign_in.sign_in(args, context), args.channel)
        print(f"{count} failed push{'es are' if count != 1 else ' is'} queued again"
              f"{' for ' + args.channel if args.channel else ''}: the next worker pass sends "
              f"{'them' if count != 1 else 'it'}.")
        return 0
    context.app().integrations.retry(sign_in.sign_in(args, context), args.message_id)
    print(f"Push #{args.message_id} is queued again: the next worker pass sends it.")
    return 0


def _channels(args: argparse.Namespace, context: CliContext) -> int:
    found = context.app().integrations.channels()
    if args.json:
        print(json.dumps([{"name": c.name, "kind": c.kind, "base_url": c.base_url, "location_id": c.location_id,
                           "settings": dict(c.settings), "active": c.active,
                           "last_synced_at": c.last_synced_at.isoformat() if c.last_synced_at else None,
                           "pending_pushes": c.pending_pushes, "failed_pushes": c.failed_pushes,
                           "last_error": c.last_error,
                           "last_error_at": c.last_error_at.isoformat() if c.last_error_at else None} for c in found],
                         indent=2, ensure_ascii=False))
        return 0
    if not found:
        print("No sales channels yet: fulfilstation integrations add-channel NAME --kind shopify --url …")
    for c in found:
        synced = f"{c.last_synced_at:%Y-%m-%d %H:%M} UTC" if c.last_synced_at else "never"
        print(f"{c.name:<16} {c.kind:<12} {'active' if c.active else 'inactive':<9} last sync {synced}; "
              f"{c.pending_pushes} pending, {c.failed_pushes} failed  {c.base_url or ''}")
        if c.last_error:
            when = f" at {c.last_error_at:%Y-%m-%d %H:%M} UTC" if c.last_error_at else ""
            print(f"{'':<16} last sync failed{when}: {c.last_error}")
    return 0


def _add_channel(args: argparse.Namespace, context: CliContext) -> int:
    settings: dict[str, Any] = {}
    if args.poll_seconds is not None:
        settings["poll_seconds"] = args.poll_seconds
    if args.no_notify_customer:
        settings["notify_customer"] = False
    view = context.app().integrations.add_channel(
        sign_in.sign_in(args, context), ChannelFields(args.name, args.kind, args.url, args.location, settings))
    keys = {"shopify": "token", "woocommerce": "key, then: … set-secret NAME secret"}
    print(f"Channel {view.name} ({view.kind}) added."
          + (f" Now keep its API secret: fulfilstation integrations set-secret {view.name} {keys[view.kind]}"
             if view.kind in keys else ""))
    return 0


def _edit_channel(args: argparse.Namespace, context: CliContext) -> int:
    settings: dict[str, Any] = {}
    if args.poll_seconds is not None:
        settings["poll_seconds"] = args.poll_seconds
    if args.notify is not None:
        settings["notify_customer"] = args.notify
    changes = ChannelChanges(base_url=args.url, location_id=args.location, settings=settings or None)
    view = context.app().integrations.edit_channel(sign_in.sign_in(args, context), args.name, changes)
    print(f"Channel {view.name} ({view.kind}) changed: {view.base_url or 'no address'}"
          f"{', location ' + view.location_id if view.location_id else ''}. Its waiting pushes go at the next pass.")
    return 0


def _set_secret(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    if sys.stdin.isatty():
        secret = getpass.getpass(f"{args.key} for channel {args.name} (hidden): ")
    else:
        secret = sys.stdin.readline().rstrip("\r\n")
    context.app().integrations.set_secret(actor, args.name, args.key, secret)
    print(f"{args.key} of channel {args.name} is kept in this machine's keyring.")
    return 0


def _set_buffer(args: argparse.Namespace, context: CliContext) -> int:
    units: int | None
    if args.sku and args.units == "default":
        units = None
    else:
        try:
            units = int(args.units)
        except ValueError:
            raise CommandError(f"UNITS is a whole number of units (or 'default' with --sku): {args.units!r}") \
                from None
    actor = sign_in.sign_in(args, context)
    if args.sku:
        context.app().integrations.set_product_buffer(actor, args.sku, units)
        print(f"{args.sku}: " + (f"{units} units held back from the shops." if units is not None
                                 else "the site's buffer applies."))
    else:
        assert units is not None
        context.app().integrations.set_site_buffer(actor, units)
        print(f"{units} units of each product are held back from the shops (unless the product says otherwise).")
    return 0


def _reconcile(args: argparse.Namespace, context: CliContext) -> int:
    queued = context.app().integrations.reconcile_stock(sign_in.sign_in(args, context), args.name)
    print(f"{queued} stock pushes queued for {args.name}: the next worker pass sends them (fulfilstation sync --once).")
    return 0


def _sync(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    integrations = context.app().integrations

    def poll() -> float:
        return min((c.poll_seconds for c in integrations.channels() if c.active), default=DEFAULT_POLL)

    stop = threading.Event()
    previous = _stop_on_signals(stop)
    try:
        code = run_rounds(lambda: integrations.run_round(actor, args.channel), poll, once=args.once,
                          stop=stop, report=lambda round_: print(_round_words(round_), flush=True),
                          say=lambda line: print(line, file=sys.stderr, flush=True))
    except KeyboardInterrupt:  # a second Ctrl+C, in the middle of a round
        code = 0
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if stop.is_set() or not args.once:
        print("sync stopped.", file=sys.stderr)
    return code


def _stop_on_signals(stop: threading.Event) -> dict[int, Any]:
    """Ctrl+C (or SIGTERM) sets ``stop``: the round under way ends, its transaction commits
    or rolls back whole, and the loop returns — no exception lands in the middle of a
    database call. A second Ctrl+C interrupts at once, as usual. The previous handlers
    are returned so they can be put back."""

    def graceful(number: int, _frame: object) -> None:
        if stop.is_set() and number == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()

    previous: dict[int, Any] = {}
    for number in (signal.SIGINT, signal.SIGTERM):
        previous[number] = signal.getsignal(number)
        signal.signal(number, graceful)
    return previous


def _round_words(round_: SyncRound) -> str:
    parts = [f"{s.channel}: another computer is syncing it" if s.busy else
             f"{s.channel}: {s.fetched} orders fetched ({s.imported} new, {s.updated} updated, {s.rejected} rejected)"
             + (f", error: {s.error}" if s.error else "") for s in round_.syncs]
    delivery = round_.delivery
    if delivery.lease_held_elsewhere:
        parts.append("outbox: another worker is delivering")
    else:
        parts.append(f"outbox: {delivery.delivered} delivered, {delivery.stock_delivered} stock levels pushed, "
                     f"{delivery.retried} to retry, {delivery.failed} failed")
        parts.extend(delivery.errors)
    if round_.tracking is not None:
        parts.append(round_.tracking.words())
    return f"{round_.at:%H:%M:%S} " + "; ".join(parts)
