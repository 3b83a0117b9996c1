"""``sslmode=verify-full`` (issue #15, point 2) against a PostgreSQL of the test's own that
accepts only TLS, with a certificate authority the test made (``PrivateServer(tls=True)``):
the app connects by host name ``localhost`` and works, also as a station's login; with
another CA file, or none where the URL says, the command fails in words that say the
server's certificate could not be verified and what to do."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from fulfilstation.db import roles
from fulfilstation.db.database import Database
from fulfilstation.db.url import parse_url
from tests.support.private_postgres import PrivateServer

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env=environment, timeout=180, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def server() -> Iterator[PrivateServer]:
    with PrivateServer(tls=True) as running:
        yield running


def verified_url(server: PrivateServer, ca_file: Path, user: str = "postgres") -> str:
    return (f"postgresql://{user}@localhost:{server.port}/postgres"
            f"?sslmode=verify-full&sslrootcert={ca_file}")


def other_ca(folder: Path) -> Path:
    """A certificate authority that signed nothing the server shows."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=Some other CA", "-keyout", str(folder / "other.key"),
                    "-out", str(folder / "other.crt")], check=True, capture_output=True)
    return folder / "other.crt"


def test_verify_full_connects_by_host_name_and_runs_the_app(server: PrivateServer) -> None:
    url = verified_url(server, server.ca_file)
    upgraded = cli("db", "upgrade", "--db", url)
    assert upgraded.returncode == 0, upgraded.stderr
    current = cli("db", "current", "--db", url)
    assert current.returncode == 0 and "up to date" in current.stdout, current.stderr
    database = Database.connect(parse_url(url))
    try:
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).scalar_one()
            connection.commit()
            name = "station_tls"
            roles.create_station_role(connection, name, None)
            connection.commit()
    finally:
        database.dispose()
    as_station = cli("db", "current", "--db", verified_url(server, server.ca_file, user=name))
    assert as_station.returncode == 0 and "up to date" in as_station.stdout, as_station.stderr


def test_a_certificate_signed_by_another_ca_is_refused_in_words(server: PrivateServer, tmp_path: Path) -> None:
    result = cli("db", "current", "--db", verified_url(server, other_ca(tmp_path)))
    assert result.returncode == 2 and result.stdout == ""
    message = result.stderr
    assert message.startswith("error: The database server at postgresql://postgres@localhost:")
    assert "could not be verified" in message and "not signed by the certificate authority" in message
    assert "sslrootcert=" in message and "Traceback" not in message


def test_a_missing_ca_file_is_named_in_words(server: PrivateServer, tmp_path: Path) -> None:
    result = cli("db", "current", "--db", verified_url(server, tmp_path / "no-such-ca.crt"))
    assert result.returncode == 2
    assert "could not be verified" in result.stderr and "does not exist" in result.stderr


def test_without_tls_the_server_lets_nobody_in(server: PrivateServer) -> None:
    """The server of these tests really is TLS-only: a plain connection is turned away."""
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{server.port}/postgres?sslmode=disable")
    try:
        with pytest.raises(Exception, match="no encryption|pg_hba"), engine.connect():
            pass
    finally:
        engine.dispose()
