"""``fulfilstation devices …`` and ``simulate …`` as a technician uses them: real
processes, real pseudo-terminals and TCP sockets."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.sim.printer import ZplPrinterSimulator
from drivers.sim.scale import ScaleSimulator
from tests.support.zpl import decode_barcodes, render_zpl

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, env=dict(os.environ))


@pytest.fixture
def printer(tmp_path: Path) -> Iterator[ZplPrinterSimulator]:
    with ZplPrinterSimulator(out_dir=tmp_path / "labels") as simulator:
        yield simulator


@pytest.mark.parametrize("protocol", ["mt-sics", "nci", "toledo"])
def test_read_scale_prints_grams_and_state(protocol: str) -> None:
    with ScaleSimulator(protocol, weight_grams=1361) as simulator:
        result = cli("devices", "read-scale", simulator.uri, "--count", "3", "--interval", "0.1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["1361 g stable"] * 3


def test_read_scale_reports_motion_and_a_silent_scale() -> None:
    with ScaleSimulator("mt-sics", weight_grams=500) as simulator:
        simulator.set_motion(True)
        moving = cli("devices", "read-scale", simulator.uri)
        simulator.disconnect("silent")
        silent = cli("devices", "read-scale", simulator.uri, "--timeout", "5")
    assert moving.stdout.splitlines()[0].endswith(" g motion")
    assert silent.returncode == 1
    assert silent.stdout.splitlines()[0] == "- g disconnected"
    assert "does not answer" in silent.stdout


def test_read_scale_honours_its_timeout(capsys: pytest.CaptureFixture[str]) -> None:
    """A silent scale: the command gives up after --timeout, not after its own grace
    period (2.5 s) or a long --interval. In-process, to time the command, not Python."""
    import main

    with ScaleSimulator("mt-sics", weight_grams=500) as simulator:
        simulator.disconnect("silent")
        started = time.monotonic()
        code = main.main(["devices", "read-scale", simulator.uri, "--timeout", "0.5", "--count", "3",
                          "--interval", "20"])
        took = time.monotonic() - started
    assert code == 1 and "does not answer" in capsys.readouterr().out
    assert took < 1.5


@pytest.mark.parametrize("option, value", [("--timeout", "1e308"), ("--interval", "nan"),
                                           ("--timeout", "-1"), ("--interval", "inf"), ("--timeout", "soon")])
def test_read_scale_refuses_impossible_seconds(option: str, value: str) -> None:
    result = cli("devices", "read-scale", "sim:", option, value)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"argument {option}: '{value}' is not a number of seconds" in result.stderr


def test_ctrl_c_is_one_word_not_a_traceback() -> None:
    command = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "devices", "read-scale", "sim:", "--count", "50",
                                "--interval", "0.2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               stdin=subprocess.DEVNULL, env=dict(os.environ))
    assert command.stdout is not None
    assert command.stdout.readline().endswith(" g zero\n")  # it runs: the scale answered once
    command.send_signal(signal.SIGINT)
    _out, err = command.communicate(timeout=30)
    assert (command.returncode, err) == (130, "interrupted\n")


def test_bad_scale_uri_names_the_parameter() -> None:
    result = cli("devices", "read-scale", "serial:///dev/ttyUSB0?protocol=nci&speed=9600")
    assert result.returncode == 2 and "unknown parameter 'speed'" in result.stderr


@pytest.mark.parametrize("state, words", [("ok", "ready"), ("paper-out", "paper out"),
                                          ("head-open", "head open"), ("silent", "no answer")])
def test_printer_status_in_words(printer: ZplPrinterSimulator, state: str, words: str) -> None:
    printer.state = state
    result = cli("devices", "printer-status", printer.uri)
    assert result.stdout.splitlines()[0] == words
    assert result.returncode == (0 if state == "ok" else 1)


def test_print_test_sends_a_label_only_when_ready(printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    printer.state = "paper-out"
    refused = cli("devices", "print-test", printer.uri)
    assert refused.returncode == 1 and "out of labels" in refused.stderr
    assert printer.jobs == []
    printer.state = "ok"
    sent = cli("devices", "print-test", printer.uri, "--dpi", "300")
    assert sent.returncode == 0, sent.stderr
    [job] = printer.wait_for_jobs(1, timeout=5)
    assert job.startswith(b"^XA") and job.rstrip().endswith(b"^XZ") and b"^PW1200\n^LL1800" in job
    [page] = render_zpl(job, tmp_path / "job", dpi=300)
    [decoded] = decode_barcodes(page)
    assert decoded.text.startswith("FSTEST") and decoded.symbology == "]C0"


def test_simulate_printer_command_saves_labels(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "received"
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "simulate", "printer", "--listen",
                                f"127.0.0.1:{port}", "--out", str(out), "--state", "head-open"],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert "listening on tcp://127.0.0.1" in process.stdout.readline()
        status = cli("devices", "printer-status", f"tcp://127.0.0.1:{port}")
        assert status.stdout.splitlines()[0] == "head open" and status.returncode == 1
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_simulate_scale_command_serves_a_pty() -> None:
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "simulate", "scale", "--protocol", "toledo",
                                "--weight", "1.25lb"], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline(), process.stdout.readline()]
        uri = lines[1].removeprefix("Scale URI: ").strip()
        assert uri.startswith("serial://") and "protocol=toledo" in uri
        result = cli("devices", "read-scale", uri)
        assert result.stdout.splitlines() == ["567 g stable"], result.stderr
    finally:
        process.terminate()
        process.wait(timeout=10)
