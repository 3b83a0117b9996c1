"""Every way a weight is typed in goes through the one parser (fulfilstation.domain.units):
the ``pack --weight`` and ``simulate scale --weight`` commands, the device toolkit and a
``sim:`` scale URI give the same grams for the same text, and refuse the same texts with
the same words."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.sim.simulated_scale import SimulatedScale
from drivers.toolkit import DriverToolkit
from fulfilstation.cli.app import run
from fulfilstation.domain.units import ACCEPTED_FORM, parse_weight, parse_weight_and_unit
from fulfilstation.ports import DeviceUriError


class RecordingToolkit(DriverToolkit):
    """The real toolkit, except that the scale simulator only records what it was asked."""

    def __init__(self) -> None:
        self.served: list[tuple[str, int]] = []

    def run_scale_simulator(self, protocol: str, weight_grams: int, out: Callable[[str], None]) -> None:
        self.served.append((protocol, weight_grams))


def simulate_scale(text: str) -> int:
    """Grams that ``fulfilstation simulate scale --weight TEXT`` serves; ValueError with the
    command's error text when it refuses."""
    toolkit, errors = RecordingToolkit(), io.StringIO()
    with contextlib.redirect_stderr(errors):
        code = run(["simulate", "scale", "--protocol", "nci", f"--weight={text}"], toolkit=toolkit)
    if code != 0:
        raise ValueError(errors.getvalue().removeprefix("error: ").strip())
    [(_protocol, grams)] = toolkit.served
    return grams


def sim_uri_scale(text: str) -> tuple[int, str]:
    """What a ``sim:?weight=TEXT`` scale shows: grams and unit."""
    try:
        display = SimulatedScale.from_uri(f"sim:?protocol=mt-sics&weight={quote(text, safe='')}").model.display()
    except DeviceUriError as exc:
        raise ValueError(str(exc).split(": ", 1)[1]) from exc
    return display.grams, display.unit


def answers(parse: Callable[[str], object], text: str) -> object:
    try:
        return parse(text)
    except ValueError as exc:
        return f"refused: {exc}"


TEXTS = ["1.25lb", "567g", "0.4 kg", "20oz", "1.25 LBS", " 2 kg ", "16OZ", ".5kg",
         "-1lb", "1e3g", "nan g", "1.2", "1.25 stone", "1,5kg", "+2oz", "1 mg"]


@given(st.sampled_from(TEXTS) | st.from_regex(r"\A[ ]?[-+]?[0-9]{0,3}(\.[0-9]{0,3})?(e[0-9])? ?(g|kg|lb|lbs|oz|x)?\Z"))
def test_every_entry_point_gives_the_one_parser_s_answer(text: str) -> None:
    expected = answers(parse_weight, text)
    assert answers(DriverToolkit().parse_weight, text) == expected
    assert answers(simulate_scale, text) == expected
    if not text.strip().isdigit():  # a bare number in a sim: URI is grams (see SimulatedScale.from_uri)
        assert answers(sim_uri_scale, text) == answers(parse_weight_and_unit, text)


def test_the_sim_scale_shows_the_unit_it_was_given() -> None:
    assert sim_uri_scale("1.25 lbs") == (567, "lb")
    assert sim_uri_scale("567") == (567, "g")  # grams, in the protocol's default unit


@pytest.mark.parametrize("text", ["-1lb", "1e3g"])
def test_pack_refuses_a_negative_or_exponent_weight_naming_the_accepted_form(
        text: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["pack", "SO-1", "--station", "S1", "--user", "anna", f"--weight={text}"])
    assert code == 2
    assert capsys.readouterr().err == f"error: {text!r} is not a weight: write {ACCEPTED_FORM}\n"


@pytest.mark.parametrize("text", ["-1lb", "1e3g"])
def test_simulate_scale_refuses_them_the_same_way(text: str) -> None:
    with pytest.raises(ValueError) as refused:
        simulate_scale(text)
    assert str(refused.value) == f"{text!r} is not a weight: write {ACCEPTED_FORM}"
