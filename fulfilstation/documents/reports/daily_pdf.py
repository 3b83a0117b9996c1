"""The daily report on paper: a title (site, day), then any list of report sections, each
with its tables and charts — for the morning meeting.

Invariants:

* Generic: it knows ``ReportSection``, ``ReportTable`` and ``ReportChart`` only, never which
  reports exist; a section with no table or chart still prints its title.
* A table longer than a page continues on the next with its column headings repeated; a
  cell's long text wraps inside its column, never off the page.
  Numbers are right-aligned, written as ``tables.cell_text`` writes them (CSV and PDF agree).
* A chart is drawn with reportlab's graphics (a bar chart: ``VerticalBarChart``; a line
  chart: ``HorizontalLineChart``), one colour per series with a legend when there are
  several; a chart without data (no category or no known value) says so in one line instead of an empty frame.
* Pure and deterministic (reportlab's invariant mode): values in, PDF bytes out. No
  database, no Qt; safe in any thread.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, KeepTogether, LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from fulfilstation.documents.fonts import FontSet, document_fonts
from fulfilstation.documents.packing_slip import numbered_canvas
from fulfilstation.documents.pdf_parts import page_dimensions

MARGIN = 14 * mm
CHART_HEIGHT = 62 * mm
NO_DATA = "No data in this period."  # a chart without data, as the window says it
GRID = colors.HexColor("#BBBBBB")
HEADING = colors.HexColor("#E8E8E8")
SERIES_COLOURS = (colors.HexColor("#2F6DB5"), colors.HexColor("#E08A1E"), colors.HexColor("#3A9A4A"),
                  colors.HexColor("#B83B3B"), colors.HexColor("#7A52A8"), colors.HexColor("#5A5A5A"))
NUMERIC = (int, float, Decimal)


# What the PDF reads of the reports' values (``services/reports/tables``: ReportTable,
# ReportChart, ReportSection), stated here so that documents import nothing of the services.

class ReportTable(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def columns(self) -> tuple[str, ...]: ...
    @property
    def rows(self) -> tuple[tuple[object, ...], ...]: ...
    @property
    def note(self) -> str: ...
    def text_rows(self) -> list[list[str]]: ...


class ReportChart(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def categories(self) -> tuple[str, ...]: ...
    @property
    def series(self) -> tuple[tuple[str, tuple[float | None, ...]], ...]: ...
    @property
    def unit(self) -> str: ...


class ReportSection(Protocol):
    @property
    def title(self) -> str: ...
    def tables(self) -> Sequence[ReportTable]: ...
    def charts(self) -> Sequence[ReportChart]: ...


def build_daily_pdf(site: str, day: dt.date, sections: Sequence[ReportSection], *, page_size: str = "letter",
                    printed: str = "", notice: str = "") -> bytes:
    """The daily report of ``site`` for its ``day``: every section in the order given
    (``notice``, when given, under the day's line: what the reader must know about the days)."""
    fonts = document_fonts()
    width, height = page_dimensions(page_size)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=(width, height), leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN + 4 * mm, title=f"Daily report {day.isoformat()}",
                            author="FulfilStation", invariant=1)
    styles = _Styles(fonts)
    story: list[Any] = [styles.para(f"Daily report — {site}", styles.title),
                        styles.para(f"{day.strftime('%A')} {day.isoformat()}" + (f" · printed {printed}" if printed
                                                                                  else ""), styles.small),
                        *([styles.para(notice, styles.small)] if notice else []),
                        Spacer(1, 4 * mm)]
    for section in sections:
        story += [CondPageBreak(40 * mm), styles.para(section.title, styles.section), Spacer(1, 2 * mm)]
        for chart in section.charts():
            drawing = chart_drawing(chart, doc.width, fonts)
            story += [KeepTogether([styles.para(chart.title, styles.table_title), drawing]), Spacer(1, 4 * mm)]
        for table in section.tables():
            story += _table_flowables(table, doc.width, styles)
        story.append(Spacer(1, 6 * mm))

    def footer(canvas: Any, page: int, total: int) -> None:
        canvas.setFillColor(colors.HexColor("#555555"))
        fonts.draw(canvas, MARGIN, MARGIN / 2, fonts.fit(f"Daily report {site} {day.isoformat()}", 110 * mm, 8), 8)
        fonts.draw(canvas, width - MARGIN, MARGIN / 2, f"Page {page} of {total}", 8, anchor="right")

    doc.build(story, canvasmaker=numbered_canvas(footer))
    return buffer.getvalue()


class _Styles:
    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.body = ParagraphStyle("body", fontName=fonts.regular, fontSize=8, leading=9.6)
        self.number = ParagraphStyle("number", self.body, alignment=2)
        self.head = ParagraphStyle("head", self.body, fontName=fonts.bold)
        self.head_number = ParagraphStyle("head_number", self.head, alignment=2)
        self.small = ParagraphStyle("small", self.body, fontSize=9, leading=11, textColor=colors.HexColor("#444444"))
        self.note = ParagraphStyle("note", self.body, fontSize=7.5, leading=9, textColor=colors.HexColor("#444444"))
        self.title = ParagraphStyle("title", self.body, fontName=fonts.bold, fontSize=18, leading=22)
        self.section = ParagraphStyle("section", self.body, fontName=fonts.bold, fontSize=14, leading=17)
        self.table_title = ParagraphStyle("table_title", self.body, fontName=fonts.bold, fontSize=10, leading=12,
                                          spaceAfter=1.5 * mm)

    def para(self, text: str, style: ParagraphStyle) -> Paragraph:
        bold = style.fontName == self.fonts.bold
        return Paragraph(self.fonts.markup(text, bold=bold), style)


def _numeric_columns(table: ReportTable) -> list[bool]:
    """A column is right-aligned when every value in it is a number (or empty)."""
    return [all(row[n] is None or isinstance(row[n], NUMERIC) for row in table.rows) and
            any(isinstance(row[n], NUMERIC) for row in table.rows) for n in range(len(table.columns))]


CELL_PADDING = 12.0  # LongTable's default left + right padding, points


def _column_widths(table: ReportTable, texts: list[list[str]], total: float, styles: _Styles) -> list[float]:
    """Widths of the columns within ``total`` points, measured in the fonts they print in: each
    column gets at least its widest word (a number, a SKU, a heading's word never breaks when
    the page allows it), then what is left goes to the columns whose whole text is wider, in
    proportion to what they lack; a column never takes more than half the page."""
    body, head = styles.body, styles.head
    least: list[float] = []
    wanted: list[float] = []
    for n, heading in enumerate(table.columns):
        cells = [row[n] for row in texts[:500]]

        def width(text: str, style: ParagraphStyle) -> float:
            return float(stringWidth(text, style.fontName, style.fontSize))

        words = [width(word, head) for word in heading.split()] + [
            width(word, body) for cell in cells for word in cell.split()]
        whole = [width(heading, head)] + [width(cell, body) for cell in cells]
        least.append(max(words or [0.0]) + CELL_PADDING)
        wanted.append(min(max(whole) + CELL_PADDING, total / 2))
    wanted = [max(want, low) for want, low in zip(wanted, least, strict=True)]
    if sum(wanted) <= total:  # everything fits on one line: share the rest out evenly by size
        return [total * want / sum(wanted) for want in wanted]
    if sum(least) >= total:  # not even the words fit: shrink them all alike
        return [total * low / sum(least) for low in least]
    room, lacking = total - sum(least), [want - low for want, low in zip(wanted, least, strict=True)]
    return [low + room * lack / sum(lacking) for low, lack in zip(least, lacking, strict=True)]


def _table_flowables(table: ReportTable, width: float, styles: _Styles) -> list[Any]:
    title = styles.para(table.title, styles.table_title)
    if not table.rows:
        return [KeepTogether([title, styles.para("Nothing in this period.", styles.note)]), Spacer(1, 4 * mm)]
    numeric = _numeric_columns(table)
    heading = [styles.para(name, styles.head_number if numeric[n] else styles.head)
               for n, name in enumerate(table.columns)]
    texts = table.text_rows()
    rows = [[styles.para(text, styles.number if numeric[n] else styles.body) for n, text in enumerate(row)]
            for row in texts]
    widths = _column_widths(table, texts, width, styles)
    grid = LongTable([heading, *rows], colWidths=widths, repeatRows=1, splitByRow=1)
    grid.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HEADING),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
    ]))
    found: list[Any] = [CondPageBreak(22 * mm), title, grid]
    if table.note:
        found.append(styles.para(table.note, styles.note))
    found.append(Spacer(1, 4 * mm))
    return found


def chart_drawing(chart: ReportChart, width: float, fonts: FontSet) -> Drawing:
    """``chart`` as a reportlab drawing ``width`` wide; without data (no category, or no known
    value: the window's rule, ``ui.reports.charts.has_data``) the one line the window shows too."""
    if not chart.categories or all(value is None for _name, values in chart.series for value in values):
        drawing = Drawing(width, 10 * mm)
        drawing.add(String(0, 4 * mm, NO_DATA, fontName=fonts.regular, fontSize=8))
        return drawing
    drawing = Drawing(width, CHART_HEIGHT)
    plot: Any = VerticalBarChart() if chart.kind == "bar" else HorizontalLineChart()
    legend_room = 28 * mm if len(chart.series) > 1 else 0
    rotate = len(chart.categories) > 6 or max(len(c) for c in chart.categories) > 12
    plot.x, plot.y = 14 * mm, (20 * mm if rotate else 10 * mm)
    room = width - plot.x - 4 * mm - legend_room
    plot.width = min(room, max(60 * mm, 20 * mm * len(chart.categories) * len(chart.series)))  # no giant bars
    plot.height = CHART_HEIGHT - plot.y - 6 * mm
    plot.data = [tuple(value for value in values) for _, values in chart.series]
    plot.categoryAxis.categoryNames = [name if len(name) <= 24 else name[:23] + "…" for name in chart.categories]
    labels = plot.categoryAxis.labels
    labels.fontName, labels.fontSize = fonts.regular, 7
    if rotate:
        labels.angle, labels.boxAnchor, labels.dy = 35, "ne", -2
    plot.valueAxis.labels.fontName, plot.valueAxis.labels.fontSize = fonts.regular, 7
    plot.valueAxis.valueMin = 0
    top = max((value for _, values in chart.series for value in values if value is not None), default=0.0)
    if chart.unit == "%" and top <= 100:
        plot.valueAxis.valueMax = 100
    elif top <= 0:
        plot.valueAxis.valueMax = 1
    if chart.kind == "bar":
        for n in range(len(chart.series)):
            plot.bars[n].fillColor = SERIES_COLOURS[n % len(SERIES_COLOURS)]
            plot.bars[n].strokeColor = None
    else:
        for n in range(len(chart.series)):
            plot.lines[n].strokeColor = SERIES_COLOURS[n % len(SERIES_COLOURS)]
            plot.lines[n].strokeWidth = 1.5
    drawing.add(plot)
    if chart.unit:
        drawing.add(String(0, CHART_HEIGHT - 3 * mm, chart.unit, fontName=fonts.regular, fontSize=7))
    if legend_room:
        legend = Legend()
        legend.x, legend.y = width - legend_room + 2 * mm, CHART_HEIGHT - 8 * mm
        legend.fontName, legend.fontSize = fonts.regular, 7
        legend.colorNamePairs = [(SERIES_COLOURS[n % len(SERIES_COLOURS)], name)
                                 for n, (name, _) in enumerate(chart.series)]
        drawing.add(legend)
    return drawing
