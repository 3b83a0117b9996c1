"""The keyboard-wedge burst detector, fed simulated scanner and human keystrokes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.scanner.wedge import (
    ENTER,
    TAB,
    Typing,
    WedgeBurstDetector,
    WedgeConfig,
    WedgeEvent,
)
from drivers.scanner.wedge_scanner import WedgeScanner, wedge_config_from_params
from drivers.sim.scanner import Keystroke, typing_keystrokes, wedge_keystrokes
from fulfilstation.ports import DeviceUriError, ScanValue

GS1 = "0109501101530008\x1d10ABC123\x1d17251231"


def run(detector: WedgeBurstDetector, strokes: list[Keystroke]) -> list[WedgeEvent]:
    events: list[WedgeEvent] = []
    for key, t in strokes:
        events += detector.feed(key, t)
    if strokes:
        events += detector.poll(strokes[-1][1] + 10)
    return events


def typed(events: list[WedgeEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, Typing))


def scans(events: list[WedgeEvent]) -> list[ScanValue]:
    return [e for e in events if isinstance(e, ScanValue)]


def test_scan_speed_burst_is_a_scan() -> None:
    events = run(WedgeBurstDetector(), wedge_keystrokes("0012345678905"))
    assert events == [ScanValue("0012345678905", None, b"0012345678905\r")]


def test_typing_speed_is_not_a_scan_and_every_key_comes_back_in_order() -> None:
    strokes = typing_keystrokes("ABC-123", terminator=ENTER)
    events = run(WedgeBurstDetector(), strokes)
    assert scans(events) == []
    assert typed(events) == "ABC-123\r"


def test_typed_keys_are_released_by_poll_after_the_gap() -> None:
    detector = WedgeBurstDetector(WedgeConfig(max_gap=0.05))
    assert detector.feed("a", 1.0) == []
    assert detector.deadline() == pytest.approx(1.05)
    assert detector.poll(1.04) == []
    (event,) = detector.poll(1.06)
    assert isinstance(event, Typing) and event.text == "a"
    assert detector.pending == 0 and detector.deadline() is None


def test_short_fast_burst_is_typing() -> None:
    events = run(WedgeBurstDetector(WedgeConfig(min_length=4)), wedge_keystrokes("123"))
    assert scans(events) == [] and typed(events) == "123\r"


def test_a_slow_key_inside_a_burst_breaks_it() -> None:
    strokes = wedge_keystrokes("12345678")
    strokes = strokes[:4] + [(k, t + 0.5) for k, t in strokes[4:]]
    events = run(WedgeBurstDetector(WedgeConfig(min_length=6)), strokes)
    assert scans(events) == []
    assert typed(events) == "12345678\r"


def test_typing_then_scan_then_typing() -> None:
    strokes = typing_keystrokes("hi")
    strokes += wedge_keystrokes("9780201379624", symbology="]E0", start=1.0)
    strokes += typing_keystrokes("ok", start=2.0)
    events = run(WedgeBurstDetector(), strokes)
    assert typed(events) == "hiok"
    assert scans(events) == [ScanValue("9780201379624", "]E0", b"]E09780201379624\r")]
    assert isinstance(events[-1], Typing)


def test_tab_terminator_when_configured() -> None:
    cfg = WedgeConfig(terminators=frozenset({TAB}))
    events = run(
        WedgeBurstDetector(cfg), wedge_keystrokes("ABCD1234", terminator="Tab")
    )
    assert [s.text for s in scans(events)] == ["ABCD1234"]
    events = run(WedgeBurstDetector(cfg), wedge_keystrokes("ABCD1234"))
    assert scans(events) == []  # Enter is data then, and no terminator came


def test_key_names_for_enter() -> None:
    for name in ("Enter", "Return", "\n", "\r"):
        events = run(WedgeBurstDetector(), wedge_keystrokes("ABCD", terminator=name))
        assert [s.text for s in scans(events)] == ["ABCD"], name


def test_gs_substitute_and_aim_id_give_gs1_text() -> None:
    cfg = WedgeConfig(gs_substitute="<GS>")
    strokes = wedge_keystrokes(GS1, symbology="]C1", gs_substitute="<GS>")
    (scan,) = scans(run(WedgeBurstDetector(cfg), strokes))
    assert scan.text == GS1 and scan.symbology == "]C1"
    assert scan.raw == ("]C1" + GS1.replace("\x1d", "<GS>") + "\r").encode()


def test_a_real_gs_key_is_kept() -> None:
    (scan,) = scans(run(WedgeBurstDetector(), wedge_keystrokes(GS1, symbology="]d2")))
    assert scan.text == GS1 and scan.symbology == "]d2"


def test_prefix_and_suffix_are_stripped_around_the_aim_id() -> None:
    cfg = WedgeConfig(prefix="#", suffix="$")
    strokes = wedge_keystrokes("12345", symbology="]C0", prefix="#", suffix="$")
    assert scans(run(WedgeBurstDetector(cfg), strokes)) == [
        ScanValue("12345", "]C0", b"#]C012345$\r")
    ]


def test_require_prefix_turns_unprefixed_bursts_into_typing() -> None:
    cfg = WedgeConfig(prefix="@@", require_prefix=True)
    events = run(WedgeBurstDetector(cfg), wedge_keystrokes("12345"))
    assert scans(events) == [] and typed(events) == "12345\r"
    events = run(WedgeBurstDetector(cfg), wedge_keystrokes("12345", prefix="@@"))
    assert [s.text for s in scans(events)] == ["12345"]


def test_aim_detection_can_be_switched_off() -> None:
    cfg = WedgeConfig(detect_aim=False)
    (scan,) = scans(run(WedgeBurstDetector(cfg), wedge_keystrokes("]C112345")))
    assert scan.text == "]C112345" and scan.symbology is None


def test_control_key_releases_held_keys_in_order() -> None:
    detector = WedgeBurstDetector()
    detector.feed("a", 0.0, token="ev-a")
    (event,) = detector.feed("Backspace", 0.001, token="ev-bs")
    assert isinstance(event, Typing)
    assert [(k.key, k.token) for k in event.keys] == [
        ("a", "ev-a"),
        ("Backspace", "ev-bs"),
    ]


def test_bare_modifier_is_ignored_inside_a_burst() -> None:
    detector = WedgeBurstDetector()
    events: list[WedgeEvent] = []
    for i, key in enumerate(["A", "", "B", "", "C", "D", "Enter"]):
        events += detector.feed(key, i * 0.004)
    assert [s.text for s in scans(events)] == ["ABCD"]


def test_wedge_scanner_delivers_scans_and_returns_typing() -> None:
    got: list[ScanValue] = []
    scanner = WedgeScanner(config=WedgeConfig())
    scanner.start(got.append)
    back = []
    for key, t in wedge_keystrokes("4006381333931") + typing_keystrokes("x", start=1):
        back += scanner.feed(key, t)
    back += scanner.poll(5.0)
    assert [s.text for s in got] == ["4006381333931"]
    assert "".join(t.text for t in back) == "x"
    scanner.stop()
    scanner.stop()


def test_config_from_uri_params() -> None:
    cfg = wedge_config_from_params(
        {"gap_ms": "30", "min_length": "6", "terminator": "both", "gs": "^", "aim": "0"}
    )
    assert cfg.max_gap == pytest.approx(0.03) and cfg.min_length == 6
    assert cfg.terminators == {ENTER, TAB} and cfg.gs_substitute == "^"
    assert not cfg.detect_aim
    with pytest.raises(DeviceUriError, match="speed"):
        wedge_config_from_params({"speed": "1"})
    with pytest.raises(DeviceUriError, match="gap_ms"):
        wedge_config_from_params({"gap_ms": "fast"})


keys = st.one_of(
    st.text(max_size=1),
    st.sampled_from(["Enter", "Tab", "Backspace", "\r", "\n", "\t", "]", "C", "1"]),
)
events_strategy = st.lists(
    st.tuples(keys, st.floats(-1.0, 1.0, allow_nan=False)), max_size=60
)


def _keys_in(event: WedgeEvent) -> int:
    if isinstance(event, Typing):
        return len(event.keys)
    return len(event.raw.decode("utf-8", "surrogatepass"))  # one key per character


@given(events_strategy, st.sampled_from(["", "^", "<GS>"]))
def test_noise_never_raises_and_every_key_is_accounted_for(
    stream: list[tuple[str, float]], substitute: str
) -> None:
    detector = WedgeBurstDetector(WedgeConfig(gs_substitute=substitute or None))
    t, fed, returned = 0.0, 0, 0
    for key, step in stream:
        t += step * 0.1  # time may even run backwards
        fed += bool(key)
        returned += sum(_keys_in(e) for e in detector.feed(key, t))
        assert detector.pending <= fed - returned
    returned += sum(_keys_in(e) for e in detector.flush())
    assert detector.pending == 0
    assert returned == fed
