"""Label and document printer drivers against the ZPL simulator over real sockets, a
directory, device files and FIFOs, a fake ``lp`` on PATH and a fake win32print."""

from __future__ import annotations

import os
import select
import socket
import stat
import threading
import time
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.printer import open_document_printer, open_label_printer
from drivers.printer.cups import CupsDocumentPrinter, CupsLabelPrinter
from drivers.printer.device_file import DeviceFileLabelPrinter
from drivers.printer.directory import DirectoryLabelPrinter, PdfDirectoryPrinter
from drivers.printer.tcp import TcpLabelPrinter
from drivers.printer.windows_spooler import WindowsDocumentPrinter, WindowsLabelPrinter
from drivers.printer.zpl_status import HEALTHY_REPLY
from drivers.sim.printer import (
    SimDocumentPrinter,
    SimLabelPrinter,
    ZplPrinterSimulator,
    run_printer_simulator,
)
from fulfilstation.documents.labels.printer_test_label import printer_test_label_zpl
from fulfilstation.ports import (
    DeviceError,
    DeviceFault,
    DeviceNotFound,
    DeviceTimeout,
    DeviceUriError,
    PrinterCondition,
)
from fulfilstation.printer_check import check_then_send

LABEL = b"^XA^PW812^LL1218^FO50,50^A0N,40,40^FDOrder 1001^FS^BCN,100^FD1Z999^FS^XZ"
LABEL2 = b"^XA^FO10,10^FDsecond^FS^XZ"


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[ZplPrinterSimulator]:
    with ZplPrinterSimulator(out_dir=tmp_path / "labels") as sim:
        yield sim


def tcp_printer(
    sim: ZplPrinterSimulator, status_timeout: float = 5.0
) -> TcpLabelPrinter:
    """A printer for the simulator; the timeout only costs time when it is silent."""
    printer = open_label_printer(f"{sim.uri}?status_timeout={status_timeout}")
    assert isinstance(printer, TcpLabelPrinter)
    return printer


# --------------------------------------------------------------------------- TCP


def test_tcp_job_bytes_arrive_exactly(
    simulator: ZplPrinterSimulator, tmp_path: Path
) -> None:
    printer = tcp_printer(simulator)
    graphic = b"^XA^FO0,0^GFA,65536,65536,64," + bytes(range(256)) * 256 + b"^FS^XZ"
    printer.send(LABEL + b"\r\n" + LABEL2, job_name="two labels")
    printer.send(graphic)
    assert simulator.wait_for_jobs(3, timeout=5) == [LABEL, LABEL2, graphic]
    saved = sorted((tmp_path / "labels").glob("*.zpl"))
    assert [p.name for p in saved] == ["0001.zpl", "0002.zpl", "0003.zpl"]
    assert saved[0].read_bytes() == LABEL and saved[2].read_bytes() == graphic


@pytest.mark.parametrize(
    ("state", "condition"),
    [
        ("paper-out", PrinterCondition.PAPER_OUT),
        ("head-open", PrinterCondition.HEAD_OPEN),
        ("ribbon-out", PrinterCondition.RIBBON_OUT),
        ("paused", PrinterCondition.PAUSED),
        ("buffer-full", PrinterCondition.BUFFER_FULL),
        ("silent", PrinterCondition.NO_ANSWER),
    ],
)
def test_each_state_maps_to_its_condition(
    simulator: ZplPrinterSimulator, state: str, condition: PrinterCondition
) -> None:
    printer = tcp_printer(simulator, status_timeout=0.3 if state == "silent" else 5)
    assert tcp_printer(simulator).status().ready
    simulator.state = state
    status = printer.status()
    assert status.conditions == {condition} and status.two_way
    assert status.advice
    simulator.state = "ok"
    assert tcp_printer(simulator).status().raw == HEALTHY_REPLY


def test_a_printer_going_silent_is_no_answer_within_the_timeout(
    simulator: ZplPrinterSimulator,
) -> None:
    printer = tcp_printer(simulator, status_timeout=0.4)
    simulator.state = "silent"
    started = time.monotonic()
    status = printer.status()
    elapsed = time.monotonic() - started
    assert status.conditions == {PrinterCondition.NO_ANSWER} and not status.ready
    assert elapsed < 0.4 + 2.0  # bounded by the timeout, not hanging


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_connection_refused_is_device_not_found_in_plain_words() -> None:
    printer = open_label_printer(f"tcp://127.0.0.1:{free_port()}")
    with pytest.raises(DeviceNotFound) as caught:
        printer.send(LABEL)
    assert "switched on" in caught.value.user_message
    assert "127.0.0.1" in caught.value.user_message
    assert printer.status().conditions == {PrinterCondition.NO_ANSWER}


def test_check_then_send_refuses_when_paper_out_and_sends_nothing(
    simulator: ZplPrinterSimulator,
) -> None:
    printer = tcp_printer(simulator)
    simulator.state = "paper-out"
    with pytest.raises(DeviceFault) as caught:
        check_then_send(printer, LABEL)
    assert caught.value.user_message == printer.status().advice
    assert "out of labels" in caught.value.user_message
    simulator.state = "ok"
    assert check_then_send(printer, LABEL2).ready
    assert simulator.wait_for_jobs(1) == [LABEL2]  # the refused label never arrived


def test_check_then_send_refuses_a_silent_printer(
    simulator: ZplPrinterSimulator,
) -> None:
    simulator.state = "silent"
    with pytest.raises(DeviceFault, match="no answer"):
        check_then_send(tcp_printer(simulator, status_timeout=0.2), LABEL)
    assert simulator.jobs == []


class ScriptedPrinter:
    """A TCP server that answers ~HS with a fixed byte script, in given segments."""

    def __init__(self, segments: list[bytes]) -> None:
        self.segments = segments
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.server.accept()
        with conn:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.recv(16)
            for segment in self.segments:
                conn.sendall(segment)
                time.sleep(0.02)  # let each segment go out on its own
            conn.recv(16)  # until the client closes

    def close(self) -> None:
        self.thread.join(timeout=5)
        self.server.close()


def test_reply_in_many_tcp_segments_is_read_whole() -> None:
    pieces = [HEALTHY_REPLY[i : i + 7] for i in range(0, len(HEALTHY_REPLY), 7)]
    scripted = ScriptedPrinter(pieces)
    status = TcpLabelPrinter("tcp://x", "127.0.0.1", scripted.port).status()
    scripted.close()
    assert status.ready and status.raw == HEALTHY_REPLY


@pytest.mark.parametrize(
    "reply", [b"\x02garbage\x03\r\n" * 3, HEALTHY_REPLY[:50], b"OK\r\n"]
)
def test_garbled_or_short_reply_is_no_answer(reply: bytes) -> None:
    scripted = ScriptedPrinter([reply])
    printer = TcpLabelPrinter("tcp://x", "127.0.0.1", scripted.port, status_timeout=0.3)
    status = printer.status()
    scripted.close()
    assert status.conditions == {PrinterCondition.NO_ANSWER}


# --------------------------------------------------------------------------- one-way


def test_directory_sink_writes_one_file_per_job_atomically(tmp_path: Path) -> None:
    printer = open_label_printer(f"dir://{tmp_path}/out")
    assert isinstance(printer, DirectoryLabelPrinter)
    assert printer.status().two_way is False and printer.status().ready
    printer.send(LABEL, job_name="order 1001/a")
    printer.send(LABEL2, job_name="order 1002")
    files = sorted((tmp_path / "out").iterdir())
    assert [f.read_bytes() for f in files] == [LABEL, LABEL2]
    assert files[0].name.endswith("-order_1001_a.zpl")
    assert not [f for f in files if f.name.startswith(".")]


def test_directory_that_cannot_exist_is_device_not_found(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(DeviceNotFound):
        DirectoryLabelPrinter("dir:///x", blocker / "sub").send(LABEL)


def test_device_file_appends_to_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    target.write_bytes(b"")
    printer = open_label_printer(f"file://{target}")
    assert isinstance(printer, DeviceFileLabelPrinter)
    printer.send(LABEL)
    printer.send(LABEL2)
    assert target.read_bytes() == LABEL + LABEL2
    assert printer.status().two_way is False


def test_missing_device_file_is_not_created(tmp_path: Path) -> None:
    printer = open_label_printer(f"file://{tmp_path}/usb/lp0")
    with pytest.raises(DeviceNotFound) as caught:
        printer.send(LABEL)
    assert "USB cable" in caught.value.user_message
    assert not (tmp_path / "usb").exists()


def test_device_file_through_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "lp-fifo"
    os.mkfifo(fifo)
    printer = DeviceFileLabelPrinter(f"file://{fifo}", str(fifo), timeout=5)
    with pytest.raises(DeviceNotFound):  # nobody reading: the printer is "off"
        printer.send(LABEL)
    big = LABEL * 2000  # larger than the pipe buffer: exercises partial writes
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    sender = threading.Thread(target=printer.send, args=(big,))
    sender.start()
    received = bytearray()
    deadline = time.monotonic() + 5
    while len(received) < len(big) and time.monotonic() < deadline:
        select.select([reader], [], [], 0.05)
        try:
            received += os.read(reader, 65536)
        except BlockingIOError:
            continue
    sender.join(timeout=5)
    os.close(reader)
    assert bytes(received) == big


# --------------------------------------------------------------------------- CUPS


@pytest.fixture
def fake_cups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake ``lp``/``lpstat`` first on PATH: records argv and stdin; two queues."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "lp-calls"
    record.mkdir()
    (bin_dir / "lp").write_text(
        "#!/bin/sh\n"
        f'out="{record}/$$"\n'
        'printf "%s\\n" "$@" > "$out.args"\n'
        'cat > "$out.stdin"\n'
        'case "$*" in *"-d Zebra_ZD421 "*|*"-d Office "*) ;;\n'
        '  *"-d Slow "*) exec sleep 5 ;;\n'
        '  *) echo "lp: The printer or class does not exist." >&2; exit 1 ;; esac\n'
        'echo "request id is Zebra_ZD421-7 (1 file(s))"\n'
    )
    (bin_dir / "lpstat").write_text(
        '#!/bin/sh\ncase "$2" in Zebra_ZD421|Office) exit 0 ;; *) exit 1 ;; esac\n'
    )
    for tool in ("lp", "lpstat"):
        (bin_dir / tool).chmod(stat.S_IRWXU)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return record


def lp_calls(record: Path) -> list[tuple[list[str], bytes]]:
    calls = []
    for args in sorted(record.glob("*.args"), key=lambda p: p.stat().st_mtime_ns):
        stdin = args.with_suffix(".stdin").read_bytes()
        calls.append((args.read_text().splitlines(), stdin))
    return calls


def test_cups_raw_label_goes_to_lp_on_stdin(fake_cups: Path) -> None:
    printer = open_label_printer("cups://Zebra_ZD421")
    assert isinstance(printer, CupsLabelPrinter) and printer.exists()
    printer.send(LABEL, job_name="order 1001")
    assert lp_calls(fake_cups) == [
        (["-d", "Zebra_ZD421", "-o", "raw", "-t", "order 1001"], LABEL)
    ]
    assert printer.status().two_way is False


def test_cups_document_is_not_raw(fake_cups: Path) -> None:
    printer = open_document_printer("cups://Office")
    assert isinstance(printer, CupsDocumentPrinter)
    printer.print_pdf(b"%PDF-1.7 fake", job_name="packing slip")
    assert lp_calls(fake_cups) == [
        (["-d", "Office", "-t", "packing slip"], b"%PDF-1.7 fake")
    ]


def test_cups_unknown_queue_is_device_not_found_with_the_fix(fake_cups: Path) -> None:
    printer = open_label_printer("cups://Zebra_Typo")
    assert isinstance(printer, CupsLabelPrinter) and not printer.exists()
    with pytest.raises(DeviceNotFound) as caught:
        printer.send(LABEL)
    assert "Zebra_Typo" in caught.value.user_message
    assert "lpstat -p" in caught.value.user_message


def test_cups_hanging_lp_times_out(fake_cups: Path) -> None:
    printer = CupsLabelPrinter("cups://Slow", "Slow", timeout=0.3)
    with pytest.raises(DeviceTimeout):
        printer.send(LABEL)


def test_missing_lp_is_device_not_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DeviceNotFound) as caught:
        open_label_printer("cups://Zebra_ZD421").send(LABEL)
    assert "cups-client" in caught.value.user_message


# --------------------------------------------------------------------------- Windows


class FakeWin32Print:
    def __init__(self, printers: set[str]) -> None:
        self.printers = printers
        self.calls: list[tuple[object, ...]] = []

    def OpenPrinter(self, name: str) -> str:  # pywin32's spelling
        if name not in self.printers:
            raise OSError(1801, "The printer name is invalid.")
        self.calls.append(("open", name))
        return f"handle:{name}"

    def __getattr__(self, name: str) -> object:
        return lambda *args: self.calls.append((name, *args))


def test_windows_spooler_sends_raw() -> None:
    fake = FakeWin32Print({"ZDesigner ZD421-203dpi"})
    printer = WindowsLabelPrinter("win://x", "ZDesigner ZD421-203dpi", win32print=fake)
    printer.send(LABEL, job_name="order 1")
    h = "handle:ZDesigner ZD421-203dpi"
    assert fake.calls == [
        ("open", "ZDesigner ZD421-203dpi"),
        ("StartDocPrinter", h, 1, ("order 1", None, "RAW")),
        ("StartPagePrinter", h),
        ("WritePrinter", h, LABEL),
        ("EndPagePrinter", h),
        ("EndDocPrinter", h),
        ("ClosePrinter", h),
    ]
    with pytest.raises(DeviceNotFound):
        WindowsLabelPrinter("win://y", "Nope", win32print=fake).send(LABEL)


def test_windows_printers_without_pywin32_raise_device_not_found(
    tmp_path: Path,
) -> None:
    label = open_label_printer("win://ZDesigner ZD421-203dpi")
    assert isinstance(label, WindowsLabelPrinter)
    with pytest.raises(DeviceNotFound, match="pywin32|win32print"):
        label.send(LABEL)
    document = WindowsDocumentPrinter("win://HP", "HP", spool_dir=tmp_path)
    with pytest.raises(DeviceNotFound):
        document.print_pdf(b"%PDF")


def test_windows_document_printer_shell_executes_printto(tmp_path: Path) -> None:
    calls: list[tuple[object, ...]] = []
    api = types.SimpleNamespace(ShellExecute=lambda *args: calls.append(args))
    printer = WindowsDocumentPrinter(
        "win://HP", "HP LaserJet", win32api=api, spool_dir=tmp_path
    )
    printer.print_pdf(b"%PDF-1.7", job_name="slip")
    ((_hwnd, verb, path, params, _cwd, _show),) = calls
    assert (verb, params) == ("printto", '"HP LaserJet"')
    assert Path(str(path)).read_bytes() == b"%PDF-1.7"


# ------------------------------------------------------------------ sim + factory


def test_sim_label_printer_records_and_follows_its_state(tmp_path: Path) -> None:
    printer = open_label_printer(f"sim:?state=paper-out&dir={tmp_path}/sim")
    assert isinstance(printer, SimLabelPrinter)
    with pytest.raises(DeviceFault):
        check_then_send(printer, LABEL)
    printer.state = "ok"
    check_then_send(printer, LABEL + LABEL2)
    assert printer.jobs == [LABEL, LABEL2]
    assert (tmp_path / "sim" / "0002.zpl").read_bytes() == LABEL2
    printer.state = "silent"
    assert printer.status().conditions == {PrinterCondition.NO_ANSWER}
    printer.state = "off"
    with pytest.raises(DeviceNotFound):
        printer.send(LABEL)
    with pytest.raises(ValueError):
        printer.state = "on fire"


def test_document_printers(tmp_path: Path) -> None:
    store = open_document_printer(f"pdf://{tmp_path}/pdfs")
    assert isinstance(store, PdfDirectoryPrinter)
    store.print_pdf(b"%PDF-1.7 slip", job_name="slip 1001")
    (saved,) = (tmp_path / "pdfs").iterdir()
    assert saved.suffix == ".pdf" and saved.read_bytes() == b"%PDF-1.7 slip"
    sim = open_document_printer("sim:")
    assert isinstance(sim, SimDocumentPrinter)
    sim.print_pdf(b"%PDF", job_name="x")
    assert sim.documents == [("x", b"%PDF")]


@pytest.mark.parametrize(
    "uri",
    ["tcp://10.0.0.7:9100?speed=3", "dir:///tmp/x?y=1", "hid://0c2e:0b61", "wedge:"],
)
def test_bad_label_printer_uris(uri: str) -> None:
    with pytest.raises(DeviceUriError):
        open_label_printer(uri)


def test_bad_document_printer_uris() -> None:
    for uri in ("tcp://10.0.0.7", "file:///dev/usb/lp0", "win://HP?method=fax"):
        with pytest.raises(DeviceUriError):
            open_document_printer(uri)


def test_error_classes_carry_user_messages() -> None:
    error = DeviceError("technical", user_message="plain")
    assert error.user_message == "plain"


# --------------------------------------------------------------------------- test label


def test_test_label_prints_on_the_simulator(simulator: ZplPrinterSimulator) -> None:
    label = printer_test_label_zpl("Bench 1")
    check_then_send(tcp_printer(simulator), label)
    assert simulator.wait_for_jobs(1) == [label.strip()]


def test_run_printer_simulator_serves_until_stopped(tmp_path: Path) -> None:
    lines: list[str] = []
    stop = threading.Event()
    runner = threading.Thread(
        target=run_printer_simulator,
        args=("127.0.0.1:0", tmp_path / "out", "ok"),
        kwargs={"out": lines.append, "stop": stop},
    )
    runner.start()
    deadline = time.monotonic() + 5
    while not lines and time.monotonic() < deadline:
        time.sleep(0.01)
    uri = lines[0].split()[5]
    printer = open_label_printer(uri)
    assert printer.status().ready
    printer.send(LABEL)
    while not list((tmp_path / "out").glob("*.zpl")) and time.monotonic() < deadline:
        time.sleep(0.01)
    stop.set()
    runner.join(timeout=5)
    assert (tmp_path / "out" / "0001.zpl").read_bytes() == LABEL
    assert any("label 1" in line for line in lines)
    assert lines[-1].startswith("printer simulator stopped after 1 label")
