"""``fulfilstation simulate …``: run the device simulators for technicians and tests."""

from __future__ import annotations

import argparse

from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.cli.devices_commands import toolkit_of

PRINTER_STATES = ("ok", "paper-out", "head-open", "ribbon-out", "paused", "buffer-full", "silent")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    simulate = commands.add_parser("simulate", help="run a simulated scale or label printer")
    sub = simulate.add_subparsers(dest="simulate_command", required=True, metavar="DEVICE")
    scale = sub.add_parser("scale", help="serve a serial scale on a pseudo-terminal (prints its path)")
    scale.add_argument("--protocol", choices=("mt-sics", "nci", "toledo"), required=True)
    scale.add_argument("--weight", default="0g", help="weight on the scale, e.g. 1.25lb, 567g, 0.4kg")
    scale.set_defaults(handler=simulate_scale)
    printer = sub.add_parser("printer", help="a ZPL printer on TCP that saves every label as a file")
    printer.add_argument("--listen", default="127.0.0.1:9100", help="HOST:PORT (default 127.0.0.1:9100)")
    printer.add_argument("--out", required=True, help="directory for the received labels")
    printer.add_argument("--state", choices=PRINTER_STATES, default="ok", help="how it answers ~HS")
    printer.set_defaults(handler=simulate_printer)


def simulate_scale(args: argparse.Namespace, context: CliContext) -> int:
    toolkit = toolkit_of(context)
    try:
        grams = toolkit.parse_weight(args.weight)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    toolkit.run_scale_simulator(args.protocol, grams, lambda line: print(line, flush=True))
    return 0


def simulate_printer(args: argparse.Namespace, context: CliContext) -> int:
    try:
        toolkit_of(context).run_printer_simulator(args.listen, args.out, args.state,
                                                  lambda line: print(line, flush=True))
    except (ValueError, OSError) as exc:
        raise CommandError(f"Cannot start the printer simulator: {exc}") from exc
    return 0
