"""The daily PDF renders any report sections, whatever they are: a 200-row table runs over
pages with its column headings on each, every row once and in order; bar and line charts are
drawn in their series' colours (read back from the rasterised page), a chart without data
says so; sections print in the order given, each with its title."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from PIL import Image

from fulfilstation.documents.reports.daily_pdf import SERIES_COLOURS, build_daily_pdf
from fulfilstation.services.reports import ReportChart, ReportTable
from tests.support.pdf import pdf_page_texts, pdf_pages_to_png

DAY = dt.date(2026, 11, 10)


@dataclass(frozen=True)
class Section:
    title: str
    table_list: list[ReportTable] = field(default_factory=list)
    chart_list: list[ReportChart] = field(default_factory=list)

    def tables(self) -> list[ReportTable]:
        return self.table_list

    def charts(self) -> list[ReportChart]:
        return self.chart_list


def long_table(rows: int = 200) -> ReportTable:
    return ReportTable("Every bin", ("Bin code", "Units held", "Worth (USD)"),
                       tuple((f"BIN-{n:03d}", n * 3, Decimal(n * 25).scaleb(-2)) for n in range(1, rows + 1)),
                       note="A note under the table.")


def colour_pixels(png: Path, colour: object) -> int:
    """How many pixels of ``colour`` (a reportlab colour) the page has, give or take antialiasing."""
    red, green, blue = (round(255 * channel) for channel in colour.rgb())  # type: ignore[attr-defined]
    data = Image.open(png).convert("RGB").tobytes()
    return sum(1 for n in range(0, len(data), 3)
               if abs(data[n] - red) + abs(data[n + 1] - green) + abs(data[n + 2] - blue) < 30)


def test_a_long_table_runs_over_pages_with_its_headings_on_each(tmp_path: Path) -> None:
    pdf = build_daily_pdf("North Site", DAY, [Section("Bins", [long_table()])])
    pages = pdf_page_texts(pdf, tmp_path)
    assert len(pages) >= 3
    assert "Daily report — North Site" in pages[0] and "Tuesday 2026-11-10" in pages[0]
    found: list[str] = []
    for number, page in enumerate(pages, start=1):
        rows = re.findall(r"^\s*(BIN-\d{3})\s+(\d+)\s+([\d.]+)\s*$", page, flags=re.MULTILINE)
        if rows:
            heading = next(line for line in page.splitlines() if "Bin code" in line)
            assert heading.split() == ["Bin", "code", "Units", "held", "Worth", "(USD)"], number
            assert page.index("Bin code") < page.index(rows[0][0])  # the headings come first on the page
        found += [code for code, _, _ in rows]
        assert f"Page {number} of {len(pages)}" in page
    assert found == [f"BIN-{n:03d}" for n in range(1, 201)]  # every row once, in order
    assert re.search(r"BIN-200\s+600\s+50\.00", pages[-1])
    assert "A note under the table." in pages[-1]


def test_bar_and_line_charts_are_drawn(tmp_path: Path) -> None:
    bar = ReportChart("Units per reason", "bar", ("Damaged", "Defective", "Late"),
                      (("Units", (4.0, 9.0, None)), ("RMAs", (2.0, 3.0, 1.0))), unit="units")
    line = ReportChart("Accuracy per day", "line", ("11-08", "11-09", "11-10"), (("Accuracy", (90.0, 95.5, 80.0)),),
                       unit="%")
    empty = ReportChart("Nothing yet", "bar", (), ())
    unknown = ReportChart("Nothing known", "line", ("11-09", "11-10"), (("Accuracy", (None, None)),), unit="%")
    pdf = build_daily_pdf("North Site", DAY, [Section("Charts", chart_list=[bar, line, empty, unknown])])
    text = pdf_page_texts(pdf, tmp_path)[0]
    for words in ("Units per reason", "Damaged", "Defective", "Late", "RMAs", "Accuracy per day", "11-09",
                  "Nothing yet", "No data in this period.", "Nothing known"):
        assert words in text
    assert text.count("No data in this period.") == 2  # no categories, or no known value: the same line
    page = pdf_pages_to_png(pdf, tmp_path, dpi=72)[0]
    assert colour_pixels(page, SERIES_COLOURS[0]) > 300  # the first series' bars and the line
    assert colour_pixels(page, SERIES_COLOURS[1]) > 100  # the second series' bars
    plain = pdf_pages_to_png(build_daily_pdf("North Site", DAY, [Section("Charts", chart_list=[empty, unknown])]),
                             tmp_path, dpi=72)[0]
    assert colour_pixels(plain, SERIES_COLOURS[0]) == 0  # nothing is drawn for a chart without data


def test_any_sections_print_in_the_order_given(tmp_path: Path) -> None:
    small = ReportTable("Figures", ("Figure", "Value"), (("Orders", 12), ("Share", 42.46), ("Day", DAY),
                                                         ("Unknown", None)))
    sections = [Section("Zeta section", [small]), Section("Alpha section"),
                Section("Empty table", [ReportTable("No rows", ("A", "B"), ())])]
    text = "\f".join(pdf_page_texts(build_daily_pdf("North Site", DAY, sections), tmp_path))
    assert text.index("Zeta section") < text.index("Alpha section") < text.index("Empty table")
    assert re.search(r"Share\s+42\.5", text)
    assert re.search(r"Day\s+2026-11-10", text)
    assert "No rows" in text and "Nothing in this period." in text


def test_numbers_skus_and_heading_words_are_never_broken_across_lines(tmp_path: Path) -> None:
    """A wide table (a long text column beside many number columns, as the packers report is):
    every number, SKU and heading word stays whole on its line; only the long text wraps."""
    columns = ("Packer", "Orders", "Items", "Packages", "Packing minutes", "Orders/h", "Items/h", "Packages/h",
               "Index", "Note")
    rows = tuple((f"Packer {n}", 120 + n, 75284 + n, 1300 + n, 4812.5, 22813.4, 75284.1, 1300.7, 100.0 + n,
                  "a long free-text remark that may wrap over several lines of its cell " * 2)
                 for n in range(3))
    rows += (("COF-ESP-250-DECAF", 1, 2, 3, 4.0, 5.0, 6.0, 7.0, 8.0, ""),)
    pdf = build_daily_pdf("North Site", DAY, [Section("Packers", [ReportTable("Per packer", columns, rows)])])
    text = "\n".join(pdf_page_texts(pdf, tmp_path))
    for whole in ("Packages/h", "Packages", "Orders/h", "Packing", "75284.1", "22813.4", "4812.5", "75286",
                  "COF-ESP-250-DECAF", "102.0"):
        assert re.search(rf"(?<![\w.-]){re.escape(whole)}(?![\w.-])", text), whole
