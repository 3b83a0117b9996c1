"""Printing an ``ImportReport`` the same way for every ``fulfilstation import …`` command.

File notes and each problem first (``line N (KEY): reason``), a dry run says so, and the
last line is always exactly ``imported N, updated N, rejected N`` (scripts read it).
"""

from __future__ import annotations

from fulfilstation.imports import ImportReport


def print_report(report: ImportReport) -> None:
    for note in report.notes:
        print(f"note: {note}")
    for problem in report.problems:
        print(problem.describe())
    if report.dry_run:
        print("dry run: nothing was changed")
    print(report.summary())


def exit_code(report: ImportReport) -> int:
    """0 when every row went in, 1 when some were rejected (the rest still went in)."""
    return 1 if report.rejected else 0
