"""``fulfilstation report …``: the managers' reports on the terminal, in CSV and on paper.

``daily [--date D] --out FILE.pdf`` writes the day's report (every section, charts included)
for the morning meeting; ``<report> [--from D --to D] [--csv FILE]`` prints one report's
tables over the site's days (default: today) and ``--csv`` writes every table to one file.
Reports are for managers and owners, so every command signs in (``--user`` with ``--pin`` …).
An existing ``--out`` or ``--csv`` file is replaced only with ``--force`` (else refused before
anything is computed, nothing written). Exit 0 done; 1 refused (a packer, a file that exists or
cannot be written); 2 a bad date or period, no way to sign in. Each period refusal says its own
fix (``--from`` after ``--to``; a day out of the range reports cover).

While the site's time zone was never set, every report says so under its title (and the
daily report on its first page): its days are this PC's (``ReportsService.zone_notice``).

On the terminal a table shows every cell whole: wider than the terminal
(``shutil.get_terminal_size``), its widest text columns wrap onto more lines (numbers never);
printed to a pipe or a file, lines are not wrapped.

A report is one entry of ``REPORTS`` (its command name → the ``ReportsService`` method that
takes the actor and a period).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.cli.export_commands import write_whole
from fulfilstation.domain.words import plural
from fulfilstation.services.actor import Actor
from fulfilstation.services.reports import Period, PeriodRefused, PeriodReversed, ReportSection, ReportTable

#: command name → ``ReportsService`` method ``(actor, period) -> ReportSection``.
REPORTS: dict[str, tuple[str, str]] = {
    "sla": ("sla", "service levels: time per step (median, p90, target) and the on-time shipment rate"),
    "packers": ("packers", "orders, items and packages per hour per packer, complexity-adjusted; mistakes prevented"),
    "costs": ("costs", "cost per order (label, box, packing labour) by carrier, service, channel; label vs charged"),
    "inventory": ("inventory", "inventory accuracy, ABC classes, stock-outs, backorders, returns by product"),
}
#: Said after the zone notice on the terminal: the command that sets the zone.
SET_ZONE = "Or: fulfilstation site set-reports --time-zone NAME (e.g. America/Chicago)."
NARROWEST = 12  # a text column wraps to no fewer characters than this (its heading's longest word, if longer)
GAP = "  "  # between two columns


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    report = commands.add_parser("report", help="managers' reports: the daily PDF, and each report's tables")
    sub = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    daily = sub.add_parser("daily", parents=[common], help="the day's report as a PDF (every section, with charts)")
    daily.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="the site's day (default: today)")
    daily.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="where to write the PDF")
    daily.add_argument("--force", action="store_true", help="replace --out when it exists")
    sign_in.add_arguments(daily, "a manager or an owner", manager_alias=True)
    daily.set_defaults(handler=_daily)
    for name, (method, words) in REPORTS.items():
        one = sub.add_parser(name, parents=[common], help=words)
        one.add_argument("--from", dest="first", type=_date, metavar="YYYY-MM-DD",
                         help="the period's first day (site's days; default: --to, else today)")
        one.add_argument("--to", dest="last", type=_date, metavar="YYYY-MM-DD",
                         help="the period's last day, included (default: --from, else today)")
        one.add_argument("--csv", type=Path, metavar="FILE.csv", help="also write every table to this CSV file")
        one.add_argument("--force", action="store_true", help="replace --csv when it exists")
        sign_in.add_arguments(one, "a manager or an owner", manager_alias=True)
        one.set_defaults(handler=_report, method=method)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-03-31") from None


def _actor(args: argparse.Namespace, context: CliContext) -> Actor:
    if not getattr(args, "user", None) and not getattr(args, "badge", None):
        raise CommandError("Reports are for managers and owners: sign in with --user NAME and --pin PIN (or --badge "
                           f"CODE, or ${sign_in.PIN_VARIABLE}).")
    return sign_in.sign_in(args, context)


def _writable(path: Path, force: bool) -> None:
    """CommandError (exit 1) unless ``path`` can be written — and, without ``force``, does not
    exist yet (checked before the report is made, and again just before it is written)."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise CommandError(f"cannot write {path}: it is a folder; give a file name", code=1)
    if path.exists() and not force:
        raise CommandError(f"{path} exists: add --force to replace it", code=1)
    if not folder.is_dir():
        raise CommandError(f"cannot write {path}: the folder {folder} does not exist", code=1)
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CommandError(f"cannot write {path}: permission denied", code=1)


def _daily(args: argparse.Namespace, context: CliContext) -> int:
    _writable(args.out, args.force)
    actor = _actor(args, context)
    try:
        done = context.app().reports.daily(actor, args.date)
    except PeriodRefused as refused:
        raise CommandError(str(refused)) from None
    _writable(args.out, args.force)  # made while the report was computed: still not replaced
    write_whole(args.out, done.pdf)
    titles = "; ".join(f"“{title}”" for title in done.sections)
    print(f"Wrote the daily report of {done.site} for {done.day.isoformat()} to {args.out}: "
          f"{plural(len(done.sections), 'section')} ({titles}).")
    if not done.sections or not done.sections[0].startswith("Today"):
        print("No “Today” section: the dashboard is the present moment (open exceptions, backlog), "
              "so only today's report has it.")
    _say_zone_notice(done.zone_notice, terminal_width())
    return 0


def _say_zone_notice(notice: str, width: int | None) -> None:
    if notice:
        print("\n".join(_paragraph(f"{notice} {SET_ZONE}", width)))


def _report(args: argparse.Namespace, context: CliContext) -> int:
    if args.csv is not None:
        _writable(args.csv, args.force)
    actor = _actor(args, context)
    reports = context.app().reports
    try:
        period: Period = reports.period(args.first, args.last)
    except PeriodReversed as reversed_:
        raise CommandError(f"--to {reversed_.last} is before --from {reversed_.first}: give --from on or "
                           "before --to.") from None
    except PeriodRefused as refused:
        raise CommandError(str(refused)) from None
    section: ReportSection = getattr(reports, args.method)(actor, period)
    tables = section.tables()
    width = terminal_width()
    print(f"{section.title} — {period.label()}")
    _say_zone_notice(reports.zone_notice(), width)
    for table in tables:
        print()
        print(table_text(table, width))
    if args.csv is not None:
        # a report may give the CSV more than the terminal (costs: a row per order)
        exported = getattr(section, "csv_tables", section.tables)()
        _writable(args.csv, args.force)
        try:
            reports.write_csv(exported, args.csv)
        except OSError as exc:
            raise CommandError(f"cannot write {args.csv}: {exc.strerror or exc}", code=1) from None
        print(f"\nWrote {plural(len(exported), 'table')} to {args.csv}.")
    return 0


def terminal_width() -> int | None:
    """The terminal's width in characters (``$COLUMNS`` first), or None when standard output is
    a pipe or a file and no ``$COLUMNS`` is set: the lines are then not wrapped."""
    if not os.environ.get("COLUMNS") and not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def table_text(table: ReportTable, width: int | None = None) -> str:
    """A table for the terminal: its title, the columns aligned (numbers to the right), its note.

    Every cell is shown whole. When the lines would be wider than ``width``, the widest
    columns are narrowed one character at a time (not below their heading's longest word, nor
    below ``NARROWEST`` when they hold any text) and their cells wrap onto more lines; a number
    never wraps (its heading may). A table that still does not fit is printed at those widths
    (the terminal folds its lines; nothing is cut).
    The title and the note wrap at ``width`` too. ``width`` None: nothing wraps.
    """
    texts = table.text_rows()
    count = len(table.columns)
    widths = [max([len(heading)] + [len(row[n]) for row in texts]) for n, heading in enumerate(table.columns)]
    right = [any(_is_number(row[n]) for row in table.rows) for n in range(count)]
    if width is not None:
        longest_word = [max(map(len, heading.split()), default=0) for heading in table.columns]
        floors = [max([longest_word[n]] + [len(row[n]) for row in texts]) if right[n]  # a number never wraps
                  else min(widths[n], max(longest_word[n], NARROWEST if any(row[n] for row in texts) else 0))
                  for n in range(count)]
        while sum(widths) + len(GAP) * (count - 1) > width:
            n = max(range(count), key=lambda c: widths[c] - floors[c])
            if widths[n] <= floors[n]:
                break
            widths[n] -= 1

    def lines_of(values: list[str] | tuple[str, ...]) -> list[str]:
        cells = [_wrap(value, widths[n]) for n, value in enumerate(values)]
        high = max(len(cell) for cell in cells)
        return [GAP.join((cell[k] if k < len(cell) else "").rjust(widths[n]) if right[n]
                         else (cell[k] if k < len(cell) else "").ljust(widths[n])
                         for n, cell in enumerate(cells)).rstrip() for k in range(high)]

    lines = [*_paragraph(table.title, width), *lines_of(table.columns), GAP.join("-" * w for w in widths)]
    if texts:
        for row in texts:
            lines += lines_of(row)
    else:
        lines.append("(nothing in this period)")
    if table.note:
        lines += _paragraph(table.note, width)
    return "\n".join(lines)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters (words broken only when longer); whole when it fits."""
    if len(text) <= width:
        return [text]
    return textwrap.wrap(text, width, break_on_hyphens=False) or [text]


def _paragraph(text: str, width: int | None) -> list[str]:
    return [text] if width is None or len(text) <= width else textwrap.wrap(text, width)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal)
