"""``ChartPanel``: a ``ReportChart`` on screen — its title, then either the chart drawn with
QtCharts or, when it has no data, one plain line "No data in this period." (the one way an
empty chart is shown: no empty axes, no frame of nothing).

Drawn: a bar chart as a ``QBarSeries`` (one ``QBarSet`` per series) over a
``QBarCategoryAxis``, a line chart as one ``QLineSeries`` per series over the same category
axis (point *i* at category *i*); the value axis starts at 0 (or below, for negative values)
and is titled with the chart's unit. The legend (several series) is a wrapping label under
the chart, each name whole in its series' colour — never cut, whatever its length (QtCharts'
own legend cuts a long name at the chart's width).

Invariants: a missing value (``None``) is no data: a bar of 0 height, a line without that
point. A chart has data (``has_data``) when it has a category and a series with a known
value; 0 is a value.

Threading: GUI thread only.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from fulfilstation.services.reports import ReportChart
from ui.widgets.fit_text import let_wrap

CHART_HEIGHT = 260  # px: a chart readable beside a table on a 1280×800 screen
LEVEL_LETTERS = 24  # categories of more letters than this, in all, are written at a slant (less cut)
NO_DATA = "No data in this period."


def has_data(spec: ReportChart) -> bool:
    """True when the chart has something to draw: a category and a known value (0 included)."""
    return bool(spec.categories) and any(v is not None for _name, series in spec.series for v in series)


def build_chart(spec: ReportChart) -> QChart:
    """The QtCharts chart of ``spec`` (no title, no legend of its own: the panel shows both)."""
    chart = QChart()
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setVisible(False)
    categories = QBarCategoryAxis()
    categories.append(list(spec.categories))
    if sum(len(name) for name in spec.categories) > LEVEL_LETTERS:
        categories.setLabelsAngle(-45)
    values = QValueAxis()
    if spec.unit:
        values.setTitleText(spec.unit)
    chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
    known = [v for _name, series in spec.series for v in series if v is not None]
    low, high = min([0.0, *known]), max([0.0, *known])
    values.setRange(low, high * 1.1 if high > 0 else 1.0)
    values.applyNiceNumbers()
    if spec.kind == "bar":
        bars = QBarSeries()
        for name, series in spec.series:
            bar_set = QBarSet(name)
            bar_set.append([0.0 if v is None else float(v) for v in series])
            bars.append(bar_set)
        chart.addSeries(bars)
        bars.attachAxis(categories)
        bars.attachAxis(values)
    else:
        for name, series in spec.series:
            line = QLineSeries()
            line.setName(name)
            line.append([QPointF(i, float(v)) for i, v in enumerate(series) if v is not None])
            line.setPointsVisible(True)
            chart.addSeries(line)
            line.attachAxis(categories)
            line.attachAxis(values)
    return chart


def series_colours(chart: QChart) -> list[tuple[str, QColor]]:
    """Each series' name and the colour the chart's theme drew it in, in the chart's order."""
    named: list[tuple[str, QColor]] = []
    for series in chart.series():
        if isinstance(series, QBarSeries):
            named += [(bar_set.label(), bar_set.color()) for bar_set in series.barSets()]
        elif isinstance(series, QLineSeries):
            named.append((series.name(), series.color()))
    return named


def legend_html(named: list[tuple[str, QColor]]) -> str:
    """A legend as rich text: a coloured square and the whole name per series; a name never
    breaks from its square, the entries wrap between each other (and inside a long name)."""
    return "&nbsp;&nbsp; ".join(
        f'<span style="color:{colour.name()}">■</span>&nbsp;{escape(name)}' for name, colour in named)


class ChartPanel(QWidget):
    """One chart: ``title`` (wraps), then ``view`` and ``legend`` — or, without data, ``placeholder``."""

    def __init__(self, spec: ReportChart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportChart")
        self.spec = spec
        self.title = let_wrap(QLabel(spec.title, self))
        self.title.setObjectName("chartTitle")
        self.view: QChartView | None = None
        self.legend = let_wrap(QLabel("", self))
        self.legend.setObjectName("chartLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.placeholder = let_wrap(QLabel(NO_DATA, self))
        self.placeholder.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        if has_data(spec):
            self.view = QChartView(build_chart(spec), self)
            self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.view.setMinimumHeight(CHART_HEIGHT)
            self.view.setAccessibleName(spec.title)
            layout.addWidget(self.view)
            named = series_colours(self.view.chart())
            self.legend.setText(legend_html(named) if len(named) > 1 else "")
            self.legend.setAccessibleName("Legend: " + ", ".join(name for name, _colour in named))
            self.placeholder.hide()
        else:
            self.placeholder.setAccessibleName(f"{spec.title}: {NO_DATA}")
        layout.addWidget(self.legend)
        layout.addWidget(self.placeholder)
        self.legend.setVisible(bool(self.legend.text()))

    def chart(self) -> QChart | None:
        """The drawn chart (None: no data, the placeholder is shown)."""
        return None if self.view is None else self.view.chart()

    def legend_names(self) -> list[str]:
        """The names the legend shows, whole (none for a single series or no data)."""
        if self.view is None or not self.legend.text():
            return []
        return [name for name, _colour in series_colours(self.view.chart())]
