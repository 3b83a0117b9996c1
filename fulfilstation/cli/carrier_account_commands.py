"""``fulfilstation carriers …`` for accounts reached through a gateway (karrio: UPS, USPS,
FedEx, DHL … with the warehouse's own accounts).

``add-account --gateway karrio --carrier ups --name NAME --account-number N --setting
KEY=VALUE … --secret KEY …`` adds one; ``edit-account ACCOUNT`` changes its settings
(``--setting``, ``--unset``), secrets (``--secret``) or name; ``test-account ACCOUNT`` asks the
carrier for a rate and prints its answer; ``fields --carrier ups`` prints the settings an
account of the carrier takes (the gateway's own schema; without ``--carrier``: the carriers).

Secrets are never taken from the command line: each ``--secret KEY`` is asked for, hidden,
on a terminal, or read from standard input with ``--secrets-stdin`` as ``KEY=VALUE`` lines
(every line a secret). On a terminal, the schema's required secrets not named are asked
for too. They go to this computer's password store and nowhere else.

Exit status: 0 done (``test-account``: the carrier priced); 1 refused, or the carrier did not
price (its own words are printed); 2 a usage error (a malformed ``--setting``, a secret that
could not be read, no way to sign in).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import TypeAlias

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.services.carriers import (
    AccountChanges,
    AccountInfo,
    CarrierFields,
    ConnectionTest,
    NewGatewayAccount,
    SettingField,
)

Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def gateway_arguments(account: argparse.ArgumentParser) -> None:
    """The arguments ``add-account`` takes for an account through a gateway."""
    group = account.add_argument_group("an account through a gateway (karrio)")
    group.add_argument("--gateway", help="karrio: the carrier's own API with your account (labels, rates, tracking)")
    group.add_argument("--carrier", dest="gateway_carrier", metavar="NAME",
                       help="the gateway's name of the carrier: ups, usps, fedex, dhl_express … "
                       "(see 'carriers fields')")
    group.add_argument("--code", help="the carrier's code here (default: the gateway's name, e.g. ups)")
    _value_arguments(group)


def _value_arguments(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--setting", action="append", default=[], metavar="KEY=VALUE",
                       help="a setting of the carrier's schema (repeat; see 'carriers fields --carrier …')")
    group.add_argument("--secret", action="append", default=[], metavar="KEY",
                       help="a secret field to be asked for, hidden (repeat); never its value here")
    group.add_argument("--secrets-stdin", action="store_true",
                       help="read the secrets from standard input, one KEY=VALUE a line")


def register(sub: Sub, common: argparse.ArgumentParser, owner: argparse.ArgumentParser) -> None:
    edit = sub.add_parser("edit-account", parents=[common, owner], help="change a gateway account's settings, "
                          "secrets or name")
    edit.add_argument("account", help="carrier/number (e.g. ups/0W1X23), the account number, name or id")
    edit.add_argument("--name", help="a new name for people")
    edit.add_argument("--unset", action="append", default=[], metavar="KEY", help="remove a setting (repeat)")
    _value_arguments(edit.add_argument_group("settings and secrets"))
    edit.set_defaults(handler=edit_account_command)
    test = sub.add_parser("test-account", parents=[common, owner], help="ask the carrier for a rate with a "
                          "gateway account: its rates, or its own error text")
    test.add_argument("account", help="carrier/number, the account number, name or id")
    test.set_defaults(handler=test_account_command)
    fields = sub.add_parser("fields", parents=[common], help="the settings an account of a carrier takes "
                            "(without --carrier: the carriers of the gateway)")
    fields.add_argument("--gateway", default="karrio", help="the gateway (default karrio)")
    fields.add_argument("--carrier", metavar="NAME", help="the gateway's name of the carrier, e.g. ups")
    fields.add_argument("--json", action="store_true", help="as JSON")
    fields.set_defaults(handler=fields_command)


def add_gateway_account_command(args: argparse.Namespace, context: CliContext) -> int:
    if not args.gateway_carrier:
        raise CommandError("An account through a gateway needs its carrier: --carrier ups (see 'fulfilstation "
                           "carriers fields').")
    if args.carrier:
        raise CommandError(f"With --gateway, name the carrier with --carrier {args.carrier} (not as an argument).")
    for local_only in ("range_kind", "first", "last", "prefix"):
        if getattr(args, local_only, None) is not None:
            raise CommandError("An account through a gateway gets its tracking numbers from the carrier: it takes "
                               "no number range.")
    app = context.app()
    settings = _settings(args.setting)
    owner = sign_in.sign_in(args, context)
    schema = app.carriers.fields(args.gateway, args.gateway_carrier)
    secrets = _secrets(args, schema, settings)
    new = NewGatewayAccount(args.gateway, args.gateway_carrier, args.name, args.number, settings, secrets,
                            args.code, args.origin_zip, args.default)
    account = app.carriers.add_gateway_account(owner, new)
    print(f"Added account {account.carrier}/{account.account_number} ({account.name}) through {account.gateway} "
          f"({account.gateway_carrier}){', the default account' if account.default else ''}.")
    _print_secrets(account, secrets)
    print(f"Next: 'fulfilstation carriers test-account {account.carrier}/{account.account_number}', then its "
          f"services ('carriers add-service {account.carrier}/ground --name … --service-code …').")
    return 0


def edit_account_command(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    settings: dict[str, str | None] = dict(_settings(args.setting))
    for name in args.unset:
        settings[name.strip()] = None
    owner = sign_in.sign_in(args, context)
    secrets = _read_secrets(args.secret, args.secrets_stdin, ())
    account = app.carriers.edit_gateway_account(owner, args.account, AccountChanges(settings, secrets, args.name))
    print(f"Changed account {account.carrier}/{account.account_number} ({account.name}).")
    _print_secrets(account, secrets)
    return 0


def test_account_command(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    result = app.carriers.test_connection(sign_in.sign_in(args, context), args.account)
    print(describe_test(result))
    return 0 if result.ok else 1


def describe_test(result: ConnectionTest) -> str:
    lines = [f"{result.account}: {result.message}"]
    if result.carrier_text and result.carrier_text not in result.message:
        lines.append(f"The carrier said: {result.carrier_text}")
    return "\n".join(lines)


def fields_command(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    if not args.carrier:
        choices = app.carriers.gateway_carriers(args.gateway)
        if args.json:
            print(json.dumps([{"carrier": c.carrier, "label": c.label, "installed": c.installed,
                               "install": c.install} for c in choices], indent=2))
            return 0
        for choice in choices:
            state = "installed" if choice.installed else f"not installed: {choice.install}"
            print(f"{choice.carrier:<24} {choice.label:<28} {state}")
        if not choices:
            print(f"The {args.gateway} gateway is not installed on this computer: pip install 'fulfilstation[ups]' "
                  "(or the carrier you ship with).")
        return 0
    schema = app.carriers.fields(args.gateway, args.carrier)
    if args.json:
        print(json.dumps({"gateway": schema.gateway, "carrier": schema.carrier,
                          "fields": [_field_json(f) for f in schema.fields]}, indent=2))
        return 0
    print(f"Settings of a {schema.carrier} account through {schema.gateway} (* required):")
    for spec in schema.fields:
        print("  " + describe_field(spec))
    print("Settings: --setting KEY=VALUE. Secrets: --secret KEY (asked for, hidden) or --secrets-stdin.")
    return 0


def describe_field(spec: SettingField) -> str:
    kind = "secret" if spec.secret else spec.kind
    default = f", default {spec.default}" if spec.default is not None else ""
    words = f"  {spec.help}" if spec.help else ""
    mark = "*" if spec.required and spec.default is None else " "
    return f"{mark} {spec.name:<28} {spec.label} ({kind}{default}){words}"


def _field_json(spec: SettingField) -> dict[str, object]:
    return {"name": spec.name, "label": spec.label, "required": spec.required, "secret": spec.secret,
            "kind": spec.kind, "default": spec.default, "help": spec.help}


def _settings(pairs: list[str]) -> dict[str, str]:
    settings: dict[str, str] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key.strip():
            raise CommandError(f"--setting {pair!r}: write it as KEY=VALUE, e.g. --setting client_id=abc123.")
        settings[key.strip()] = value.strip()
    return settings


def _secrets(args: argparse.Namespace, schema: CarrierFields, settings: dict[str, str]) -> dict[str, str]:
    """The secrets named (or, on a terminal, the schema's required ones not given)."""
    names = list(args.secret)
    if not args.secrets_stdin and sys.stdin is not None and sys.stdin.isatty():
        names += [f.name for f in schema.fields if f.secret and f.required and f.default is None
                  and f.name not in names and f.name not in settings]
    return _read_secrets(names, args.secrets_stdin, schema.fields)


def _read_secrets(names: list[str], from_stdin: bool, fields: tuple[SettingField, ...]) -> dict[str, str]:
    labels = {f.name: f.label for f in fields}
    if from_stdin:
        secrets: dict[str, str] = {}
        for number, line in enumerate(sys.stdin.read().splitlines() if sys.stdin is not None else (), 1):
            if not line.strip():
                continue
            key, equals, value = line.partition("=")
            if not equals or not key.strip():
                raise CommandError(f"Line {number} of standard input is not KEY=VALUE (the value is not shown).")
            secrets[key.strip()] = value.rstrip("\r\n")
        missing = [name for name in names if name not in secrets]
        if missing:
            raise CommandError(f"Standard input has no line for {', '.join(missing)}: give each as KEY=VALUE.")
        return secrets
    if not names:
        return {}
    if sys.stdin is None or not sys.stdin.isatty():
        raise CommandError("Secrets are asked for on a terminal, or read from standard input with --secrets-stdin "
                           "(one KEY=VALUE a line); never from the command line.")
    secrets = {}
    for name in dict.fromkeys(names):
        try:
            value = getpass.getpass(f"{labels.get(name, name)} ({name}, typing is hidden): ")
        except (EOFError, KeyboardInterrupt):
            raise CommandError("No secret given: nothing changed.", code=1) from None
        if value:
            secrets[name] = value
    return secrets


def _print_secrets(account: AccountInfo, secrets: dict[str, str]) -> None:
    if secrets:
        print(f"Its secrets ({', '.join(sorted(secrets))}) are stored in this computer's password store (entry "
              f"{account.keyring_name}) and nowhere else; store them the same way on every computer that ships "
              "with it.")
