from __future__ import annotations

import threading
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from fulfilstation.credentials import SERVICE, KeyringUnavailable, SecretStore, SessionSecrets
from fulfilstation.runtime import open_database
from fulfilstation.settings import StationSettings, load_settings, save_settings
from tests.support.memory_keyring import MemoryKeyring


def test_keyring_round_trip(isolated_environment: MemoryKeyring) -> None:
    store = SecretStore()
    store.set("db:fs@db:5432/fulfil", "s3cret")
    assert store.get("db:fs@db:5432/fulfil") == "s3cret"
    assert isolated_environment.passwords[(SERVICE, "db:fs@db:5432/fulfil")] == "s3cret"
    store.delete("db:fs@db:5432/fulfil")
    assert store.get("db:fs@db:5432/fulfil") is None


def test_no_keyring_gives_a_clear_error_not_a_crash() -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeyringUnavailable, match="No password store"):
        SecretStore().get("db:x@y:5432/z")


def test_without_keyring_the_user_is_asked_once_per_session() -> None:
    keyring.set_keyring(fail.Keyring())
    asked: list[str] = []

    def prompt(name: str, explanation: str) -> str:
        asked.append(explanation)
        return "typed"

    secrets = SessionSecrets(prompt=prompt)
    threads = [threading.Thread(target=secrets.get, args=("db:a@b:5432/c",)) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert secrets.get("db:a@b:5432/c") == "typed"
    assert len(asked) == 1 and "No password store" in asked[0]
    assert secrets.keyring_problem is not None


def test_cancelled_prompt_is_asked_again_next_time() -> None:
    keyring.set_keyring(fail.Keyring())
    answers = iter([None, "second"])
    secrets = SessionSecrets(prompt=lambda name, why: next(answers))
    assert secrets.get("db:a@b:5432/c") is None
    assert secrets.get("db:a@b:5432/c") == "second"


def test_password_in_settings_file_moves_to_keyring(isolated_environment: MemoryKeyring) -> None:
    loaded = load_settings()
    save_settings(StationSettings(station_name="P1", database_url="postgresql://fs:hunter2@db.example:5433/wh"),
                  loaded.path)
    opened = open_database(load_settings(), None, SessionSecrets())
    text = loaded.path.read_text()
    assert "hunter2" not in text and "postgresql://fs@db.example:5433/wh" in text
    assert isolated_environment.passwords[(SERVICE, "db:fs@db.example:5433/wh")] == "hunter2"
    assert "moved" in opened.notices[0]
    assert "hunter2" not in opened.database.display_url
    opened.database.dispose()


def test_password_from_command_line_is_used_but_stored_nowhere(
        isolated_environment: MemoryKeyring, tmp_path: Path) -> None:
    secrets = SessionSecrets()
    opened = open_database(load_settings(), "postgresql://fs:pw@h/d", secrets)
    assert secrets.get("db:fs@h:5432/d") == "pw"
    assert isolated_environment.passwords == {}
    assert "pw" not in (tmp_path / "config" / "station.toml").read_text()
    opened.database.dispose()
