"""``fulfilstation tracking …``: shipments followed to delivery, from the command line.

* ``tracking poll [--limit N]``: one pass of the tracking poller now (a manager, or a job
  signed in with a manager's job secret): the carriers are asked about every due shipment;
  one line says how many were asked, new scans, updates, deliveries, and each carrier's
  trouble. Exit 0, or 1 when a carrier could not be asked (the others were recorded).
  ``fulfilstation sync`` runs the same pass at the end of each round.
* ``tracking show NUMBER [--json]``: a shipment's recorded tracking (state, delivery,
  promised day, its scans newest first).
* ``tracking problems [--json]``: shipments returned to sender, with no carrier movement for
  3 days, or delivered after their promised day; exit 0 when there are none, 1 when there are.

Exit statuses as every command: 0 done, 1 refused (the message says why), 2 usage.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext
from fulfilstation.services.tracking import KIND_NAMES, ShipmentTracking, TrackingProblem


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    group = commands.add_parser("tracking", help="shipments followed to delivery: poll the carriers, show, problems")
    sub = group.add_subparsers(dest="tracking_command", metavar="COMMAND", required=True)
    poll = sub.add_parser("poll", parents=[common], help="ask the carriers about undelivered shipments now")
    poll.add_argument("--limit", type=int, default=None, help="at most this many shipments")
    sign_in.add_arguments(poll, "a manager, or a job secret's user")
    poll.set_defaults(handler=_poll)
    show = sub.add_parser("show", parents=[common], help="a shipment's tracking as recorded")
    show.add_argument("number", metavar="TRACKING", help="the shipment's (or a package's) tracking number")
    show.add_argument("--json", action="store_true", help="one JSON object")
    show.set_defaults(handler=_show)
    problems = sub.add_parser("problems", parents=[common], help="returned, stalled and late deliveries")
    problems.add_argument("--json", action="store_true", help="a JSON array")
    problems.set_defaults(handler=_problems)


def _poll(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    tracking = context.app().tracking
    done = tracking.poll(actor) if args.limit is None else tracking.poll(actor, args.limit)
    print(done.words())
    return 1 if done.errors else 0


def _show(args: argparse.Namespace, context: CliContext) -> int:
    found = context.app().tracking.show(args.number)
    if args.json:
        print(json.dumps(_tracking_json(found), indent=2, ensure_ascii=False))
        return 0
    delivered = f", delivered {found.delivered_at:%Y-%m-%d %H:%M} UTC" if found.delivered_at else ""
    promised = f", promised by {found.promised_by.isoformat()}" if found.promised_by else ""
    print(f"{found.tracking_number}  order {found.order_number}  {found.state or 'not tracked yet'}{delivered}"
          f"{promised}")
    for event in found.events:
        place = f"  ({event.location})" if event.location else ""
        print(f"  {event.occurred_at:%Y-%m-%d %H:%M} UTC  {event.description}{place}")
    return 0


def _problems(args: argparse.Namespace, context: CliContext) -> int:
    found = context.app().tracking.problems()
    if args.json:
        print(json.dumps([_problem_json(p) for p in found], indent=2, ensure_ascii=False))
        return 1 if found else 0
    if not found:
        print("No tracking problems.")
        return 0
    for problem in found:
        last = f", last scan {problem.last_event_at:%Y-%m-%d %H:%M} UTC" if problem.last_event_at else ", no scan"
        promised = f", promised by {problem.promised_by.isoformat()}" if problem.promised_by else ""
        print(f"{KIND_NAMES[problem.kind]}: {problem.tracking_number}  order {problem.order_number}{last}{promised}")
    return 1


def _tracking_json(found: ShipmentTracking) -> dict[str, Any]:
    return {"tracking_number": found.tracking_number, "order": found.order_number, "state": found.state,
            "delivered_at": _iso(found.delivered_at), "promised_by": _iso(found.promised_by),
            "tracked_at": _iso(found.tracked_at),
            "events": [{"at": _iso(e.occurred_at), "code": e.code, "description": e.description,
                        "location": e.location} for e in found.events]}


def _problem_json(problem: TrackingProblem) -> dict[str, Any]:
    return {"kind": problem.kind, "tracking_number": problem.tracking_number, "order": problem.order_number,
            "state": problem.state, "last_event_at": _iso(problem.last_event_at),
            "promised_by": _iso(problem.promised_by), "delivered_at": _iso(problem.delivered_at)}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
