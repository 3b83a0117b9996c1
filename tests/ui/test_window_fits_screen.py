"""The station window on a 1280×800 screen, in the house style (offscreen, SQLite and
PostgreSQL): it opens within the screen and stays there whatever it says — a long lot
prompt, a refusal said twice, a 300-character unknown barcode — for a packer and for a
manager (the navigation beside the workspace), and every label shows its whole text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from tests.support.station_window import WAIT_MS, Station
from tests.support.text_fit import HouseStyle, cut_labels, outside_screen, screen_area
from tests.support.warehouse import make_order, unit_barcode
from ui.widgets.fit_text import ZERO_WIDTH_SPACE

TEA = "TEA-EARL-100"
LONG_CODE = "X" * 300


@pytest.fixture
def house_style() -> Iterator[HouseStyle]:
    with HouseStyle() as style:
        yield style


def fits(station: Station) -> list[str]:
    """What does not fit, once the window has laid itself out again."""
    station.qtbot.wait(50)
    window = station.window
    return outside_screen(window) + cut_labels(window)


@pytest.mark.parametrize("who", [("packer", "1111"), ("manager", "2222")])
def test_the_window_stays_on_a_1280_by_800_screen_whatever_it_says(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator, house_style: HouseStyle,
        who: tuple[str, str]) -> None:
    db = seeded_database
    number = make_order(db, [(TEA, 2)])
    station = Station(qtbot, db, printer.uri)
    window, banner = station.window, station.window.station.banner
    qtbot.wait(10)
    assert screen_area().contains(window.frameGeometry()), "the window opens within the screen"
    assert outside_screen(window) == []
    station.log_in(*who)
    assert window.navigation.isVisible() == (who[0] == "manager")
    assert not (problems := fits(station)), "\n".join(problems)
    text, tone = station.scan(LONG_CODE)  # an unknown barcode, echoed back
    assert tone == "error" and LONG_CODE in text
    shown = banner.text().replace(ZERO_WIDTH_SPACE, "")
    assert LONG_CODE not in shown and "XXXX…XXXX" in shown, "the echoed code is cut in its middle"
    assert banner.toolTip() == text, "the whole message is in the tooltip"
    assert not (problems := fits(station)), "\n".join(problems)
    station.scan(number)
    text, tone = station.scan(unit_barcode(db, TEA))
    assert tone == "warn" and "take lot" in text
    assert not (problems := fits(station)), "\n".join(problems)
    first, tone = station.scan("NOSUCHLOT")
    assert tone == "error" and station.scan("NOSUCHLOT")[0] == first
    assert banner.text() == f"{first}  ×2"
    assert not (problems := fits(station)), "\n".join(problems)
    assert window.width() <= 1280 and window.minimumSizeHint().width() <= 1280
    qtbot.waitUntil(lambda: not station.controller.busy, timeout=WAIT_MS)
