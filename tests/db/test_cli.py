"""The command line as a user runs it: real processes, real databases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL

from fulfilstation import __version__
from fulfilstation.db import migrate
from fulfilstation.db.database import Database

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # The terminal width of wherever the tests run (pytest-xdist workers set $COLUMNS) would wrap
    # the report tables: a test that wants a width says so in ``env``.
    inherited = {name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")}
    environment = {**inherited, **(env or {})}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env=environment, timeout=120, stdin=subprocess.DEVNULL)


def plain(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def test_version_from_main_and_console_script() -> None:
    assert cli("--version").stdout.strip() == f"FulfilStation {__version__}"
    script = Path(sys.executable).with_name("fulfilstation")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == f"FulfilStation {__version__}"


def test_db_upgrade_current_and_demo_seed_with_db_option(empty_url: URL) -> None:
    url = plain(empty_url)
    before = cli("db", "current", "--db", url)
    assert before.returncode == 1 and "schema empty (needs upgrade" in before.stdout
    upgraded = cli("--db", url, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"to {migrate.head_revision()}" in upgraded.stdout
    current = cli("db", "current", "--db", url)
    assert current.returncode == 0 and "up to date" in current.stdout
    seeded = cli("demo", "seed", "--db", url)
    assert seeded.returncode == 0, seeded.stderr
    assert "45 products, 100 bins, 50 open orders" in seeded.stdout
    again = cli("demo", "seed", "--db", url)
    assert again.returncode == 0 and "already holds products" in again.stdout


def test_commands_honour_the_environment_variable(empty_url: URL) -> None:
    result = cli("db", "upgrade", env={"FULFIL_DATABASE_URL": plain(empty_url)})
    assert result.returncode == 0, result.stderr
    assert cli("db", "current", env={"FULFIL_DATABASE_URL": plain(empty_url)}).returncode == 0


def test_unreachable_database_is_a_sentence_not_a_traceback() -> None:
    result = cli("db", "current", "--db", "postgresql://someone@127.0.0.1:1/nothing")
    assert result.returncode == 2
    assert "Cannot reach the database at postgresql://someone@127.0.0.1:1/nothing" in result.stderr
    assert "Traceback" not in result.stderr


def test_set_url_keeps_the_password_out_of_the_file(tmp_path: Path) -> None:
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    result = cli("db", "set-url", "postgresql://fs:secret@db.example:5432/wh", env=env)
    settings = (tmp_path / "config" / "station.toml").read_text()
    assert "secret" not in settings and 'url = "postgresql://fs@db.example:5432/wh"' in settings
    assert result.returncode == 2 and "No password store" in result.stderr


def test_default_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    result = cli("db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "fulfilstation.sqlite3").exists()


def test_a_database_from_a_newer_version_is_named_not_upgraded(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    with seeded_database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    words = "this database was upgraded by a newer FulfilStation (revision 9999): update this station"
    current = cli("db", "current", "--db", url)
    assert current.returncode == 1 and "needs upgrade" not in current.stdout
    assert f"schema 9999 (newer than this FulfilStation, which knows up to {migrate.head_revision()}" in current.stdout
    upgraded = cli("db", "upgrade", "--db", url)
    assert (upgraded.returncode, upgraded.stderr) == (2, f"error: {words}\n")
    held = cli("orders", "hold", "SO-1001", "--reason", "x", "--db", url, "--user", "manager", "--pin", "2222")
    assert held.returncode == 2 and held.stderr.strip().splitlines() == [f"error: {words}"], held.stderr


def test_a_closed_pipe_ends_the_command_quietly(seeded_database: Database) -> None:
    """``orders list | head -2``: no BrokenPipeError, no 'Exception ignored' from Python."""
    url = plain(seeded_database.engine.url)
    command = f"{sys.executable} {ROOT / 'main.py'} orders list --db '{url}' | head -2"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True,
                            env=dict(os.environ), timeout=120, stdin=subprocess.DEVNULL)
    assert len(result.stdout.splitlines()) == 2
    assert result.stderr == "" and result.returncode == 0


def test_names_a_terminal_cannot_show_are_escaped(seeded_database: Database) -> None:
    """A console in a legacy code page (Windows pipes: cp1252; here ASCII) and an order for
    a name outside it: the list prints, the name escaped, no UnicodeEncodeError."""
    with seeded_database.engine.begin() as connection:
        connection.execute(text("UPDATE orders SET ship_to_name = '大阪 Trading' WHERE number = 'SO-10008'"))
    result = cli("orders", "list", "--db", plain(seeded_database.engine.url), env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert "\\u5927\\u962a Trading" in result.stdout


def test_an_argument_that_is_not_utf8_is_one_line() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "orders", "show", b"SO-\xff\xfe"],
                            capture_output=True, text=True, env=dict(os.environ), timeout=120,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert result.stderr == ("error: the argument b'SO-\\xff\\xfe' is not UTF-8 text: type it again, or set the "
                             "terminal's character encoding to UTF-8.\n")


def test_a_url_that_cannot_be_parsed_is_one_line_without_its_password() -> None:
    for url in ("postgresql://fulfil:hunter2x@db:abc/fulfilstation", "postgresql://fulfil:hunter2x@[::1/fulfil"):
        result = cli("orders", "list", "--db", url)
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
        assert "is not a database URL" in result.stderr and "hunter2x" not in result.stderr
        assert "postgresql://fulfil:***@" in result.stderr


def test_a_password_in_the_query_never_appears() -> None:
    result = cli("orders", "list", "--db", "postgresql://fulfil@127.0.0.1:1/fulfilstation?password=hunter2x")
    assert result.returncode == 2 and "Cannot reach the database at postgresql://fulfil@127.0.0.1:1/fulfilstation " \
        in result.stderr
    assert "hunter2x" not in result.stderr + result.stdout


def test_a_read_only_command_creates_no_database(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "station.sqlite3"
    for command in (["orders", "list"], ["site", "show"], ["users", "list"], ["shipments", "list"]):
        result = cli(*command, "--db", f"sqlite:///{missing}")
        assert result.returncode == 2, result.stderr
        assert result.stderr == (f"error: There is no database at {missing}: check --db or the station settings, "
                                 "or create it with 'fulfilstation db upgrade'.\n")
    current = cli("db", "current", "--db", f"sqlite:///{missing}")
    assert current.returncode == 1 and "schema empty (needs upgrade" in current.stdout
    assert not missing.parent.exists()
    default = cli("orders", "list")  # the default database in the data directory, not made yet
    assert default.returncode == 2 and "There is no database at" in default.stderr
    assert not list((tmp_path / "data").glob("**/*.sqlite3"))
    assert not (tmp_path / "config").exists()  # nor the station settings file: reading writes nothing


def test_impossible_numbers_are_one_line(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    for argv, words in ((["orders", "search", "x", "--limit", "1e308"], "fulfilstation orders search: error: argument "
                         "--limit: '1e308' is not a whole number from 1 to 100,000 (see 'fulfilstation orders search "
                         "--help')"),
                        (["shipments", "list", "--limit", "99999999999999999999999"], "argument --limit"),
                        (["users", "revoke-secret", "owner", "--id", "99999999999999999999", "--user", "owner",
                          "--pin", "3333"], "argument --id"),
                        (["site", "set-tolerance", "--grams", "5", "--percent", "nan", "--user", "owner",
                          "--pin", "3333"], "between 0 and 50, not nan")):
        result = cli(*argv, "--db", url)
        assert result.returncode in (1, 2) and words in result.stderr, result.stderr  # refused (1) or bad input (2)
        assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_sqlite_file_without_tables_says_db_upgrade(tmp_path: Path) -> None:
    """An empty file where the database should be (``touch``, a failed copy) is not an
    unreachable server: the sentence says to run ``db upgrade``."""
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    result = cli("stock", "list", "--db", f"sqlite:///{empty}")
    assert result.returncode == 2
    assert "does not have the expected tables" in result.stderr and "fulfilstation db upgrade" in result.stderr
    assert "server is running" not in result.stderr and "Traceback" not in result.stderr
