"""A dead station does not strand an order (issue #10, point 4; both engines).

The same station resumes its pack with its scans; a pack whose station has not been heard
from for 2 minutes is taken over by another station (scans kept, audited, one winner of
two); a manager releases a pack from any station; the ``pack`` command never counts an
earlier run's scans again, and gives its session back when interrupted."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select, text, update

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Order, PackSession, ScanEvent, Shipment
from fulfilstation.services.packing import PackRefused, PackView, Refusal
from fulfilstation.services.refused import NotAllowed
from tests.db.test_cli import ROOT, cli, plain
from tests.support.app import app_for, sign_in
from tests.support.warehouse import make_order, unit_barcode

PACKER = ("--user", "packer", "--pin", "1111")


def two_mugs(db: Database) -> tuple[str, str]:
    return make_order(db, [("MUG-CER-350", 2)]), unit_barcode(db, "MUG-CER-350")


def age(db: Database, session_id: int, minutes: float, holder: str | None = None) -> None:
    """The session was last heard from ``minutes`` ago (its station stopped then)."""
    values: dict[str, object] = {"heard_at": utcnow() - dt.timedelta(minutes=minutes)}
    if holder is not None:
        values["holder"] = holder
    with db.unit_of_work() as session:
        session.execute(update(PackSession).where(PackSession.id == session_id).values(**values))


def dead_holder() -> str:
    """A process of this host that no longer runs."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"{socket.gethostname()[:100]} {child.pid}"


def scanned(view: PackView) -> int:
    return sum(line.scanned for line in view.lines)


def actions(db: Database, action: str) -> list[AuditEntry]:
    with db.unit_of_work() as session:
        found = list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))
        session.expunge_all()
    return found


def test_the_same_station_resumes_its_pack_with_its_scans(seeded_database: Database) -> None:
    db = seeded_database
    number, mug = two_mugs(db)
    first = app_for(db)
    packer = sign_in(first)
    view = first.packing.start(packer, number)
    assert first.packing.scan(packer, view.session_id, mug).accepted
    restarted = app_for(db)  # the window after a crash: a new process, the same station
    again = sign_in(restarted)
    resumed = restarted.packing.resume(again)
    assert resumed is not None and resumed.session_id == view.session_id and scanned(resumed) == 1
    assert restarted.packing.start(again, number).session_id == view.session_id
    assert restarted.packing.scan(again, view.session_id, mug).accepted  # the second mug, not "too many"


def test_a_silent_station_is_taken_over_with_its_scans(seeded_database: Database) -> None:
    db = seeded_database
    number, mug = two_mugs(db)
    elsewhere = Database.connect(db.engine.url)  # the dead station's process: its own working copy of the pack
    dead = app_for(elsewhere, station="BENCH-DEAD")
    packer = sign_in(dead)
    view = dead.packing.start(packer, number)
    dead.packing.scan(packer, view.session_id, mug)
    other = app_for(db, station="BENCH-2")
    packer2 = sign_in(other, "packer2")
    with pytest.raises(PackRefused) as live:
        other.packing.start(packer2, number)
    assert live.value.code is Refusal.ORDER_BEING_PACKED and "last heard from" in live.value.message
    age(db, view.session_id, 1.5)
    assert dead.packing.heartbeat(packer, view.session_id)  # still alive: it says so
    with pytest.raises(PackRefused):
        other.packing.start(packer2, number)
    age(db, view.session_id, 3)
    taken = other.packing.start(packer2, number)
    assert taken.session_id == view.session_id and scanned(taken) == 1
    assert taken.taken_over_from is not None and "BENCH-DEAD" in taken.taken_over_from
    assert taken.taken_over_from.endswith("its 1 scan is kept.")
    assert other.packing.scan(packer2, view.session_id, mug).accepted  # the second, not "too many"
    [entry] = actions(db, "pack.taken_over")
    assert entry.details["from_station"] == "BENCH-DEAD" and entry.details["scans"] == 1
    assert not dead.packing.heartbeat(packer, view.session_id)  # the old station learns it lost it
    with pytest.raises(PackRefused) as gone:  # its working copy of the pack is out of date: it reloads
        dead.packing.scan(packer, view.session_id, mug)
    assert gone.value.code is Refusal.NOT_ALLOWED
    elsewhere.dispose()


def test_of_two_stations_taking_over_exactly_one_wins(seeded_database: Database) -> None:
    db = seeded_database
    number, mug = two_mugs(db)
    dead = app_for(db, station="BENCH-DEAD")
    view = dead.packing.start(sign_in(dead), number)
    age(db, view.session_id, 5)
    stations = [app_for(db, station=f"BENCH-{n}") for n in (2, 3)]
    actors = [sign_in(stations[0], "packer"), sign_in(stations[1], "packer2")]
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def take(index: int) -> None:
        barrier.wait(timeout=30)
        try:
            results[index] = stations[index].packing.start(actors[index], number)
        except PackRefused as refused:
            results[index] = refused.code

    threads = [threading.Thread(target=take, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    views = [result for result in results if isinstance(result, PackView)]
    assert len(views) == 1 and Refusal.ORDER_BEING_PACKED in results, results
    assert len(actions(db, "pack.taken_over")) == 1


def test_a_manager_releases_a_pack_from_the_orders_view(seeded_database: Database) -> None:
    db = seeded_database
    number, mug = two_mugs(db)
    app = app_for(db, station="BENCH-DEAD")
    packer = sign_in(app)
    view = app.packing.start(packer, number)
    app.packing.scan(packer, view.session_id, mug)
    with pytest.raises(NotAllowed):
        app.orders.release_pack_session(packer, number)
    released = app.orders.release_pack_session(sign_in(app, "manager"), number, "station died")
    assert released.message.startswith(f"Released the pack of {number} at station BENCH-DEAD") and released.scans == 1
    with db.unit_of_work() as session:
        assert session.scalars(select(Order.status).where(Order.number == number)).one() == "ready"
        assert session.get_one(PackSession, view.session_id).status == "cancelled"
    [entry] = actions(db, "pack.released")
    assert entry.details["reason"] == "station died"
    fresh = app_for(db, station="BENCH-2").packing.start(sign_in(app_for(db, station="BENCH-2"), "packer2"), number)
    assert fresh.session_id != view.session_id and scanned(fresh) == 0  # old scans are history, not counted
    with pytest.raises(PackRefused) as nothing:
        app.orders.release_pack_session(sign_in(app, "manager"), "T-NOPE")
    assert nothing.value.code is Refusal.ORDER_NOT_FOUND


def test_restart_replaces_a_dead_runs_pack_and_refuses_a_live_one(seeded_database: Database) -> None:
    db = seeded_database
    number, mug = two_mugs(db)
    app = app_for(db)
    packer = sign_in(app)
    old = app.packing.start(packer, number)
    app.packing.scan(packer, old.session_id, mug)
    with pytest.raises(PackRefused) as live:  # this process is alive and was heard from just now
        app.packing.start(packer, number, restart=True)
    assert live.value.code is Refusal.ORDER_BEING_PACKED
    age(db, old.session_id, 0.1, holder=dead_holder())  # its process is gone: no need to wait 2 minutes
    fresh = app.packing.start(packer, number, restart=True)
    assert fresh.session_id != old.session_id and scanned(fresh) == 0
    with db.unit_of_work() as session:
        assert session.get_one(PackSession, old.session_id).status == "cancelled"
        assert session.scalar(select(func.count()).select_from(ScanEvent)
                              .where(ScanEvent.pack_session_id == old.session_id)) == 1


def test_pack_rerun_after_a_crash_does_not_count_old_scans(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    number, mug = two_mugs(db)
    crashed = app_for(db, station="SCRIPT-9")  # a pack run killed after its first scan
    packer = sign_in(crashed)
    old = crashed.packing.start(packer, number)
    crashed.packing.scan(packer, old.session_id, mug)
    age(db, old.session_id, 0.2, holder=dead_holder())
    expected = crashed.orders.show(number).expected_weight_g
    assert expected is not None
    result = cli("pack", number, "--station", "SCRIPT-9", *PACKER, "--scan", mug, "--scan", mug,
                 "--weight", f"{(expected['min'] + expected['max']) // 2}g", "--db", url)
    assert result.returncode == 3 and "Too many" not in result.stderr, result.stderr  # shipped; no printer here
    with db.unit_of_work() as session:
        assert session.scalars(select(Order.status).where(Order.number == number)).one() == "shipped"
        assert session.get_one(PackSession, old.session_id).status == "cancelled"


def test_orders_release_session_command(seeded_database: Database) -> None:
    db = seeded_database
    number, _mug = two_mugs(db)
    app = app_for(db, station="BENCH-DEAD")
    app.packing.start(sign_in(app), number)
    url = plain(db.engine.url)
    refused = cli("orders", "release-session", number, *PACKER, "--db", url)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    done = cli("orders", "release-session", number, "--user", "manager", "--pin", "2222", "--db", url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith(f"Released the pack of {number} at station BENCH-DEAD")
    again = cli("orders", "release-session", number, "--user", "manager", "--pin", "2222", "--db", url)
    assert again.returncode == 1 and again.stderr.strip().splitlines() == [
        f"error: Order {number} is not being packed: there is nothing to release."]


def _pack_process(url: str, number: str, mug: str, station: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "pack", number, "--station", station, *PACKER,
                             "--scan", mug, "--scan", mug, "--weight", "800g", "--db", url],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
                            env={**os.environ})


def _wait_for_open_pack(db: Database, number: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with db.unit_of_work() as session:
            if session.scalar(select(func.count()).select_from(PackSession).join(Order).where(
                    Order.number == number, PackSession.status == "open")):
                return
        time.sleep(0.05)
    raise AssertionError("the pack command never opened its pack")


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_a_second_run_at_the_same_station(seeded_database: Database, stop: signal.Signals) -> None:
    """The first run is held on its first scan (the test locks scan_events); a second run
    of the order at the same station is refused; Ctrl+C (or SIGTERM) gives the first run's
    pack back.
    PostgreSQL only: a table lock that lets the claim through and stops the scan."""
    db = seeded_database
    url = plain(db.engine.url)
    number, mug = two_mugs(db)
    with db.engine.connect() as lock:
        lock.execute(text("LOCK TABLE scan_events IN EXCLUSIVE MODE"))
        first = _pack_process(url, number, mug, "SCRIPT-7")
        try:
            _wait_for_open_pack(db, number)
            second = cli("pack", number, "--station", "SCRIPT-7", *PACKER, "--scan", mug, "--scan", mug,
                         "--weight", "800g", "--db", url)
            assert second.returncode == 1 and "Traceback" not in second.stderr
            [line] = second.stderr.strip().splitlines()
            assert line.startswith(f"error: Order {number} is being packed at station SCRIPT-7"), line
            time.sleep(0.5)
            first.send_signal(stop)
            time.sleep(0.5)
        finally:
            lock.rollback()
        _out, err = first.communicate(timeout=60)
    assert first.returncode == 130, err
    assert err.strip().splitlines() == [f"error: Interrupted: the pack of {number} was cancelled; the order is "
                                        "ready for any station again."]
    with db.unit_of_work() as session:
        assert session.scalars(select(Order.status).where(Order.number == number)).one() == "ready"
        assert set(session.scalars(select(PackSession.status))) == {"cancelled"}
        assert session.scalar(select(func.count()).select_from(Shipment)) == 0


def test_a_second_pack_run_at_the_same_station_is_one_line(seeded_database: Database) -> None:
    """A run still packing the order at this station (alive, heard from just now: here, this
    test's process) is not shared: the second run is refused in one line, exit 1."""
    db = seeded_database
    number, mug = two_mugs(db)
    running = app_for(db, station="SCRIPT-8")
    view = running.packing.start(sign_in(running), number)
    result = cli("pack", number, "--station", "SCRIPT-8", *PACKER, "--scan", mug, "--scan", mug,
                 "--weight", "800g", "--db", plain(db.engine.url))
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: Order {number} is being packed at station SCRIPT-8 by Pat Packer (last heard "
                           "from ")
    assert line.endswith(" ago). If that station stopped, it can be taken over here 2 minutes after it was last "
                         "heard from, or a manager can release it (Orders).")
    with db.unit_of_work() as session:
        assert session.get_one(PackSession, view.session_id).status == "open"  # the first run's pack is untouched


def test_the_pack_commands_heartbeat_keeps_its_pack_alive(seeded_database: Database) -> None:
    from fulfilstation.cli.pack_command import PackHeartbeat

    db = seeded_database
    number, _mug = two_mugs(db)
    app = app_for(db)
    packer = sign_in(app)
    view = app.packing.start(packer, number)
    age(db, view.session_id, 1.9)
    with PackHeartbeat(app, packer, view.session_id, every_s=0.05):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with db.unit_of_work() as session:
                heard = session.get_one(PackSession, view.session_id).heard_at
            if heard is not None and heard > utcnow() - dt.timedelta(seconds=10):
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the heartbeat never moved heard_at on")
