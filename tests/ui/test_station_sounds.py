"""Each refusal family has its own loud sound, the WAV files are real and small, and the
committed files are what ``make_sounds.py`` makes."""

from __future__ import annotations

import importlib.resources
import importlib.util
import wave
from pathlib import Path
from types import ModuleType

import pytest
from pytestqt.qtbot import QtBot

from fulfilstation.services.packing import Refusal
from ui.station.sounds import REFUSAL_FAMILIES, SOUNDS, SoundPlayer, refusal_sound

FOLDER = Path(str(importlib.resources.files("resources").joinpath("sounds")))
ONE_OF_EACH_FAMILY = (Refusal.UNKNOWN_BARCODE, Refusal.NOT_ON_ORDER, Refusal.OVER_QUANTITY,
                      Refusal.SERIAL_ALREADY_SHIPPED, Refusal.EXPIRED_LOT, Refusal.WEIGHT_OVER, Refusal.ORDER_ON_HOLD)


def make_sounds() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sounds", FOLDER / "make_sounds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def frames(name: str) -> bytes:
    with wave.open(str(FOLDER / f"{name}.wav"), "rb") as file:
        assert (file.getnchannels(), file.getsampwidth(), file.getframerate()) == (1, 1, 11025)
        return file.readframes(file.getnframes())


def test_every_refusal_has_a_sound_that_exists() -> None:
    for code in Refusal:
        assert refusal_sound(code) in SOUNDS and (FOLDER / f"{refusal_sound(code)}.wav").is_file()
    assert refusal_sound(None) == "refuse" and refusal_sound(Refusal.NO_CARRIER) == "refuse"


def test_the_families_sound_different() -> None:
    names = [refusal_sound(code) for code in ONE_OF_EACH_FAMILY]
    assert len(set(names)) == len(names) and "refuse" not in names
    assert len({frames(name) for name in (*names, "refuse")}) == len(names) + 1
    same = (Refusal.SERIAL_ALREADY_SHIPPED, Refusal.SERIAL_REPEATED, Refusal.SERIAL_REQUIRED)
    assert {refusal_sound(code) for code in same} == {"refuse-serial"}
    started = (Refusal.ORDER_ON_HOLD, Refusal.ORDER_CANCELLED, Refusal.ORDER_SHIPPED, Refusal.ORDER_BEING_PACKED)
    assert {refusal_sound(code) for code in started} == {"refuse-order"}
    assert refusal_sound(Refusal.WEIGHT_UNDER) == refusal_sound(Refusal.WEIGHT_OVER) == "refuse-weight"


@pytest.mark.parametrize("name", SOUNDS)
def test_each_wav_is_valid_small_and_audible(name: str) -> None:
    data = frames(name)
    assert (FOLDER / f"{name}.wav").stat().st_size < 10_000
    peak = max(abs(sample - 128) for sample in data)
    assert peak >= (100 if name.startswith("refuse") else 60)  # refusals are loud (127 is full scale)
    generator = make_sounds()
    assert data == generator.samples(generator.SOUNDS[name])  # the committed file is what the script makes


def test_the_player_records_each_name_and_refuses_unknown_ones(qtbot: QtBot) -> None:
    player = SoundPlayer(enabled=True)
    for name in REFUSAL_FAMILIES:
        player.play(name)
    assert player.played == list(REFUSAL_FAMILIES)
    with pytest.raises(ValueError, match="unknown sound"):
        player.play("refuse-everything")
    silent = SoundPlayer(enabled=False)
    silent.play("refuse-weight")
    assert silent.played == []
