"""Where a report's charts go on screen: each chart beside (or under) the table it illustrates,
so a manager sees the figures and their picture together; a chart that illustrates no table
opens the report (charts first).

A chart illustrates the table whose title words are all in the chart's title (words compared
without case, a plural "s" dropped: "Costs by carrier" ⊂ "Cost per order by carrier"); of
several, the one with the most words (an equal title wins), then the first.

Pure: values in, values out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from fulfilstation.services.reports import ReportChart, ReportTable

_WORD = re.compile(r"[a-z0-9%]+")


def words(title: str) -> frozenset[str]:
    """A title's words, lower case, a plural "s" dropped ("Packers" → "packer")."""
    return frozenset(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                     for w in _WORD.findall(title.casefold()))


@dataclass(frozen=True)
class Places:
    first: tuple[ReportChart, ...]  # illustrating no table: before the tables
    beside: tuple[tuple[ReportChart, ...], ...]  # one entry per table, in the tables' order


def places(tables: Sequence[ReportTable], charts: Sequence[ReportChart]) -> Places:
    """Each chart with the table it illustrates, the others first (each list in the report's order)."""
    table_words = [words(table.title) for table in tables]
    beside: list[list[ReportChart]] = [[] for _ in tables]
    first: list[ReportChart] = []
    for chart in charts:
        mine = words(chart.title)
        fits = [n for n, these in enumerate(table_words) if these and these <= mine]
        if not fits:
            first.append(chart)
            continue
        best = max(fits, key=lambda n: (len(table_words[n]), table_words[n] == mine, -n))
        beside[best].append(chart)
    return Places(tuple(first), tuple(tuple(group) for group in beside))
