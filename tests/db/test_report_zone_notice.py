"""A site that never set its reports' time zone (both engines): its days are this PC's zone's —
found even when ``TZ`` holds a POSIX rule —, no report fails, and every door says so (the
service's ``zone_notice``, the CLI under the report's title and after the daily PDF, the PDF
itself); once an owner sets the zone nothing is said. A stored zone this PC does not know
is refused saying to choose it again. Each period refusal of the CLI says its own fix only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fulfilstation.db.database import Database
from fulfilstation.db.models import SiteSetting
from fulfilstation.services.reports import PeriodRefused, ReportSettings
from fulfilstation.services.reports.settings import REPORTS_SETTING, machine_zone_name
from tests.db.test_cli import cli, plain
from tests.support.app import app_for, sign_in
from tests.support.machine_zone import pretend_machine_zone
from tests.support.pdf import pdf_text

MANAGER = ("--manager", "manager", "--pin", "2222")
POSIX_RULE = "CET-1CEST,M3.5.0,M10.5.0/3"


def notice(zone: str) -> str:
    return f"Time zone not set: days are {zone} days (this PC's). Set it in Site settings → Reports."


def test_an_unset_zone_is_the_pcs_and_every_report_says_so(seeded_database: Database, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    pretend_machine_zone(monkeypatch, tmp_path, "Europe/Paris", POSIX_RULE)  # the TZ that made every report fail
    app = app_for(seeded_database)
    manager = sign_in(app, "manager")
    settings = app.reports.settings()
    assert (settings.time_zone, settings.zone_from_pc) == ("Europe/Paris", True)
    assert app.reports.zone_notice() == notice("Europe/Paris")
    period = app.reports.period()
    assert period.zone.key == "Europe/Paris"
    assert app.reports.sla(manager, period).orders >= 0
    assert app.reports.dashboard(manager).today == app.reports.today()
    daily = app.reports.daily(manager)
    assert daily.zone_notice == notice("Europe/Paris")
    assert notice("Europe/Paris") in " ".join(pdf_text(daily.pdf, tmp_path).split())

    app.reports.set_settings(sign_in(app, "owner"), ReportSettings(time_zone="Asia/Tokyo"))
    assert app.reports.zone_notice() == "" and not app.reports.settings().zone_from_pc
    assert app.reports.period().zone.key == "Asia/Tokyo"
    quiet = app.reports.daily(manager)
    assert quiet.zone_notice == "" and "Time zone not set" not in pdf_text(quiet.pdf, tmp_path)


def test_a_stored_zone_this_pc_does_not_know_is_refused_saying_to_choose_it_again(
        seeded_database: Database) -> None:
    with seeded_database.unit_of_work() as session:  # stored by a PC whose zone database had it
        session.merge(SiteSetting(key=REPORTS_SETTING, value={"time_zone": "Mars/Olympus"}))
    app = app_for(seeded_database)
    assert app.reports.zone_notice() == ""  # it is set, just not known here
    with pytest.raises(PeriodRefused) as refused:
        app.reports.period()
    assert str(refused.value) == ("The site's time zone 'Mars/Olympus' is not known on this PC: choose it again in "
                                  "Site settings → Reports.")


def test_the_cli_says_whose_days_until_the_zone_is_set(seeded_database: Database) -> None:
    url = ("--db", plain(seeded_database.engine.url))
    posix = cli("report", "sla", *MANAGER, *url, env={"TZ": POSIX_RULE})
    assert posix.returncode == 0, posix.stderr
    title, said = posix.stdout.splitlines()[:2]
    assert title.startswith("Service levels — ")
    zone = machine_zone_name({"TZ": POSIX_RULE})  # this PC's /etc/localtime, as the command found it
    assert said == f"{notice(zone)} Or: fulfilstation site set-reports --time-zone NAME (e.g. America/Chicago)."
    named = cli("report", "packers", *MANAGER, *url, env={"TZ": "America/Chicago"})
    assert named.returncode == 0, named.stderr
    assert named.stdout.splitlines()[1].startswith(notice("America/Chicago"))

    done = cli("site", "set-reports", "--user", "owner", "--pin", "3333", "--time-zone", "Europe/Berlin", *url)
    assert done.returncode == 0, done.stderr
    quiet = cli("report", "sla", *MANAGER, *url, env={"TZ": "America/Chicago"})
    assert quiet.returncode == 0, quiet.stderr
    assert "Time zone not set" not in quiet.stdout and quiet.stdout.splitlines()[1] == ""


def test_each_period_refusal_says_only_its_own_fix(seeded_database: Database) -> None:
    url = ("--db", plain(seeded_database.engine.url))
    today = dt.date.today().isoformat()
    said = {
        ("--from", "0001-01-01"): "error: 0001-01-01 is outside the days reports cover (1970-01-01 to 9998-12-31): "
                                  "give a day within them.",
        ("--from", "2026-11-10", "--to", "9999-12-31"): "error: 9999-12-31 is outside the days reports cover "
                                                        "(1970-01-01 to 9998-12-31): give a day within them.",
        ("--from", "2026-11-10", "--to", "2026-11-09"): "error: --to 2026-11-09 is before --from 2026-11-10: give "
                                                        "--from on or before --to.",
        ("--to", today): None,  # a one-day period: fine
    }
    for period, message in said.items():
        run = cli("report", "sla", *period, *MANAGER, *url, env={"TZ": "UTC"})
        if message is None:
            assert run.returncode == 0, run.stderr
            continue
        assert (run.returncode, run.stderr.strip()) == (2, message), period
        assert run.stdout == ""
