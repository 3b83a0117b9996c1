"""Generate the station's sounds: ``accept.wav`` (a short high beep), ``prompt.wav`` (two
rising notes: a second scan must follow), ``refuse.wav`` (a loud low falling buzz) and one
loud pattern per family of refusal, each different in rhythm and pitch, so a packer knows
what went wrong before looking at the screen:

* ``refuse-unknown``  one long, very low buzz (not one of our barcodes)
* ``refuse-wrong-item``  "uh-oh", a high note dropping an octave (not on this order)
* ``refuse-too-many``  five fast high clicks (more than the order wants)
* ``refuse-serial``  a fast high trill (serial or lot number problem)
* ``refuse-expired``  two rising whoops (expired lot)
* ``refuse-weight``  one long falling slide (weight out of range, scale moving)
* ``refuse-order``  three slow mid pulses, a busy signal (the order cannot be started)

Tiny 8-bit mono WAV files (11025 Hz, each well under 10 KB), made with the standard
library only, so they are the same on every build. The output is committed; run again
after changing a tone:

    python resources/sounds/make_sounds.py
"""

from __future__ import annotations

import math
import wave
from pathlib import Path
from typing import NamedTuple

RATE = 11025
FADE_S = 0.006  # fade in and out, so a tone does not click
LOUD = 0.95


class Tone(NamedTuple):
    """One note: ``hz`` (0 is a pause), sliding to ``to_hz`` when given; a softened square
    wave when ``square`` (loud, still not harsh on small speakers)."""

    hz: float
    seconds: float
    volume: float = LOUD
    square: bool = True
    to_hz: float | None = None


def pause(seconds: float) -> Tone:
    return Tone(0.0, seconds, 0.0, False)


def repeat(notes: list[Tone], times: int, gap: float) -> list[Tone]:
    out: list[Tone] = []
    for index in range(times):
        out += notes + ([pause(gap)] if index < times - 1 else [])
    return out


SOUNDS: dict[str, list[Tone]] = {
    "accept": [Tone(1760.0, 0.09, 0.55, False)],
    "prompt": [Tone(880.0, 0.11, 0.6, False), pause(0.04), Tone(1318.5, 0.14, 0.6, False)],
    "refuse": [Tone(392.0, 0.16, 0.9), pause(0.03), Tone(262.0, 0.16, 0.9), pause(0.03), Tone(196.0, 0.26, 0.9)],
    "refuse-unknown": [Tone(147.0, 0.6)],
    "refuse-wrong-item": [Tone(880.0, 0.15), pause(0.05), Tone(440.0, 0.35)],
    "refuse-too-many": repeat([Tone(1175.0, 0.05)], 5, 0.045),
    "refuse-serial": repeat([Tone(1568.0, 0.05, square=False), Tone(1046.5, 0.05, square=False)], 4, 0.0),
    "refuse-expired": repeat([Tone(330.0, 0.28, to_hz=1320.0)], 2, 0.08),
    "refuse-weight": [Tone(1200.0, 0.65, to_hz=180.0)],
    "refuse-order": repeat([Tone(466.0, 0.16)], 3, 0.12),
}


def phase(note: Tone, i: int) -> float:
    """The wave's phase at sample ``i``: a steady tone, or a linear slide to ``to_hz``."""
    seconds = i / RATE
    if note.to_hz is None:
        return 2 * math.pi * note.hz * i / RATE
    rate = (note.to_hz - note.hz) / note.seconds
    return 2 * math.pi * (note.hz * seconds + rate * seconds * seconds / 2)


def samples(notes: list[Tone]) -> bytes:
    """Unsigned 8-bit samples (silence is 128)."""
    out = bytearray()
    for note in notes:
        count = round(note.seconds * RATE)
        fade = max(1, round(FADE_S * RATE))
        for i in range(count):
            envelope = min(1.0, i / fade, (count - 1 - i) / fade)
            value = math.sin(phase(note, i)) if note.hz else 0.0
            if note.square:
                value = max(-1.0, min(1.0, 2.5 * value))
            out.append(max(0, min(255, round(128 + 127 * note.volume * envelope * value))))
    return bytes(out)


def write(path: Path, notes: list[Tone]) -> None:
    with wave.open(str(path), "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(1)
        file.setframerate(RATE)
        file.writeframes(samples(notes))


def main() -> None:
    here = Path(__file__).resolve().parent
    for name, notes in SOUNDS.items():
        write(here / f"{name}.wav", notes)
        print(f"{name}.wav: {(here / f'{name}.wav').stat().st_size} bytes")


if __name__ == "__main__":
    main()
