"""``fulfilstation users …``: the people of the site, for an owner without the window.

``create-owner`` makes the first owner of a new database — the one command that needs no
sign-in, and only while the database has no owner. Every other changing command is an
owner's: they sign in (``--user`` with ``--pin``, ``--badge`` or ``$FULFIL_PIN``). New PINs
come from ``--new-pin`` or, on a terminal, a hidden prompt asked twice; they are never
printed. ``issue-secret`` keeps a job secret in THIS computer's keyring only (run it on the
machine that runs the job); the secret is never shown.

Exit status: 0 done; 1 refused (the message says why and what to do); 2 a usage error.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import asdict
from typing import Any

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.cli.numbers import DATABASE_ID
from fulfilstation.domain.words import plural
from fulfilstation.services.users import NewUser, UserInfo


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    owner = argparse.ArgumentParser(add_help=False)
    sign_in.add_arguments(owner, "an owner")
    users = commands.add_parser("users", help="users, their PINs, badges and job secrets (an owner's)")
    sub = users.add_subparsers(dest="users_command", required=True, metavar="COMMAND")
    listing = sub.add_parser("list", parents=[common], help="every user, with PIN/badge/job secrets set or not")
    listing.add_argument("--json", action="store_true", help="a JSON array")
    listing.set_defaults(handler=list_command)
    first = sub.add_parser("create-owner", parents=[common], help="the first owner of a new database (no sign-in; "
                           "only while there is no owner)")
    first.add_argument("username")
    first.add_argument("--name", required=True, help="the full name shown at the stations")
    first.add_argument("--new-pin", metavar="PIN", help="their PIN (else asked twice, hidden, on a terminal)")
    first.set_defaults(handler=create_owner_command)
    add = sub.add_parser("add", parents=[common, owner], help="a new user")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="the full name shown at the stations")
    add.add_argument("--role", required=True, choices=("packer", "manager", "owner"))
    add.add_argument("--new-pin", metavar="PIN", help="their PIN (else asked twice on a terminal; --no-pin: none)")
    add.add_argument("--no-pin", action="store_true", help="no PIN yet (badge only, or set one later)")
    add.add_argument("--new-badge", metavar="CODE", help="their badge code")
    add.set_defaults(handler=add_command)
    edit = sub.add_parser("edit", parents=[common, owner], help="change a user's name or role")
    edit.add_argument("username")
    edit.add_argument("--name", help="the new full name")
    edit.add_argument("--role", choices=("packer", "manager", "owner"))
    edit.set_defaults(handler=edit_command)
    for name, handler, what in (("deactivate", deactivate_command, "a user can no longer sign in"),
                                ("reactivate", reactivate_command, "a deactivated user can sign in again"),
                                ("unlock", unlock_command, "lift the lock after wrong PINs")):
        command = sub.add_parser(name, parents=[common, owner], help=what)
        command.add_argument("username")
        command.set_defaults(handler=handler)
    pin = sub.add_parser("set-pin", parents=[common, owner], help="give a user a new PIN")
    pin.add_argument("username")
    pin.add_argument("--new-pin", metavar="PIN", help="the new PIN (else asked twice, hidden, on a terminal)")
    pin.set_defaults(handler=set_pin_command)
    badge = sub.add_parser("set-badge", parents=[common, owner], help="give a user a badge (or --remove it)")
    badge.add_argument("username")
    group = badge.add_mutually_exclusive_group(required=True)
    group.add_argument("--new-badge", metavar="CODE", help="the badge code (scan it)")
    group.add_argument("--remove", action="store_true", help="take the user's badge away")
    badge.set_defaults(handler=set_badge_command)
    issue = sub.add_parser("issue-secret", parents=[common, owner], help="a job secret for unattended jobs, kept in "
                           "this computer's keyring only (run it on the job's machine)")
    issue.add_argument("username", help="the user the job acts as")
    issue.add_argument("--label", default="job", help="what the secret is for, e.g. 'nightly Shopify import'")
    issue.set_defaults(handler=issue_secret_command)
    revoke = sub.add_parser("revoke-secret", parents=[common, owner], help="revoke a user's job secrets (every "
                            "computer's copy stops working)")
    revoke.add_argument("username")
    revoke.add_argument("--id", type=DATABASE_ID, dest="secret_id",
                        help="only this secret (default: all of the user's)")
    revoke.set_defaults(handler=revoke_secret_command)


def list_command(args: argparse.Namespace, context: CliContext) -> int:
    users = context.app().users.list()
    if args.json:
        print(json.dumps([_json(user) for user in users], indent=2, ensure_ascii=False))
        return 0
    for user in users:
        print(describe(user))
    return 0


def describe(user: UserInfo) -> str:
    flags = [f"PIN {'set' if user.has_pin else 'not set'}", f"badge {'set' if user.has_badge else 'not set'}"]
    if user.job_secrets:
        flags.append(f"{plural(user.job_secrets, 'job secret')}")
    if user.locked_until is not None:
        flags.append(f"locked until {user.locked_until.astimezone():%H:%M}")
    state = "" if user.active else "  INACTIVE"
    return f"{user.username:<16} {user.full_name:<28} {user.role:<8} {', '.join(flags)}{state}"


def _json(user: UserInfo) -> dict[str, Any]:
    data = asdict(user)
    data["locked_until"] = user.locked_until.isoformat() if user.locked_until else None
    return data


def create_owner_command(args: argparse.Namespace, context: CliContext) -> int:
    info = context.app().users.create_owner(args.username, args.name, _new_pin(args, args.username))
    print(f"{info.full_name} ({info.username}) is the owner. Sign in with this PIN at a station, or with "
          f"--user {info.username} in the command line.")
    return 0


def add_command(args: argparse.Namespace, context: CliContext) -> int:
    owner = sign_in.sign_in(args, context)
    pin = None if args.no_pin else _new_pin(args, args.username)
    info = context.app().users.add(owner, NewUser(args.username, args.name, args.role, pin, args.new_badge))
    print(f"Added {describe(info)}")
    return 0


def edit_command(args: argparse.Namespace, context: CliContext) -> int:
    if args.name is None and args.role is None:
        raise CommandError("Say what to change: --name and/or --role.")
    info = context.app().users.edit(sign_in.sign_in(args, context), args.username, full_name=args.name,
                                    role=args.role)
    print(describe(info))
    return 0


def deactivate_command(args: argparse.Namespace, context: CliContext) -> int:
    print(describe(context.app().users.deactivate(sign_in.sign_in(args, context), args.username)))
    return 0


def reactivate_command(args: argparse.Namespace, context: CliContext) -> int:
    print(describe(context.app().users.reactivate(sign_in.sign_in(args, context), args.username)))
    return 0


def unlock_command(args: argparse.Namespace, context: CliContext) -> int:
    print(describe(context.app().users.unlock(sign_in.sign_in(args, context), args.username)))
    return 0


def set_pin_command(args: argparse.Namespace, context: CliContext) -> int:
    owner = sign_in.sign_in(args, context)
    info = context.app().users.set_pin(owner, args.username, _new_pin(args, args.username))
    print(f"New PIN saved for {info.full_name} ({info.username}).")
    return 0


def set_badge_command(args: argparse.Namespace, context: CliContext) -> int:
    info = context.app().users.set_badge(sign_in.sign_in(args, context), args.username,
                                         None if args.remove else args.new_badge)
    print(describe(info))
    return 0


def issue_secret_command(args: argparse.Namespace, context: CliContext) -> int:
    issued = context.app().users.issue_secret(sign_in.sign_in(args, context), args.username, args.label)
    print(f"Job secret {issued.id} ({issued.label}) for {issued.username} is stored in this computer's keyring "
          f"(entry {issued.keyring_name}); it is not shown anywhere. Jobs on this computer now sign in with "
          f"--user {issued.username} and no PIN. Revoke it with: fulfilstation users revoke-secret "
          f"{issued.username} --id {issued.id}")
    return 0


def revoke_secret_command(args: argparse.Namespace, context: CliContext) -> int:
    revoked = context.app().users.revoke_secrets(sign_in.sign_in(args, context), args.username, args.secret_id)
    print(f"Revoked {plural(revoked, 'job secret')} of {args.username}.")
    return 0


def _new_pin(args: argparse.Namespace, username: str) -> str:
    given: str | None = getattr(args, "new_pin", None)
    if given:
        return given
    if not sys.stdin.isatty():
        raise CommandError(f"Give {username}'s new PIN with --new-pin, or run this on a terminal to be asked.")
    try:
        first = getpass.getpass(f"New PIN for {username}: ")
        second = getpass.getpass("The same PIN again: ")
    except (EOFError, KeyboardInterrupt):
        raise CommandError("No PIN given: nothing changed.", code=1) from None
    if first != second:
        raise CommandError("The two PINs differ: nothing changed.", code=1)
    return first
