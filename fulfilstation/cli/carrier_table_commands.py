"""``fulfilstation carriers import-rates``, ``import-zones`` and ``import-transit``: a
carrier's published tables from CSV files (shapes in ``fulfilstation.services.carriers.tables``).

A file with a broken line imports nothing: every broken line is listed with its number
and the reason (exit 1). ``--replace`` swaps the rows already there in the same
transaction; without it a table that is already there is left alone (exit 1).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.services.carriers import ImportResult


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser,
             owner: argparse.ArgumentParser) -> None:
    rates = sub.add_parser("import-rates", parents=[common, owner], help="a service's rate table from a CSV file "
                           "(weight column, then one column per zone)")
    rates.add_argument("service", help="carrier/service, e.g. ups/ground")
    rates.add_argument("file", type=Path, help="e.g. ground.csv: header weight_lb (or Lbs, weight_kg, weight_g), "
                       "Zone 2, Zone 3 …; prices like 8.42 or $8.42; empty = no rate")
    rates.add_argument("--replace", action="store_true", help="replace the service's rates")
    rates.set_defaults(handler=import_rates_command)
    zones = sub.add_parser("import-zones", parents=[common, owner], help="a carrier's zone chart from a CSV file")
    zones.add_argument("carrier", help="the carrier code, e.g. ups")
    zones.add_argument("file", type=Path, help="columns Dest. ZIP (ranges like 004-005) or dest_from and dest_to, "
                       "a zone column, and origin unless --origin")
    zones.add_argument("--origin", metavar="PREFIX", help="the origin ZIP prefix the chart is for, e.g. 432")
    zones.add_argument("--column", metavar="NAME", help="the column holding the zones when it is not called zone "
                       "(a UPS chart: Ground)")
    zones.add_argument("--replace", action="store_true", help="replace the carrier's zones from the same origin")
    zones.set_defaults(handler=import_zones_command)
    transit = sub.add_parser("import-transit", parents=[common, owner], help="a service's business days in transit per "
                             "zone from a CSV file (columns zone, days)")
    transit.add_argument("service", help="carrier/service, e.g. ups/ground")
    transit.add_argument("file", type=Path, help="e.g. transit.csv with columns zone, days")
    transit.add_argument("--replace", action="store_true", help="replace the service's transit days")
    transit.set_defaults(handler=import_transit_command)


def import_rates_command(args: argparse.Namespace, context: CliContext) -> int:
    data = _read(args.file)
    result = context.app().carriers.import_rates(sign_in.sign_in(args, context), args.service, data, args.replace)
    _report(result, "rates", "prices")
    return 0


def import_zones_command(args: argparse.Namespace, context: CliContext) -> int:
    data = _read(args.file)
    result = context.app().carriers.import_zones(sign_in.sign_in(args, context), args.carrier, data, args.origin,
                                                 args.column, args.replace)
    _report(result, "zones", "ZIP prefix ranges")
    return 0


def import_transit_command(args: argparse.Namespace, context: CliContext) -> int:
    data = _read(args.file)
    result = context.app().carriers.import_transit(sign_in.sign_in(args, context), args.service, data,
                                                   args.replace)
    _report(result, "transit days", "lines")
    return 0


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from None


def _report(result: ImportResult, what: str, rows: str) -> None:
    zones = ", ".join(str(z) for z in result.zones)
    replaced = f", replacing {result.replaced} old rows" if result.replaced else ""
    print(f"Imported {what} of {result.target}: {result.rows} {rows} (zones {zones}){replaced}.")
    for note in result.notes:
        print(note)
