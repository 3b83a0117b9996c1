"""What the Reports screen asks for, in one place: the Reports tab's sections (``SECTIONS``: key →
the name in the chooser and the query) and the Dashboard tab's query (``DASHBOARD``), with the
shapes the screen reads from a dashboard (``DashboardLike``: a ``ReportSection`` that also
carries ``exceptions`` and ``alerts``).

Each query takes ``AppServices``, the signed-in actor (and, for a section, the ``Period`` of
site days) and returns a ``ReportSection``; every one is called on a worker thread.

Threading: values only; the queries block (database) and are run through ``ui.worker``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.reports import Period, ReportChart, ReportSection, ReportTable


class ExceptionLike(Protocol):
    """One open exception on the dashboard (``DashboardException``): a click opens ``screen``
    (a workspace screen's key) showing ``filter`` (``Screen.show_filter``)."""

    @property
    def key(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def count(self) -> int: ...

    @property
    def screen(self) -> str: ...

    @property
    def filter(self) -> str | None: ...


class DashboardLike(Protocol):
    """The dashboard: a report section with its open exceptions and the SLA steps running late
    (``alerts``: each shown as its ``message`` or ``text`` when it has one, else ``str``)."""

    @property
    def title(self) -> str: ...

    def tables(self) -> list[ReportTable]: ...

    def charts(self) -> list[ReportChart]: ...

    @property
    def exceptions(self) -> Sequence[ExceptionLike]: ...

    @property
    def alerts(self) -> Sequence[object]: ...


SectionQuery = Callable[[AppServices, Actor, Period], ReportSection]
DashboardQuery = Callable[[AppServices, Actor], DashboardLike]


@dataclass(frozen=True)
class Section:
    name: str  # as the chooser shows it
    query: SectionQuery


#: The Reports tab's sections, in the chooser's order (each a ``ReportsService`` query).
SECTIONS: dict[str, Section] = {
    "sla": Section("Service levels", lambda app, actor, period: app.reports.sla(actor, period)),
    "packers": Section("Packers", lambda app, actor, period: app.reports.packers(actor, period)),
    "costs": Section("Costs", lambda app, actor, period: app.reports.costs(actor, period)),
    "inventory": Section("Inventory and returns", lambda app, actor, period: app.reports.inventory(actor, period)),
}

#: The Dashboard tab's query (None would make the tab say it is not there).
DASHBOARD: DashboardQuery | None = lambda app, actor: app.reports.dashboard(actor)  # noqa: E731


def alert_text(alert: object) -> str:
    """What an SLA alert says: its ``message`` or ``text`` when it has one, else ``str(alert)``."""
    if isinstance(alert, str):
        return alert
    for name in ("message", "text"):
        value = getattr(alert, name, None)
        if isinstance(value, str) and value:
            return value
    return str(alert)
