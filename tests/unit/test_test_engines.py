"""``make test`` on a newcomer's machine: a local PostgreSQL is used by itself, the run says
which engines ran, SQLite alone still runs when none answers, and CI still needs both."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

from tests.support.databases import LOCAL_POSTGRES, PG_ENV, choose_engines, local_postgres

ROOT = Path(__file__).resolve().parents[2]


def test_a_local_server_that_answers_is_used() -> None:
    environ: dict[str, str] = {}
    line = choose_engines(environ, probe=lambda: (LOCAL_POSTGRES, "found on 127.0.0.1:5432 as user postgres"))
    assert environ == {PG_ENV: LOCAL_POSTGRES}
    assert line == "engines: sqlite, postgresql (found on 127.0.0.1:5432 as user postgres)"


def test_without_a_server_sqlite_runs_alone_and_says_why() -> None:
    environ: dict[str, str] = {}
    line = choose_engines(environ, probe=lambda: (None, "no PostgreSQL lets user postgres in on 127.0.0.1:5432"))
    assert environ == {}
    assert line.startswith("engines: sqlite only: no PostgreSQL lets user postgres in on 127.0.0.1:5432")


def test_a_given_url_is_used_as_given_and_never_probed() -> None:
    def probe() -> tuple[str | None, str]:
        raise AssertionError("probed although the variable is set")

    given = {PG_ENV: "postgresql://postgres:pw@db.example:5433/postgres"}
    assert choose_engines(given, probe) == ("engines: sqlite, postgresql (postgresql://postgres:***@db.example:5433/"
                                            f"postgres, from {PG_ENV})")
    assert choose_engines({PG_ENV: ""}, probe) == f"engines: sqlite only: {PG_ENV} is set empty"
    assert choose_engines({"CI": "1"}, probe) == f"engines: {PG_ENV} is required in CI"


def test_the_probe_says_why_a_port_is_not_a_postgresql() -> None:
    """A real socket that accepts and hangs up at once, and a port nobody listens on."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def hang_up() -> None:
        connection, _ = server.accept()
        connection.close()

    threading.Thread(target=hang_up, daemon=True).start()
    found, why = local_postgres(f"postgresql://postgres@127.0.0.1:{port}/postgres")
    server.close()
    assert found is None and why.startswith(f"no PostgreSQL lets user postgres in on 127.0.0.1:{port} (")
    found, why = local_postgres(f"postgresql://postgres@127.0.0.1:{port}/postgres")
    assert found is None and "127.0.0.1" in why


def run_pytest(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/unit/test_units.py", "-k", "grams"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_run_prints_its_engines() -> None:
    env = {k: v for k, v in os.environ.items() if k not in (PG_ENV, "CI")}
    result = run_pytest(env)
    assert result.returncode == 0, result.stdout + result.stderr
    found, why = local_postgres()
    expected = f"engines: sqlite, postgresql ({why})" if found else f"engines: sqlite only: {why}"
    assert result.stdout.count(expected) == 1  # -q hides the header; the summary says it
    in_ci = run_pytest({**env, "CI": "true"})
    assert in_ci.returncode != 0 and f"CI is set but {PG_ENV} is not" in in_ci.stderr
