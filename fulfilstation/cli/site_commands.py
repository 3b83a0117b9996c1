"""``fulfilstation site …``: the site-wide settings an owner sets once.

``show [--json]`` prints them; ``set-address`` the ship-from address (labels, packing
slips, carrier APIs); ``set-units`` the weight unit the screens show; ``set-tolerance``
how far a parcel may weigh from its expected weight; ``set-order-review`` the rules that
hold an incoming order for review (value limit, shipping ≠ billing country, units of one
SKU) and whether a phone that cannot be dialled holds it; ``set-partial-shipments on|off``
whether an order that cannot be fully reserved ships what is in stock (the rest later) or
waits whole as a backorder; ``set-reports`` what the reports need: the site's time zone
(its day is its local day), the target minutes per service-level step, the hourly cost of
packing labour and its currency; ``set-customs`` the customs terms of international shipments
(``site_customs_command``). Changes are an owner's: they sign in
(``--user`` with ``--pin``/``--badge``/``$FULFIL_PIN``). Exit 0 done, 1 refused (the message
says what to fix); nothing is stored when refused; 2 no way to sign in.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from typing import Any

from fulfilstation.cli import sign_in, site_customs_command
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.domain.money import format_money, parse_money_minor
from fulfilstation.services.reports import STEP_NAMES, STEPS, ReportSettings
from fulfilstation.services.site import WEIGHT_UNITS, Address, OrderReview, SiteSettingRefused


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    site = commands.add_parser("site", help="site-wide settings: ship-from address, weight unit, tolerance")
    sub = site.add_subparsers(dest="site_command", metavar="COMMAND", required=True)
    show = sub.add_parser("show", parents=[common], help="print the site settings")
    show.add_argument("--json", action="store_true", help="one JSON object, by setting key")
    show.set_defaults(handler=_show)
    address = sub.add_parser("set-address", parents=[common], help="the ship-from address on every label")
    for flag, what in (("--name", "who ships (printed first)"), ("--line1", "street and number"),
                       ("--city", "city"), ("--postal-code", "ZIP or postal code"),
                       ("--country", "two-letter ISO code, e.g. US")):
        address.add_argument(flag, required=True, help=what)
    for flag, what in (("--line2", "suite, unit…"), ("--region", "state or province (US: required)"),
                       ("--company", "company"), ("--phone", "phone (carriers ask for it)"), ("--email", "email")):
        address.add_argument(flag, default=None, help=what)
    sign_in.add_arguments(address, "an owner")
    address.set_defaults(handler=_set_address)
    units = sub.add_parser("set-units", parents=[common], help="the weight unit screens show")
    units.add_argument("--weight", required=True, choices=WEIGHT_UNITS)
    sign_in.add_arguments(units, "an owner")
    units.set_defaults(handler=_set_units)
    tolerance = sub.add_parser("set-tolerance", parents=[common],
                               help="a parcel may weigh its expected weight ± the larger of GRAMS and PERCENT %%")
    tolerance.add_argument("--grams", required=True, type=int)
    tolerance.add_argument("--percent", required=True, type=float)
    sign_in.add_arguments(tolerance, "an owner")
    tolerance.set_defaults(handler=_set_tolerance)
    review = sub.add_parser("set-order-review", parents=[common],
                            help="the rules that hold an incoming order for review (only those given change)")
    review.add_argument("--max-value", metavar="AMOUNT", default=None,
                        help="hold orders worth more than AMOUNT (e.g. 500.00); 'none' turns it off")
    review.add_argument("--flag-country-mismatch", action=argparse.BooleanOptionalAction, default=None,
                        help="hold orders shipping to another country than they are billed to")
    review.add_argument("--max-units-per-sku", metavar="N", default=None,
                        help="hold orders with more than N units of one SKU; 'none' turns it off")
    review.add_argument("--phone-holds", action=argparse.BooleanOptionalAction, default=None,
                        help="a phone that cannot be dialled holds the order (default: only a warning)")
    sign_in.add_arguments(review, "an owner")
    review.set_defaults(handler=_set_order_review)
    partial = sub.add_parser("set-partial-shipments", parents=[common],
                             help="on: a short order ships what is in stock, the rest later; off: it waits whole")
    partial.add_argument("choice", choices=("on", "off"))
    sign_in.add_arguments(partial, "an owner")
    partial.set_defaults(handler=_set_partial_shipments)
    reports = sub.add_parser("set-reports", parents=[common],
                             help="the reports' time zone, step targets and labour rate (only those given change)")
    reports.add_argument("--time-zone", metavar="ZONE", help="the site's IANA time zone, e.g. America/Chicago")
    reports.add_argument("--target", metavar="STEP=MINUTES", action="append", default=[],
                         help=f"a service-level step's target ({', '.join(STEPS)}); repeat for several")
    reports.add_argument("--labour-rate", metavar="AMOUNT", help="packing labour per hour, e.g. 18.50")
    reports.add_argument("--currency", metavar="CODE", help="the currency of costs, e.g. USD")
    sign_in.add_arguments(reports, "an owner")
    reports.set_defaults(handler=_set_reports)
    site_customs_command.register(sub, common)


def _show(args: argparse.Namespace, context: CliContext) -> int:
    settings = context.app().site.settings()
    if args.json:
        print(json.dumps(settings, indent=2, ensure_ascii=False, sort_keys=True))
        return 0
    address = settings.get("ship_from")
    if isinstance(address, dict):
        print("Ship from:  " + _address_text(address))
    else:
        print("Ship from:  not set — labels print without it: fulfilstation site set-address …")
    print(partial_shipments_text(settings.get("partial_shipments") is True))
    print(reports_text(context.app().reports.settings()))
    print("Customs:    " + site_customs_command.customs_text(context.app().site.customs()))
    for key, value in settings.items():
        if key not in ("ship_from", "partial_shipments", "reports", "customs"):
            print("\n".join(_setting_lines(key, value)))
    return 0


def _plain(value: object) -> str:
    """A setting's value as a person reads it: text bare, lists comma-separated, the rest as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value) or "(none)"
    if value is None:
        return "(not set)"
    return json.dumps(value, ensure_ascii=False)


def _setting_lines(key: str, value: object, indent: str = "") -> list[str]:
    """``key: value``, or for a group of settings its name then one indented line per setting."""
    name = key.replace("_", " ").capitalize()
    if isinstance(value, dict):
        lines = [f"{indent}{name}:"]
        for sub_key, sub_value in value.items():
            lines += _setting_lines(str(sub_key), sub_value, indent + "  ")
        return lines
    return [f"{indent}{name + ':':<12}{_plain(value)}"]


def _set_address(args: argparse.Namespace, context: CliContext) -> int:
    address = Address(args.name, args.line1, args.city, args.postal_code, args.country, args.line2, args.region,
                      args.company, args.phone, args.email)
    stored = context.app().site.set_ship_from(sign_in.sign_in(args, context), address)
    print("Ship-from address saved: " + _address_text(stored))
    return 0


def _set_units(args: argparse.Namespace, context: CliContext) -> int:
    stored = context.app().site.set_weight_unit(sign_in.sign_in(args, context), args.weight)
    print(f"Weights are shown in {stored['weight']}.")
    return 0


def _set_tolerance(args: argparse.Namespace, context: CliContext) -> int:
    stored = context.app().site.set_weight_tolerance(sign_in.sign_in(args, context), args.grams, args.percent)
    print(f"A parcel may weigh its expected weight ± {stored['grams']} g or {stored['percent']} %, "
          "whichever is more.")
    return 0


def _set_order_review(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    rules = app.site.order_review()
    if args.max_value is not None:
        rules = replace(rules, max_value_minor=_limit(args.max_value, "--max-value", money=True))
    if args.max_units_per_sku is not None:
        rules = replace(rules, max_units_per_sku=_limit(args.max_units_per_sku, "--max-units-per-sku", money=False))
    if args.flag_country_mismatch is not None:
        rules = replace(rules, flag_country_mismatch=args.flag_country_mismatch)
    if args.phone_holds is not None:
        rules = replace(rules, phone_holds=args.phone_holds)
    stored = app.site.set_order_review(sign_in.sign_in(args, context), rules)
    print("Order review rules saved: " + order_review_text(stored))
    return 0


def _set_partial_shipments(args: argparse.Namespace, context: CliContext) -> int:
    on = context.app().site.set_partial_shipments(sign_in.sign_in(args, context), args.choice == "on")
    print(partial_shipments_text(on))
    return 0


def _set_reports(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    settings = app.reports.settings()
    currency = (args.currency or settings.currency).upper()
    targets = dict(settings.targets)
    for given in args.target:
        step, _, minutes = given.partition("=")
        if step.strip() not in STEPS or not minutes.strip().isdigit():
            raise CommandError(f"--target {given!r}: write STEP=MINUTES, STEP one of {', '.join(STEPS)} "
                               "(e.g. --target ready=30)")
        targets[step.strip()] = int(minutes)
    rate = settings.labour_rate_minor
    if args.labour_rate is not None:
        parsed = parse_money_minor(args.labour_rate, currency)
        if parsed is None:
            raise CommandError(f"--labour-rate {args.labour_rate!r} is not an amount: write it like 18.50")
        rate = parsed
    wanted = replace(settings, time_zone=args.time_zone or settings.time_zone, targets=targets,
                     labour_rate_minor=rate, currency=currency)
    stored = app.reports.set_settings(sign_in.sign_in(args, context), wanted)
    print(reports_text(stored))
    return 0


def reports_text(stored: ReportSettings) -> str:
    """The reports settings in one sentence of plain words."""
    return (f"Reports: the site's days are {stored.time_zone} days; targets "
            + ", ".join(f"{STEP_NAMES[step].lower()} {stored.targets[step]} min" for step in STEPS)
            + f"; packing labour {format_money(stored.labour_rate_minor, stored.currency)} an hour.")


def partial_shipments_text(on: bool) -> str:
    """The choice in one sentence of plain words."""
    if on:
        return ("Partial shipments are on: an order that cannot be fully reserved ships what is in stock, "
                "and the rest waits as a backorder of its own.")
    return "Partial shipments are off: an order that cannot be fully reserved waits whole as a backorder."


def order_review_text(rules: OrderReview) -> str:
    """The rules in one line of plain words."""
    value = format_money(rules.max_value_minor, "USD") if rules.max_value_minor is not None else "no limit"
    units = str(rules.max_units_per_sku) if rules.max_units_per_sku is not None else "no limit"
    return (f"value above {value}; more than {units} units of one SKU; country mismatch "
            f"{'held' if rules.flag_country_mismatch else 'allowed'}; bad phone "
            f"{'holds' if rules.phone_holds else 'warns'}.")


def _limit(text: str, flag: str, *, money: bool) -> int | None:
    if text.strip().lower() in ("none", "off", ""):
        return None
    value = parse_money_minor(text, "USD") if money else (int(text) if text.strip().isdigit() else None)
    if value is None:
        what = "an amount such as 500.00" if money else "a whole number"
        raise SiteSettingRefused(f"{flag} is {what}, or 'none' to turn it off, not {text!r}.")
    return value


def _address_text(address: dict[str, Any]) -> str:
    return ", ".join(str(address[key]) for key in ("name", "company", "line1", "line2", "city", "region",
                                                   "postal_code", "country", "phone", "email") if address.get(key))

