"""What a change message says: the channel, the payload and the "everything" marker.

Shared by the side that publishes (``change_recorder``) and the side that listens
(``change_sources``), so the two cannot drift apart.

* ``CHANNEL``: the PostgreSQL ``NOTIFY`` channel. Notifications stay inside one database,
  so two sites on one server never hear each other.
* Payload: compact JSON ``{"source":"<token>","tables":["orders","pack_sessions"]}``,
  table names sorted. ``source`` names the ``Database`` that committed (see
  ``new_source``) so a listener can skip its own echoes. A payload that would not fit
  well under PostgreSQL's 8000-byte limit is sent as ``"tables":["*"]`` instead.
* ``ALL`` (``"*"``) in a set of table names means "anything may have changed": refresh
  everything. It is sent for SQL whose tables cannot be known and delivered after the
  listener lost its connection for a while.

Reading is lenient: a payload that cannot be understood still means something changed,
so it decodes as ``ALL`` from an unknown source rather than being dropped.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import dataclass

CHANNEL = "fulfilstation_changes"
ALL = "*"
UNKNOWN_SOURCE = ""
MAX_PAYLOAD_BYTES = 4000  # PostgreSQL refuses payloads of 8000 bytes or more

NOT_PUBLISHED = frozenset({"change_counters", "alembic_version"})
"""Tables whose changes are bookkeeping, never news: the counters themselves (bumping them
would feed back) and Alembic's version row (written while migrating, before the
counters table may exist)."""


@dataclass(frozen=True)
class Change:
    """One committed transaction's (or, on SQLite, one poll's) changed tables and who made them."""

    source: str
    tables: frozenset[str]


def new_source() -> str:
    """A token naming one ``Database`` in one process: ``host:pid:random`` (at most 48
    characters), readable in a log yet unique even for two ``Database`` objects in one process."""
    return f"{socket.gethostname()[:24]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def encode(source: str, tables: frozenset[str] | set[str]) -> str:
    payload = json.dumps({"source": source, "tables": sorted(tables)}, separators=(",", ":"))
    if len(payload.encode()) > MAX_PAYLOAD_BYTES:
        payload = json.dumps({"source": source, "tables": [ALL]}, separators=(",", ":"))
    return payload


def decode(payload: str) -> Change:
    try:
        data = json.loads(payload)
        source, tables = data["source"], data["tables"]
        if isinstance(source, str) and isinstance(tables, list) and all(isinstance(t, str) for t in tables):
            return Change(source, frozenset(tables))
    except (ValueError, TypeError, KeyError):
        pass
    return Change(UNKNOWN_SOURCE, frozenset({ALL}))
