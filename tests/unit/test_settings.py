from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from fulfilstation import settings as settings_module
from fulfilstation.settings import (
    CURRENT_VERSION,
    SettingsError,
    StationSettings,
    load_settings,
    save_settings,
)


def test_first_start_writes_defaults_in_the_config_dir(tmp_path: Path) -> None:
    loaded = load_settings()
    assert loaded.created
    assert loaded.path == tmp_path / "config" / "station.toml"
    document = tomllib.loads(loaded.path.read_text())
    assert document["version"] == CURRENT_VERSION
    assert document["devices"]["scanner"] == "wedge:"
    assert load_settings().settings == loaded.settings


def test_round_trip_keeps_every_value(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    original = StationSettings(station_name="PACK-07", database_url="postgresql://fs@db.local:5432/fulfil")
    original = original.with_devices(scale="serial:///dev/ttyUSB0?protocol=nci", label_printer="tcp://10.0.0.7:9100")
    save_settings(original, path)
    assert load_settings(path).settings == original


def test_older_file_is_upgraded_step_by_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a hypothetical version 2, a version-1 file is upgraded and written back."""
    path = tmp_path / "s.toml"
    save_settings(StationSettings(station_name="OLD"), path)

    def one_to_two(document: dict[str, object]) -> dict[str, object]:
        station = dict(document["station"])  # type: ignore[call-overload]
        station["name"] = f"{station['name']}-UPGRADED"
        return {**document, "station": station}

    monkeypatch.setattr(settings_module, "CURRENT_VERSION", 2)
    monkeypatch.setitem(settings_module.UPGRADES, 1, one_to_two)
    loaded = load_settings(path)
    assert loaded.upgraded_from == 1
    assert loaded.settings.station_name == "OLD-UPGRADED"
    assert tomllib.loads(path.read_text())["version"] == 2


def test_file_from_a_newer_version_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('version = 99\n[station]\nname = "FUTURE"\n[future]\nthing = 1\n')
    before = path.read_text()
    loaded = load_settings(path)
    assert loaded.read_only and loaded.settings.station_name == "FUTURE"
    assert "newer FulfilStation" in loaded.warnings[0]
    assert path.read_text() == before


@pytest.mark.parametrize("content, words", [
    ("version = 1\n[station\n", "damaged"),
    ('version = "one"\n', "whole number"),
    ("version = 1\n[devices]\nscale = 5\n", "'scale' should be a str"),
    ("version = 1\nstation = 3\n", "[station] must be a table"),
])
def test_bad_files_get_a_message_that_names_the_problem(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(content)
    with pytest.raises(SettingsError, match=words.replace("[", r"\[").replace("]", r"\]")):
        load_settings(path)
