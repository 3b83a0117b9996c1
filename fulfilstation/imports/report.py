"""The outcome of an import, the same for every kind of file.

Invariants: ``rejected == len({p.line for p in problems if p.rejects})``; a rejected row
changed nothing; a dry run changes nothing at all but reports what a real run would do.
``summary()`` is the one closing line every importer prints: ``imported N, updated N,
rejected N``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

#: Called with (rows done, rows in all) while an import runs, from the thread running it.
ImportProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowProblem:
    """Something wrong on one line of the file. ``rejects`` False is a warning: the row
    went in (e.g. a blank barcode was skipped), the person should still know."""

    line: int
    reason: str
    key: str = ""  # what the row is about (a SKU, a bin code), when known
    rejects: bool = True

    def describe(self) -> str:
        about = f" ({self.key})" if self.key else ""
        kind = "" if self.rejects else "warning: "
        return f"line {self.line}{about}: {kind}{self.reason}"


@dataclass(frozen=True)
class ImportReport:
    imported: int = 0  # new records
    updated: int = 0  # existing records whose fields changed
    rejected: int = 0  # rows (or records) not taken
    unchanged: int = 0  # existing records the file left as they were
    problems: tuple[RowProblem, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())  # about the whole file (encoding, delimiter)
    dry_run: bool = False

    def summary(self) -> str:
        return f"imported {self.imported}, updated {self.updated}, rejected {self.rejected}"

    @property
    def warnings(self) -> tuple[RowProblem, ...]:
        return tuple(problem for problem in self.problems if not problem.rejects)

    @property
    def rejections(self) -> tuple[RowProblem, ...]:
        return tuple(problem for problem in self.problems if problem.rejects)
