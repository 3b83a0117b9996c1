"""``fulfilstation setup`` as a packing PC's installer runs it (issue #16, point 3): real
processes sharing a keyring file, on SQLite and PostgreSQL. The settings file names the
station, the database (without its password) and the devices; the password is in the keyring
and in no file of the config folder; the station is registered; a refused set-up (a wrong
password, a device address that cannot be understood, a server that does not answer) writes
nothing at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import URL

from fulfilstation.db import migrate
from fulfilstation.db.database import Database
from fulfilstation.db.models import Station
from fulfilstation.db.url import display_url, parse_url
from tests.support.file_keyring import environment
from tests.support.private_postgres import PrivateServer

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse 42"


@pytest.fixture
def keyring_file(tmp_path: Path) -> Path:
    return tmp_path / "keyring.json"


def setup(keyring_file: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    inherited = {name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "setup", *args], capture_output=True, text=True,
                          env={**inherited, **environment(keyring_file)}, timeout=120, input=stdin)


def settings_of(tmp_path: Path) -> dict[str, object]:
    return tomllib.loads((tmp_path / "config" / "station.toml").read_text())


def keyring_of(keyring_file: Path) -> dict[str, str]:
    return json.loads(keyring_file.read_text()) if keyring_file.exists() else {}


def files_holding(folder: Path, secret: str) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and secret.encode() in path.read_bytes()]


def stations_in(url: URL) -> dict[str, tuple[str, str | None, str | None]]:
    database = Database.connect(url)
    try:
        with database.unit_of_work() as session:
            return {s.name: (s.scanner_uri, s.scale_uri, s.label_printer_uri) for s in session.scalars(select(Station))}
    finally:
        database.dispose()


def test_one_pc_with_the_demo_writes_settings_creates_the_embedded_database_and_registers(
        tmp_path: Path, keyring_file: Path) -> None:
    result = setup(keyring_file, "--db", "sqlite", "--station", "PACK7", "--scale", "sim:", "--label-printer",
                   "sim:", "--demo")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    embedded = tmp_path / "data" / "fulfilstation.sqlite3"
    assert lines[0].startswith(f"The embedded database sqlite:///{embedded} does not exist yet")
    assert "Scale: sim: reads 0 g (zero)." in lines and "Label printer: sim: is ready." in lines
    assert any(line.startswith("Demo warehouse added: 45 products, 100 bins, 50 open orders") for line in lines)
    assert lines[-1] == f"Station PACK7 registered in sqlite:///{embedded} with these devices."
    settings = settings_of(tmp_path)
    assert settings["station"] == {"name": "PACK7"} and settings["database"] == {"url": ""}
    assert settings["devices"] == {"scanner": "wedge:", "scale": "sim:", "label_printer": "sim:",
                                   "document_printer": ""}
    assert stations_in(URL.create("sqlite+pysqlite", database=str(embedded))) == {"PACK7": ("wedge:", "sim:", "sim:")}
    assert keyring_of(keyring_file) == {}


def test_joining_a_site_database_keeps_the_password_in_the_keyring_only(
        tmp_path: Path, keyring_file: Path, database: Database) -> None:
    url = database.engine.url
    given = url.render_as_string(hide_password=False)
    result = setup(keyring_file, "--db", given, "--station", "PACK2", "--scale", "sim:", "--password-stdin",
                   stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    shown = display_url(url)
    assert result.stdout.splitlines()[0] == f"Connected to the database {shown}: schema up to date " \
                                            f"({migrate.head_revision()})."
    settings = settings_of(tmp_path)
    assert settings["database"] == {"url": shown}
    assert stations_in(url)["PACK2"] == ("wedge:", "sim:", "sim:")
    if database.backend == "postgresql":
        name = f"db:{url.username}@{url.host}:{url.port or 5432}/{url.database}"
        assert keyring_of(keyring_file) == {f"FulfilStation\n{name}": PASSWORD}
        assert f"Password for {shown} saved in the OS keyring." in result.stdout
    else:  # an SQLite file has no password: nothing goes to the keyring
        assert keyring_of(keyring_file) == {}
    assert files_holding(tmp_path / "config", PASSWORD) == []
    assert PASSWORD not in result.stdout + result.stderr


def test_an_empty_schema_is_named_with_the_command_that_upgrades_it(
        tmp_path: Path, keyring_file: Path, empty_url: URL) -> None:
    if empty_url.get_backend_name() == "sqlite":  # the file must exist to hold an empty schema
        create_engine(empty_url).connect().close()
    result = setup(keyring_file, "--db", empty_url.render_as_string(hide_password=False), "--station", "PACK3")
    assert result.returncode == 0, result.stderr
    assert f"its schema is empty and needs upgrading to {migrate.head_revision()}" in result.stdout
    assert "'fulfilstation db upgrade'" in result.stdout
    assert "registered" not in result.stdout  # no station row in a database without tables
    assert settings_of(tmp_path)["station"] == {"name": "PACK3"}


def test_a_device_address_that_cannot_be_understood_writes_nothing(tmp_path: Path, keyring_file: Path) -> None:
    result = setup(keyring_file, "--db", "sqlite", "--station", "PACK4", "--label-printer", "tpc://10.0.0.7:9100")
    assert result.returncode == 1
    assert result.stderr.startswith("error: The label printer address is wrong: ")
    assert "tpc://10.0.0.7:9100" in result.stderr and "Nothing was written." in result.stderr
    assert not (tmp_path / "config").exists() and not (tmp_path / "data").exists()


def test_a_device_that_does_not_answer_is_written_with_a_warning(tmp_path: Path, keyring_file: Path) -> None:
    result = setup(keyring_file, "--db", "sqlite", "--station", "PACK5", "--scale",
                   "serial:///dev/ttyNOSUCH?protocol=nci", "--label-printer", "sim:")
    assert result.returncode == 3, result.stderr
    assert ("warning: Scale: serial:///dev/ttyNOSUCH?protocol=nci does not answer: check its cable, power and "
            "the address's protocol and baud rate. The address was kept.") in result.stdout.splitlines()
    assert settings_of(tmp_path)["devices"]["scale"] == "serial:///dev/ttyNOSUCH?protocol=nci"  # type: ignore[index]


def test_a_server_that_does_not_answer_writes_nothing(tmp_path: Path, keyring_file: Path) -> None:
    result = setup(keyring_file, "--db", "postgresql://station@127.0.0.1:1/site", "--station", "PACK6",
                   "--password-stdin", stdin=PASSWORD + "\n")
    assert result.returncode == 1
    assert result.stderr.startswith("error: Cannot reach the database at postgresql://station@127.0.0.1:1/site")
    assert result.stderr.rstrip().endswith("Nothing was written.")
    assert not (tmp_path / "config").exists() and keyring_of(keyring_file) == {}


def test_an_empty_password_on_standard_input_is_refused_and_writes_nothing(tmp_path: Path,
                                                                         keyring_file: Path) -> None:
    result = setup(keyring_file, "--db", "postgresql://station@127.0.0.1:1/site", "--station", "PACK7",
                   "--password-stdin", stdin="\n")
    assert result.returncode == 1
    assert result.stderr.startswith("error: --password-stdin was given, but the first line of standard input "
                                    "is empty.")
    assert "Nothing was written." in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "config").exists() and keyring_of(keyring_file) == {}


@pytest.fixture(scope="module")
def password_server() -> Iterator[PrivateServer]:
    with PrivateServer(passwords=True) as running:
        yield running


def test_a_wrong_password_is_said_and_writes_nothing_then_the_right_one_is_kept(
        tmp_path: Path, keyring_file: Path, password_server: PrivateServer) -> None:
    admin = parse_url(password_server.url())
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f"CREATE ROLE station_pw LOGIN PASSWORD '{PASSWORD}'")
    engine.dispose()
    site = f"postgresql://station_pw@127.0.0.1:{password_server.port}/postgres"
    wrong = setup(keyring_file, "--db", site, "--station", "PACK1", "--password-stdin", stdin="not it\n")
    assert wrong.returncode == 1
    assert wrong.stderr.startswith(f"error: The database at {site} refused the login (")
    assert "check the password and give it again. Nothing was written." in wrong.stderr
    assert not (tmp_path / "config").exists() and keyring_of(keyring_file) == {}
    right = setup(keyring_file, "--db", site, "--station", "PACK1", "--password-stdin", stdin=PASSWORD + "\n")
    assert right.returncode == 0, right.stderr
    assert right.stdout.splitlines()[0].startswith(f"Connected to the database {site}: its schema is empty")
    assert keyring_of(keyring_file) == {
        f"FulfilStation\ndb:station_pw@127.0.0.1:{password_server.port}/postgres": PASSWORD}
    assert settings_of(tmp_path)["database"] == {"url": site}
    assert files_holding(tmp_path / "config", PASSWORD) == []
    again = setup(keyring_file, "--db", site, "--station", "PACK1")  # no password given: the keyring's is used
    assert again.returncode == 0 and "schema is empty" in again.stdout, again.stderr
