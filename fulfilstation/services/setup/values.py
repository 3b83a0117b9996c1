"""What a station set-up is asked to do and what it did (frozen values, no I/O)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from fulfilstation.services.refused import Refused

MAX_NAME = 64
"""The longest station name (``stations.name``)."""


class SetupRefused(Refused):
    """The set-up cannot go ahead. Invariant: raised before anything was written (no settings
    file, no keyring entry, no database row); the message says what to fix."""


class Outcome(enum.StrEnum):
    DONE = "done"        # written or checked, all well
    WARNING = "warning"  # written, but this part needs a look (a device that does not answer …)


@dataclass(frozen=True)
class SetupLine:
    """One line of the set-up's account: what was done or checked, in a sentence."""

    outcome: Outcome
    text: str


@dataclass(frozen=True)
class SetupRequest:
    """``database``: a PostgreSQL URL (a password in it counts as ``password``), an SQLite URL,
    or ``""`` / ``"sqlite"`` for this PC's embedded database. A device left None keeps the
    address the settings file already has (the defaults on a new PC). ``demo``: fill an empty
    database with the demo warehouse."""

    station: str
    database: str = ""
    password: str | None = None
    scanner: str | None = None
    scale: str | None = None
    label_printer: str | None = None
    document_printer: str | None = None
    demo: bool = False


class SchemaState(enum.StrEnum):
    UP_TO_DATE = "up-to-date"
    NEEDS_UPGRADE = "needs-upgrade"
    EMPTY = "empty"
    NEWER = "newer"       # upgraded by a newer FulfilStation: this station must be updated
    NOT_CREATED = "not-created"  # the embedded SQLite file does not exist yet


@dataclass(frozen=True)
class ConnectionCheck:
    """The database answered (a refused login or an unreachable server is a ``SetupRefused``).
    ``url`` is safe to show and to store: it never holds a password."""

    url: str
    embedded: bool
    schema: SchemaState
    revision: str | None
    head: str | None

    @property
    def sentence(self) -> str:
        where = "this PC's embedded database" if self.embedded else "the database"
        if self.schema is SchemaState.NOT_CREATED:
            return (f"The embedded database {self.url} does not exist yet: FulfilStation creates it when the window "
                    "first starts (or run 'fulfilstation db upgrade').")
        if self.schema is SchemaState.UP_TO_DATE:
            return f"Connected to {where} {self.url}: schema up to date ({self.revision})."
        if self.schema is SchemaState.NEWER:
            return (f"Connected to {where} {self.url}, but a newer FulfilStation upgraded it ({self.revision}; this "
                    f"one knows up to {self.head}): update FulfilStation on this PC before using it.")
        state = "empty" if self.schema is SchemaState.EMPTY else f"at {self.revision}"
        who = ("FulfilStation upgrades it when the window starts, or run 'fulfilstation db upgrade'"
               if self.embedded else
               "the database's owner runs 'fulfilstation db upgrade' (a station's login may not change the schema)")
        return f"Connected to {where} {self.url}: its schema is {state} and needs upgrading to {self.head}: {who}."

    @property
    def ready(self) -> bool:
        return self.schema is SchemaState.UP_TO_DATE


@dataclass(frozen=True)
class SetupReport:
    """What the set-up did, one line each, in the order it happened."""

    lines: tuple[SetupLine, ...]
    settings_file: str

    @property
    def warnings(self) -> tuple[SetupLine, ...]:
        return tuple(line for line in self.lines if line.outcome is Outcome.WARNING)
