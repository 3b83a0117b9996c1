"""``fulfilstation slotting …``: fast movers to the bins nearest the packing stations.

Read: ``list [--all] [--json]`` (the proposals waiting; ``--all``: the latest of every
status). Change (signing in; a manager or an owner): ``propose [--days N] [--limit K]``
(rank by units shipped over N days, propose at most K moves, replacing what waited),
``accept ID`` or ``accept --all`` (each a stock move), ``reject ID``. Exit 0 done; 1
refused (the message says why — a stale proposal is marked stale); 2 no way to sign in or
a bad argument.
"""

from __future__ import annotations

import argparse
import json

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.cli.numbers import whole_number
from fulfilstation.domain.words import plural
from fulfilstation.services.slotting import PROPOSAL_LIMIT, VELOCITY_DAYS, SlottingProposal

ID_MAX = 2**31 - 1


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    slotting = commands.add_parser("slotting", help="proposed moves of the fastest movers to the nearest bins")
    sub = slotting.add_subparsers(dest="slotting_command", metavar="COMMAND", required=True)
    listing = sub.add_parser("list", parents=[common], help="the proposals waiting for a decision")
    listing.add_argument("--all", action="store_true", help="the latest proposals of every status")
    listing.add_argument("--json", action="store_true", help="a JSON array (keys in the README)")
    listing.set_defaults(handler=_list)
    propose = sub.add_parser("propose", parents=[common], help="propose moves (replaces the ones waiting)")
    propose.add_argument("--days", type=whole_number(1, 365, "days"), default=VELOCITY_DAYS,
                         help=f"rank products by units shipped over this many days (default {VELOCITY_DAYS})")
    propose.add_argument("--limit", type=whole_number(1, 500, "moves"), default=PROPOSAL_LIMIT,
                         help=f"at most this many proposals (default {PROPOSAL_LIMIT})")
    sign_in.add_arguments(propose, "a manager or an owner", manager_alias=True)
    propose.set_defaults(handler=_propose)
    accept = sub.add_parser("accept", parents=[common], help="accept a proposal: its units are moved")
    which = accept.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", type=whole_number(1, ID_MAX), help="the proposal's number (see 'list')")
    which.add_argument("--all", action="store_true", help="accept every waiting proposal")
    sign_in.add_arguments(accept, "a manager or an owner", manager_alias=True)
    accept.set_defaults(handler=_accept)
    reject = sub.add_parser("reject", parents=[common], help="reject a proposal (nothing moves)")
    reject.add_argument("id", type=whole_number(1, ID_MAX), help="the proposal's number (see 'list')")
    sign_in.add_arguments(reject, "a manager or an owner", manager_alias=True)
    reject.set_defaults(handler=_reject)


def proposal_line(proposal: SlottingProposal) -> str:
    lot = f" lot {proposal.lot}" if proposal.lot else ""
    return (f"{proposal.id:>6}  {proposal.sku:<16} {proposal.quantity:>6} from {proposal.from_bin} "
            f"(seq {proposal.from_sequence}) to {proposal.to_bin} (seq {proposal.to_sequence}){lot}  "
            f"shipped {proposal.units_shipped}  {proposal.status}")


def _list(args: argparse.Namespace, context: CliContext) -> int:
    proposals = context.app().slotting.proposals(open_only=not args.all)
    if args.json:
        print(json.dumps([p.as_json() for p in proposals], indent=2, ensure_ascii=False))
        return 0
    if not proposals:
        print("No slotting proposals are waiting: make some with 'fulfilstation slotting propose'.")
    for proposal in proposals:
        print(proposal_line(proposal))
    return 0


def _propose(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    proposed = context.app().slotting.propose(actor, days=args.days, limit=args.limit)
    for proposal in proposed.proposals:
        print(proposal_line(proposal))
    replaced = f"; {plural(proposed.replaced, 'older proposal')} marked stale" if proposed.replaced else ""
    if not proposed.proposals:
        print(f"Nothing to propose: no product shipped in the last {plural(args.days, 'day')} sits farther than an "
              f"empty pickable bin{replaced}.")
    else:
        print(f"Proposed {plural(len(proposed.proposals), 'move')}{replaced}. Accept with 'fulfilstation slotting "
              "accept ID' (or --all).")
    return 0


def _accept(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    app = context.app()
    if not args.all:
        done = app.slotting.accept(actor, args.id)
        print(f"Accepted {done.id}: moved {plural(done.quantity, 'unit')} of {done.sku} from {done.from_bin} to "
              f"{done.to_bin}.")
        return 0
    result = app.slotting.accept_all(actor)
    for done in result.accepted:
        print(f"Accepted {done.id}: moved {plural(done.quantity, 'unit')} of {done.sku} from {done.from_bin} to "
              f"{done.to_bin}.")
    for move_id, why in result.stale:
        print(f"Stale {move_id}: {why}")
    print(f"Accepted {plural(len(result.accepted), 'proposal')}, {len(result.stale)} stale.")
    if result.stale and not result.accepted:
        raise CommandError("No proposal could be accepted: propose again.", code=1)
    return 0


def _reject(args: argparse.Namespace, context: CliContext) -> int:
    actor = sign_in.sign_in(args, context)
    done = context.app().slotting.reject(actor, args.id)
    print(f"Rejected {done.id}: {done.sku} stays in {done.from_bin}.")
    return 0
