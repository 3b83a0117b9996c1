"""``fulfilstation carriers …``: an owner sets up carriers without the window.

``list`` shows what is set up; ``add-carrier``, ``add-service``, ``add-account`` and
``add-range`` set up a carrier whose labels are made here from its own number ranges;
``add-easypost`` and ``set-key`` one whose labels are bought from EasyPost;
``add-account --gateway karrio``, ``edit-account``, ``test-account`` and ``fields`` an account
of a carrier's own API through karrio (``carrier_account_commands``); the
``import-…`` commands (``carrier_table_commands``) load rate, zone and transit tables.
The work is done by ``fulfilstation.services.carriers.setup`` and its siblings.

``set-key`` reads the key from a hidden prompt on a terminal, or from standard input
(``--stdin``, or whenever standard input is not a terminal); it never prints it.

Every changing command is an owner's: they sign in (``--user`` with ``--pin``, ``--badge``
or ``$FULFIL_PIN``). Exit status: 0 done; 1 refused (the message says why and what to do);
2 a usage error (no key given, a file that cannot be read, no way to sign in).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from decimal import Decimal, InvalidOperation
from typing import TypeAlias, TypeVar

from fulfilstation.cli import carrier_account_commands, carrier_insurance_command, carrier_table_commands, sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.cli.numbers import whole_number
from fulfilstation.domain.money import parse_money_minor
from fulfilstation.services.carriers import (
    RANGE_KINDS,
    AccountInfo,
    CarrierInfo,
    NewAccount,
    NewEasyPost,
    NewRange,
    NewService,
    ServiceInfo,
)

Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
T = TypeVar("T")


_whole = whole_number(0, 2**63 - 1)


def _service_triple(text: str) -> tuple[str, str, str]:
    code, _, rest = text.partition(":")
    name, _, service = rest.rpartition(":")
    if not (code.strip() and name.strip() and service.strip()):
        raise argparse.ArgumentTypeError(f"{text!r}: write a service as CODE:NAME:EASYPOST_SERVICE, e.g. "
                                         "'priority:USPS Priority Mail:Priority'")
    return code.strip(), name.strip(), service.strip()


def owner_parent() -> argparse.ArgumentParser:
    """The sign-in arguments every changing ``carriers`` command takes (an owner's job)."""
    signed = argparse.ArgumentParser(add_help=False)
    sign_in.add_arguments(signed, "an owner")
    return signed


def register(commands: Sub, common: argparse.ArgumentParser) -> None:
    owner = owner_parent()
    carriers = commands.add_parser("carriers", help="set up carriers, accounts, number ranges, API keys and rates")
    sub = carriers.add_subparsers(dest="carriers_command", required=True, metavar="COMMAND")
    listing = sub.add_parser("list", parents=[common], help="carriers with their services and accounts")
    listing.add_argument("--json", action="store_true", help="a JSON array (keys in the README)")
    listing.set_defaults(handler=list_command)
    carrier = sub.add_parser("add-carrier", parents=[common, owner], help="a carrier whose labels are made here")
    carrier.add_argument("code", help="a short code, e.g. ups (what 'manifest close --carrier' takes)")
    carrier.add_argument("--name", required=True, help="its name as people say it, e.g. UPS")
    carrier.set_defaults(handler=add_carrier_command)
    _register_service(sub, common, owner)
    _register_account(sub, common, owner)
    _register_easypost(sub, common, owner)
    carrier_account_commands.register(sub, common, owner)
    carrier_table_commands.register(sub, common, owner)
    carrier_insurance_command.register(sub, common, owner)


def _register_service(sub: Sub, common: argparse.ArgumentParser, owner: argparse.ArgumentParser) -> None:
    service = sub.add_parser("add-service", parents=[common, owner], help="a service of a carrier, e.g. ups/ground")
    service.add_argument("service", help="carrier/service, e.g. ups/ground")
    service.add_argument("--name", required=True, help="e.g. 'UPS Ground'")
    service.add_argument("--service-code", required=True, help="the carrier's own code: UPS 03, USPS 001 …")
    service.add_argument("--dim-divisor", type=_whole, default=5000, help="dimensional weight divisor in cm³ per kg "
                         "(default 5000; 139 in³/lb is 5022)")
    service.add_argument("--fuel-percent", default="0", help="fuel surcharge in percent of the base rate, e.g. 14.5")
    service.add_argument("--residential", default="0", help="residential surcharge per parcel, e.g. 5.40")
    service.add_argument("--currency", default="USD", help="currency of its rates (default USD)")
    service.set_defaults(handler=add_service_command)


def _register_account(sub: Sub, common: argparse.ArgumentParser, owner: argparse.ArgumentParser) -> None:
    account = sub.add_parser("add-account", parents=[common, owner], help="a shipper account of a carrier whose labels "
                             "are made here, with its block of tracking numbers; or, with --gateway karrio, an "
                             "account of a carrier's own API")
    account.add_argument("carrier", nargs="?", help="the carrier code, e.g. ups (labels made here)")
    account.add_argument("--number", "--account-number", dest="number", help="the account number: UPS shipper "
                         "number (6 letters or digits), USPS mailer id (6 or 9 digits), FedEx account (9 digits), GS1 "
                         "company prefix; through a gateway, the number the carrier knows the account by")
    account.add_argument("--name", required=True, help="a name for people, e.g. 'UPS main account'")
    account.add_argument("--origin-zip", help="the postal code parcels leave from (default: the site's)")
    account.add_argument("--default", action="store_true", help="make it the carrier's default account")
    _range_arguments(account, required=False)
    carrier_account_commands.gateway_arguments(account)
    account.set_defaults(handler=add_account_command)
    ranges = sub.add_parser("add-range", parents=[common, owner], help="give an account a block of tracking numbers, "
                            "or move it to a new block (--replace)")
    ranges.add_argument("account", help="carrier/number (e.g. ups/0W1X23), the account number, name or id")
    _range_arguments(ranges, required=True)
    ranges.add_argument("--replace", action="store_true", help="replace the account's range of this kind "
                        "(the new one starts after the last number used)")
    ranges.set_defaults(handler=add_range_command)


def _range_arguments(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument("--range-kind", choices=RANGE_KINDS, required=required,
                        help="the numbering: ups (1Z…), usps-impb, fedex-express, sscc")
    parser.add_argument("--first", type=_whole, required=required, metavar="N", help="first serial number")
    parser.add_argument("--last", type=_whole, required=required, metavar="N", help="last serial number")
    parser.add_argument("--prefix", help="SSCC only: the extension digit (default 0)")


def _register_easypost(sub: Sub, common: argparse.ArgumentParser, owner: argparse.ArgumentParser) -> None:
    easypost = sub.add_parser("add-easypost", parents=[common, owner], help="a carrier whose labels are bought from "
                              "EasyPost, with its services and account (then: carriers set-key)")
    easypost.add_argument("--code", required=True, help="a short code, e.g. ep-usps")
    easypost.add_argument("--name", required=True, help="e.g. 'USPS (EasyPost)'")
    easypost.add_argument("--easypost-carrier", required=True, help="the carrier as EasyPost names it: USPS, UPS …")
    easypost.add_argument("--service", action="append", type=_service_triple, required=True,
                          metavar="CODE:NAME:EASYPOST_SERVICE", help="e.g. 'priority:USPS Priority Mail:Priority' "
                          "(repeat for each service)")
    easypost.add_argument("--carrier-account", metavar="ca_…", help="the EasyPost carrier account to buy from "
                          "(default: every carrier account of the key)")
    easypost.add_argument("--api-base", metavar="URL", help="EasyPost's address (default its production API)")
    easypost.add_argument("--origin-zip", help="the postal code parcels leave from (default: the site's)")
    easypost.add_argument("--currency", default="USD", help="currency of its rates (default USD)")
    easypost.set_defaults(handler=add_easypost_command)
    key = sub.add_parser("set-key", parents=[common, owner], help="store an API carrier account's key in this "
                         "computer's password store (asked for, hidden)")
    key.add_argument("account", help="carrier/number, the account number, name or id")
    key.add_argument("--stdin", action="store_true", help="read the key from standard input (first line)")
    key.set_defaults(handler=set_key_command)


def list_command(args: argparse.Namespace, context: CliContext) -> int:
    carriers = context.app().carriers.list()
    if args.json:
        print(json.dumps([carrier.as_json() for carrier in carriers], indent=2, ensure_ascii=False))
        return 0
    if not carriers:
        print("No carriers yet: see 'fulfilstation carriers add-carrier --help' or 'carriers add-easypost --help'.")
    for carrier in carriers:
        print(describe_carrier(carrier))
    return 0


def describe_carrier(carrier: CarrierInfo) -> str:
    gateways = {account.gateway for account in carrier.accounts}
    if carrier.kind == "local":
        made = "labels made here"
    elif gateways and "easypost" not in gateways:
        made = f"labels from the carrier's own API through {', '.join(sorted(gateways))}"
    else:
        made = "labels bought through EasyPost"
    lines = [f"{carrier.code}  {carrier.name}  ({carrier.kind}: {made}){'' if carrier.active else '  INACTIVE'}",
             f"  zone rules: {carrier.zone_rules}", "  services:"]
    none = "    none"
    if not carrier.services and "karrio" in gateways:
        none += (f" (add each with karrio's name as its code: 'carriers add-service {carrier.code}/ground "
                 "--name \"UPS Ground\" --service-code ups_ground'; 'carriers test-account' lists what the carrier "
                 "prices)")
    lines += [f"    {_service_line(service)}" for service in carrier.services] or [none]
    lines.append("  accounts:")
    lines += [f"    {_account_line(account)}" for account in carrier.accounts] or ["    none"]
    return "\n".join(lines)


def _service_line(service: ServiceInfo) -> str:
    rates = f"{service.rates} rates, zones {_zones(service.rate_zones)}" if service.rates else "no rates"
    transit = f"transit zones {_zones(service.transit_zones)}" if service.transit_zones else "no transit days"
    return (f"{service.key:<24} {service.name:<28} code {service.service_code:<8} {rates}; {transit}"
            + ("" if service.active else "  INACTIVE"))


def _account_line(account: AccountInfo) -> str:
    parts = [f"{'*' if account.default else ' '} {account.account_number}", account.name]
    if account.origin_postal_code:
        parts.append(f"from {account.origin_postal_code}")
    parts += [f"{r.kind} range {r.first:,}–{r.last:,}: {r.left:,} left" for r in account.number_ranges]
    if account.gateway_carrier:
        parts.append(f"through {account.gateway} ({account.gateway_carrier})")
        parts.append(f"secrets: {_SECRET_STATES.get(account.api_key, account.api_key)}")
    elif account.api_key != "not-needed":
        parts.append(f"API key: {_KEY_STATES.get(account.api_key, account.api_key)}")
    if account.settings.get("easypost_carrier"):
        parts.append(f"EasyPost {account.settings['easypost_carrier']} "
                     f"{account.settings.get('easypost_carrier_account') or '(every carrier account)'}")
    return "  ".join(parts) + ("" if account.active else "  INACTIVE")


_SECRET_STATES = {"stored": "stored on this computer", "missing": "not stored on this computer (carriers "
                  "edit-account … --secret KEY)", "unknown": "unknown (no password store on this computer)"}
_KEY_STATES = {"stored": "stored on this computer", "missing": "not stored on this computer (carriers set-key)",
               "unknown": "unknown (no password store on this computer)"}


def _zones(zones: tuple[int, ...]) -> str:
    if zones and list(zones) == list(range(zones[0], zones[-1] + 1)) and len(zones) > 2:
        return f"{zones[0]}–{zones[-1]}"
    return ", ".join(str(z) for z in zones)


def add_carrier_command(args: argparse.Namespace, context: CliContext) -> int:
    carrier = context.app().carriers.add_carrier(sign_in.sign_in(args, context), args.code, args.name)
    print(f"Added carrier {carrier.code} ({carrier.name}). Next: its services ('fulfilstation carriers add-service "
          f"{carrier.code}/ground --name … --service-code …') and an account "
          f"('carriers add-account {carrier.code} …').")
    return 0


def add_service_command(args: argparse.Namespace, context: CliContext) -> int:
    try:
        fuel_bp = Decimal(args.fuel_percent.strip().rstrip("%")) * 100
    except InvalidOperation:
        fuel_bp = Decimal(-1)
    if not fuel_bp.is_finite() or not 0 <= fuel_bp <= 100 * 100 or fuel_bp != fuel_bp.to_integral_value():
        raise CommandError(f"--fuel-percent {args.fuel_percent!r}: write a percentage like 14.5 (two decimals at "
                           "most).")
    residential = parse_money_minor(args.residential, args.currency)
    if residential is None:
        raise CommandError(f"--residential {args.residential!r}: write an amount like 5.40.")
    new = NewService(args.service, args.name, args.service_code, args.dim_divisor, int(fuel_bp), residential,
                     args.currency)
    service = context.app().carriers.add_service(sign_in.sign_in(args, context), new)
    print(f"Added service {service.key} ({service.name}, carrier code {service.service_code}). Next: its rates "
          f"('fulfilstation carriers import-rates {service.key} RATES.csv') and transit days "
          f"('carriers import-transit {service.key} TRANSIT.csv').")
    return 0


def add_account_command(args: argparse.Namespace, context: CliContext) -> int:
    if args.gateway:
        return carrier_account_commands.add_gateway_account_command(args, context)
    if args.gateway_carrier or args.code or args.setting or args.secret or args.secrets_stdin:
        raise CommandError("--carrier, --code, --setting and --secret belong to an account through a gateway: give "
                           "--gateway karrio too.")
    if not args.carrier or not args.number:
        raise CommandError("Give the carrier and the account number: 'carriers add-account ups --number 0W1X23 "
                           "--name …' (or, for a carrier's own API, 'carriers add-account --gateway karrio --carrier "
                           "ups …').")
    given = [args.range_kind is not None, args.first is not None, args.last is not None]
    if any(given) and not all(given):
        raise CommandError("A number range needs all of --range-kind, --first and --last.")
    number_range = NewRange(args.range_kind, args.first, args.last, args.prefix) if all(given) else None
    if number_range is None and args.prefix:
        raise CommandError("--prefix belongs to a number range: give --range-kind, --first and --last too.")
    new = NewAccount(args.carrier, args.number, args.name, args.origin_zip, args.default, number_range)
    account = context.app().carriers.add_account(sign_in.sign_in(args, context), new)
    print(f"Added account {account.account_number} ({account.name}) to {account.carrier}"
          f"{', the default account' if account.default else ''}.")
    _print_ranges(account)
    if not account.number_ranges:
        print(f"It cannot issue tracking numbers until it has a range: 'fulfilstation carriers add-range "
              f"{account.carrier}/{account.account_number} --range-kind KIND --first N --last N'.")
    return 0


def add_range_command(args: argparse.Namespace, context: CliContext) -> int:
    new = NewRange(args.range_kind, args.first, args.last, args.prefix)
    account = context.app().carriers.add_range(sign_in.sign_in(args, context), args.account, new, args.replace)
    print(f"Account {account.carrier}/{account.account_number} ({account.name}):")
    _print_ranges(account)
    return 0


def _print_ranges(account: AccountInfo) -> None:
    for r in account.number_ranges:
        prefix = f", extension digit {r.prefix}" if r.prefix else ""
        print(f"  {r.kind} numbers {r.first:,}–{r.last:,}{prefix}: {r.left:,} left")


def add_easypost_command(args: argparse.Namespace, context: CliContext) -> int:
    new = NewEasyPost(args.code, args.name, args.easypost_carrier, tuple(args.service), args.carrier_account,
                      args.api_base, args.origin_zip, args.currency)
    carrier = context.app().carriers.add_easypost(sign_in.sign_in(args, context), new)
    account = carrier.accounts[0]
    print(f"Added {carrier.name} ({carrier.code}), bought through EasyPost as {args.easypost_carrier}, with "
          f"services {', '.join(s.key for s in carrier.services)} and account {account.account_number}.")
    print(f"Next: store its API key on each computer that ships with it: 'fulfilstation carriers set-key "
          f"{carrier.code}/{account.account_number}'. Rates for choosing a service: 'carriers import-rates'.")
    return 0


def set_key_command(args: argparse.Namespace, context: CliContext) -> int:
    owner = sign_in.sign_in(args, context)
    key = _read_key(args.stdin)
    if not key.strip():
        raise CommandError("No API key was given. Run the command on a terminal and type or paste the key when "
                           "asked, or pipe it in with --stdin.")
    account = context.app().carriers.set_api_key(owner, args.account, key)
    print(f"The API key of {account.carrier}/{account.account_number} ({account.name}) is stored in this computer's "
          f"password store (entry {account.keyring_name}). Store it the same way on every computer that buys "
          "labels with this account.")
    if key.strip().startswith("EZTK"):
        print("Note: this is an EasyPost test key; labels bought with it are not real.")
    return 0


def _read_key(from_stdin: bool) -> str:
    if from_stdin or sys.stdin is None or not sys.stdin.isatty():
        return sys.stdin.readline() if sys.stdin is not None else ""
    try:
        return getpass.getpass("API key (typing is hidden): ")
    except (EOFError, KeyboardInterrupt):
        return ""

