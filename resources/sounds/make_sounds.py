"""Generate the station's sounds: ``accept.wav`` (a short high beep), ``prompt.wav`` (two
rising notes: a second scan must follow) and ``refuse.wav`` (a loud low two-tone buzz).

Tiny 8-bit mono WAV files (11025 Hz), made with the standard library only, so they are
the same on every build. The output is committed; run again after changing a tone:

    python resources/sounds/make_sounds.py
"""

from __future__ import annotations

import math
import wave
from pathlib import Path

RATE = 11025
FADE_S = 0.006  # fade in and out, so a tone does not click

# (frequency in Hz, seconds, volume 0..1, square wave?) for each note; 0 Hz is a pause.
Note = tuple[float, float, float, bool]
SOUNDS: dict[str, list[Note]] = {
    "accept": [(1760.0, 0.09, 0.55, False)],
    "prompt": [(880.0, 0.11, 0.6, False), (0.0, 0.04, 0.0, False), (1318.5, 0.14, 0.6, False)],
    "refuse": [(392.0, 0.16, 0.9, True), (0.0, 0.03, 0.0, False), (262.0, 0.16, 0.9, True),
               (0.0, 0.03, 0.0, False), (196.0, 0.26, 0.9, True)],
}


def samples(notes: list[Note]) -> bytes:
    """Unsigned 8-bit samples (silence is 128)."""
    out = bytearray()
    for frequency, seconds, volume, square in notes:
        count = round(seconds * RATE)
        fade = max(1, round(FADE_S * RATE))
        for i in range(count):
            envelope = min(1.0, i / fade, (count - 1 - i) / fade)
            wave_value = math.sin(2 * math.pi * frequency * i / RATE) if frequency else 0.0
            if square:  # a softened square wave: loud, and still not harsh on small speakers
                wave_value = max(-1.0, min(1.0, 2.5 * wave_value))
            out.append(max(0, min(255, round(128 + 127 * volume * envelope * wave_value))))
    return bytes(out)


def write(path: Path, notes: list[Note]) -> None:
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
