"""Signing in on the command line: every command that changes data acts as a signed-in user.

Arguments (``add_arguments``): ``--user NAME`` with ``--pin PIN`` or ``--badge CODE``; else
the ``FULFIL_PIN`` environment variable; else the job secret this machine's keyring holds
for the user (issued by an owner with ``users issue-secret``: how unattended jobs sign
in); else a hidden prompt when standard input is a terminal. Signing in goes through
``app.users`` exactly as at a station: wrong PINs count towards the lock-out, and the
sign-in is audited. Without a way to sign in the command stops with exit status 2 before
anything changes; a refused sign-in exits 1.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.services.actor import Actor
from fulfilstation.services.refused import Refused

PIN_VARIABLE = "FULFIL_PIN"


def add_arguments(parser: argparse.ArgumentParser, who: str = "you", *, manager_alias: bool = False) -> None:
    """``--user``, ``--pin`` and ``--badge`` (``who``: whose sign-in, for the help text)."""
    names = ["--user", "--manager"] if manager_alias else ["--user"]
    parser.add_argument(*names, dest="user", metavar="NAME", help=f"sign in as this user ({who})")
    proof = parser.add_mutually_exclusive_group()
    proof.add_argument("--pin", help=f"the PIN (else ${PIN_VARIABLE}, else asked for, hidden, on a terminal)")
    proof.add_argument("--badge", metavar="CODE", help="a badge code instead of --user and a PIN")


def sign_in(args: argparse.Namespace, context: CliContext, station: str | None = None) -> Actor:
    """The actor of this command at ``station`` (default: this PC's station)."""
    users = context.app().users
    username: str | None = getattr(args, "user", None)
    try:
        if getattr(args, "badge", None):
            actor = users.sign_in_with_badge(args.badge, station)
            if username and actor.username != username:
                raise CommandError(f"That badge is not {username}'s: nothing changed.", code=1)
            return actor
        if not username:
            raise CommandError("This command changes data: sign in with --user NAME and --pin PIN (or --badge "
                               f"CODE, or ${PIN_VARIABLE}).")
        if not getattr(args, "pin", None) and not os.environ.get(PIN_VARIABLE) and users.has_job_secret(username):
            return users.sign_in_with_secret(username, station)
        return users.sign_in_with_pin(username, _pin(args, username), station)
    except Refused as refused:
        raise CommandError(refused.message, code=1) from refused


def _pin(args: argparse.Namespace, username: str) -> str:
    if getattr(args, "pin", None):
        return str(args.pin)
    if os.environ.get(PIN_VARIABLE):
        return os.environ[PIN_VARIABLE]
    if not sys.stdin.isatty():
        raise CommandError(f"Signing in as {username} needs a PIN: give --pin, set ${PIN_VARIABLE}, or run this on a "
                           "terminal to be asked. Nothing changed.")
    try:
        return getpass.getpass(f"PIN for {username}: ")
    except (EOFError, KeyboardInterrupt):
        raise CommandError("No PIN given: nothing changed.", code=1) from None
