from __future__ import annotations

import pytest

from fulfilstation.db.url import DatabaseUrlError, display_url, parse_url, resolve_url, secret_name, strip_password


def test_password_is_split_off_and_never_displayed() -> None:
    url, password = strip_password(parse_url("postgresql://fs:p%40ss@db.local:5433/wh"))
    assert password == "p@ss"
    assert url.password is None
    assert display_url(url) == "postgresql://fs@db.local:5433/wh"
    assert "p@ss" not in display_url(parse_url("postgresql://fs:p%40ss@db.local/wh"))


def test_precedence_cli_then_environment_then_settings_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FULFIL_DATABASE_URL", "postgresql://env@h/d")
    assert resolve_url("postgresql://cli@h/d", "postgresql://file@h/d")[0].username == "cli"
    assert resolve_url(None, "postgresql://file@h/d") == (parse_url("postgresql://env@h/d"), "env")
    monkeypatch.delenv("FULFIL_DATABASE_URL")
    assert resolve_url(None, "postgresql://file@h/d")[1] == "settings"
    url, source = resolve_url(None, "")
    assert source == "default" and url.get_backend_name() == "sqlite"
    assert str(url.database).endswith("fulfilstation.sqlite3")


@pytest.mark.parametrize("text", ["mysql://u@h/d", "not a url", "oracle://x"])
def test_unsupported_urls_are_refused_with_advice(text: str) -> None:
    with pytest.raises(DatabaseUrlError, match="PostgreSQL|postgresql://"):
        parse_url(text)


def test_postgres_scheme_is_read_as_postgresql() -> None:
    url, password = strip_password(parse_url("postgres://fs:pw@db.local:5433/wh"))
    assert url.drivername == "postgresql+psycopg" and password == "pw"
    assert display_url(url) == "postgresql://fs@db.local:5433/wh"
    assert secret_name(url) == "db:fs@db.local:5433/wh"


def test_keyring_entry_names_user_host_port_and_database() -> None:
    assert secret_name(parse_url("postgresql://fs@db/wh")) == "db:fs@db:5432/wh"
    assert secret_name(parse_url("sqlite:///tmp/x.sqlite3")) is None
