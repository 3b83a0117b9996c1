"""The PC's time zone for a site that never set one (``settings.machine_zone_name``): an IANA
name in ``TZ`` (with or without the leading colon), a ``TZ`` that is a zone file's path, else
the zone the ``/etc/localtime`` link points at (a ``posix/`` or ``right/`` variant too), else
UTC — a POSIX rule in ``TZ``, a copied (not linked) localtime, no localtime at all (Windows),
a link loop or a name outside the zones never raise. ``ReportSettings()`` takes it as its default."""

from __future__ import annotations

from pathlib import Path

import pytest

from fulfilstation.services.reports import ReportSettings
from fulfilstation.services.reports import settings as report_settings
from fulfilstation.services.reports.period import zone_named
from fulfilstation.services.reports.settings import machine_zone_name, zone_notice
from tests.support.machine_zone import link, zone_file


@pytest.mark.parametrize("tz", ["Europe/Berlin", ":Europe/Berlin", " Europe/Berlin "])
def test_an_iana_name_in_tz_is_the_zone(tmp_path: Path, tz: str) -> None:
    chicago = link(tmp_path, zone_file(tmp_path, "America/Chicago"))
    assert machine_zone_name({"TZ": tz}, chicago) == "Europe/Berlin"


@pytest.mark.parametrize("tz", ["EST5EDT,M3.2.0,M11.1.0", "CET-1CEST,M3.5.0,M10.5.0/3", "<+0330>-3:30",
                                "../../etc/passwd", "Mars/Olympus", "America", ":", ""])
def test_a_tz_that_names_no_zone_falls_back_to_the_localtime_link(tmp_path: Path, tz: str) -> None:
    chicago = link(tmp_path, zone_file(tmp_path, "America/Chicago"))
    assert machine_zone_name({"TZ": tz}, chicago) == "America/Chicago"
    assert machine_zone_name({"TZ": tz}, tmp_path / "missing") == "UTC"


def test_a_tz_that_is_a_path_is_the_zone_of_that_file(tmp_path: Path) -> None:
    tokyo = link(tmp_path, zone_file(tmp_path, "Asia/Tokyo"))
    elsewhere = tmp_path / "missing"
    assert machine_zone_name({"TZ": f":{tokyo}"}, elsewhere) == "Asia/Tokyo"  # TZ=':/etc/localtime'
    assert machine_zone_name({"TZ": str(zone_file(tmp_path, "Europe/Lisbon"))}, elsewhere) == "Europe/Lisbon"
    assert machine_zone_name({"TZ": str(tmp_path / "nowhere")}, elsewhere) == "UTC"


def test_the_localtime_link_variants_and_what_is_not_a_zone(tmp_path: Path) -> None:
    assert machine_zone_name({}, link(tmp_path / "a", zone_file(tmp_path, "posix/Asia/Kolkata"))) == "Asia/Kolkata"
    assert machine_zone_name({}, link(tmp_path / "b", zone_file(tmp_path, "right/Europe/Oslo"))) == "Europe/Oslo"
    assert machine_zone_name({}, link(tmp_path / "c", zone_file(tmp_path, "Not/AZone"))) == "UTC"
    assert machine_zone_name({}, link(tmp_path / "d", tmp_path / "usr" / "share" / "zoneinfo")) == "UTC"
    copied = tmp_path / "e" / "localtime"  # a copy, not a link (some images): its zone is unknown
    copied.parent.mkdir()
    copied.write_bytes(b"TZif")
    assert machine_zone_name({}, copied) == "UTC"
    loop = tmp_path / "f" / "localtime"
    loop.parent.mkdir()
    loop.symlink_to(tmp_path / "f" / "other")
    (tmp_path / "f" / "other").symlink_to(loop)
    assert machine_zone_name({}, loop) == "UTC"
    assert machine_zone_name({}, tmp_path / "no-such-file") == "UTC"  # Windows: no /etc/localtime


def test_the_default_settings_take_the_pcs_zone_and_it_always_loads(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_settings, "LOCALTIME", link(tmp_path, zone_file(tmp_path, "Pacific/Auckland")))
    monkeypatch.setenv("TZ", "EST5EDT,M3.2.0,M11.1.0")
    assert ReportSettings().time_zone == "Pacific/Auckland"
    monkeypatch.setenv("TZ", "America/Denver")
    assert ReportSettings().time_zone == "America/Denver"
    monkeypatch.delenv("TZ")
    assert zone_named(ReportSettings().time_zone).key == "Pacific/Auckland"
    monkeypatch.setattr(report_settings, "LOCALTIME", tmp_path / "missing")
    assert zone_named(ReportSettings().time_zone).key == "UTC"


def test_the_notice_is_said_only_while_the_zone_comes_from_the_pc() -> None:
    assert zone_notice(ReportSettings(time_zone="UTC", zone_from_pc=True)) == (
        "Time zone not set: days are UTC days (this PC's). Set it in Site settings → Reports.")
    assert zone_notice(ReportSettings(time_zone="America/Chicago")) == ""
