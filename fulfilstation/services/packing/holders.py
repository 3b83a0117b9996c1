"""Who holds an open pack session, and whether it is still alive (the heartbeat).

The process packing a session (the window, the ``pack`` command) names itself in
``pack_sessions.holder`` (``this_process()``: host and process id) and moves
``heard_at`` on at least every ``HEARTBEAT_S`` seconds while the session is open. A session
not heard from for ``STALE_AFTER`` is *stale*: its station is taken for dead, and another
station may take it over (or a ``pack`` run restart it) — by a conditional UPDATE on the
same ``heard_at`` cut-off, so of two stations only one can. A holder on this host whose
process no longer exists is dead at once (``is_gone``), without waiting for the cut-off.

Pure apart from the clock and asking the OS about a process id; thread-safe.
"""

from __future__ import annotations

import datetime as dt
import os
import socket

HEARTBEAT_S = 30
STALE_AFTER = dt.timedelta(minutes=2)


def this_process() -> str:
    """``"<host> <pid>"`` of this process (at most 120 characters, the column's width)."""
    return f"{socket.gethostname()[:100]} {os.getpid()}"


def is_gone(holder: str | None) -> bool:
    """True when ``holder`` was a process of this host that no longer runs (a crash, a
    kill). False when it runs, is this process, is on another host, or cannot be told."""
    if not holder:
        return False
    host, _, pid_text = holder.rpartition(" ")
    if host != socket.gethostname()[:100] or not pid_text.isdigit() or int(pid_text) == os.getpid():
        return False
    if os.name != "posix":  # os.kill(pid, 0) would terminate the process on Windows
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, owned by someone else
        return False
    return False


def stale_before(now: dt.datetime) -> dt.datetime:
    """The cut-off: a session heard from before this is stale."""
    return now - STALE_AFTER


def heard_ago(heard_at: dt.datetime | None, now: dt.datetime) -> str:
    """How long ago a session was heard from, in words ("12 seconds ago", "3 minutes ago")."""
    if heard_at is None:
        return "never"
    seconds = max(0, int((now - heard_at).total_seconds()))
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''} ago"
    return f"{seconds // 60} minutes ago"
