"""Every benchmark of issue #15 in one command (``make bench``), printed as ONE table:
measurement, figure, target, met.

    .venv/bin/python bench/run_all.py [--quick] [--only scan,label,...] [--markdown]

Measurements (``--only`` takes these names): ``scan`` (scan → verified and committed, median
and p99, beside a bare single-row UPDATE + commit in the same run) and ``label`` (ship → label
bytes at a TCP printer) from ``bench/pack_latency.measure``; ``load`` (16 station processes,
``bench/load_stations.measure``; PostgreSQL only); ``closeout`` (10,000 shipments on one
manifest: close, sheet, PDF, CSV; ``bench/manifest_closeout.measure``); ``import`` (100,000
order lines, ``bench/import_orders.measure_import``); ``cold`` (``bench/cold_start``);
``memory`` (``bench/station_memory``: 1,000 packs in the window) and ``stall``
(``bench/window_stall``), the last two in a process of their own so the window is alone in it.

Every database is made for the measurement and dropped after: a temporary SQLite file, and
on PostgreSQL (``FULFIL_BENCH_POSTGRES_URL``, else 127.0.0.1:5432 as postgres) a database
``fulfil_bench_…``. ``--quick`` runs each at a small scale (for development; its figures are
not the targets' scale). The machine (cores, CPU, RAM, PostgreSQL version, load average) is
printed above the table. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.pack_latency import percentile  # noqa: E402
from fulfilstation.db.url import parse_url  # noqa: E402

NAMES = ("scan", "label", "load", "closeout", "import", "cold", "memory", "stall")
FLAT_MB = 10.0  # "does not grow": at most this much between pack 100 and the last


@dataclass(frozen=True)
class Scale:
    scans: int
    labels: int
    stations: int
    orders: int
    load_import_lines: int
    shipments: int
    import_lines: int
    cold_runs: int
    packs: int
    stall_s: float


FULL = Scale(scans=1000, labels=100, stations=16, orders=2000, load_import_lines=2000, shipments=10_000,
             import_lines=100_000, cold_runs=5, packs=1000, stall_s=60)
QUICK = Scale(scans=200, labels=20, stations=16, orders=320, load_import_lines=300, shipments=1000,
              import_lines=10_000, cold_runs=2, packs=120, stall_s=15)


@dataclass(frozen=True)
class Row:
    measurement: str
    figure: str
    target: str
    met: str  # "yes", "no", "—" (not measured)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def yes(condition: bool) -> str:
    return "yes" if condition else "no"


def postgres_server() -> str | None:
    """The server's admin URL, or None when none answers."""
    url = os.environ.get("FULFIL_BENCH_POSTGRES_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
    try:
        engine = create_engine(parse_url(url))
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception:
        return None
    return url


def machine(server: str | None) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    ram = ""
    try:
        with open("/proc/meminfo") as info:
            kb = int(next(line.split()[1] for line in info if line.startswith("MemTotal")))
        ram = f", {kb / 2**20:.1f} GiB RAM"
    except (OSError, StopIteration):
        pass
    version = "none"
    if server is not None:
        engine = create_engine(parse_url(server))
        with engine.connect() as connection:
            version = str(connection.execute(text("SHOW server_version")).scalar())
        engine.dispose()
    return (f"{os.cpu_count()} cores ({cpu}){ram}, Python {platform.python_version()}, "
            f"PostgreSQL {version}, {platform.system()} {platform.release()}")


def pack_rows(backends: list[tuple[str, str | None]], scale: Scale, want: set[str]) -> list[Row]:
    from bench.pack_latency import measure

    rows = []
    for backend, server in backends:
        name = "SQLite" if backend == "sqlite" else "PostgreSQL"
        figures = measure(backend, server, scale.scans, scale.labels)
        if "scan" in want:
            scan_med, scan_p99 = statistics.median(figures.scans), percentile(figures.scans, 0.99)
            bare_med, bare_p99 = statistics.median(figures.bare), percentile(figures.bare, 0.99)
            rows.append(Row(f"scan → verified, {name}", f"median {ms(scan_med)}, p99 {ms(scan_p99)}",
                            "p99 < 15 ms", yes(scan_p99 < 0.015)))
            rows.append(Row(f"  bare UPDATE + commit, {name}", f"median {ms(bare_med)}, p99 {ms(bare_p99)}",
                            "scan ≤ 3× bare (median; p99)",
                            yes(scan_med <= 3 * bare_med and scan_p99 <= 3 * bare_p99)
                            + f" ({scan_med / bare_med:.1f}×; {scan_p99 / bare_p99:.1f}×)"))
        if "label" in want:
            rows.append(Row(f"last action → label bytes at TCP printer, {name}",
                            f"median {ms(statistics.median(figures.labels))}, p99 "
                            f"{ms(percentile(figures.labels, 0.99))}", "p99 < 150 ms",
                            yes(percentile(figures.labels, 0.99) < 0.150)))
    return rows


def load_rows(server: str | None, scale: Scale) -> list[Row]:
    if server is None:
        return [Row(f"{scale.stations}-station throughput", "skipped: no PostgreSQL", "≥ 50 orders/s", "—")]
    from bench.load_stations import measure

    figures = measure(server, scale.stations, scale.orders, scale.load_import_lines)
    problems = figures.problems()
    scans = figures.scans or [0.0]
    return [Row(f"{scale.stations}-station throughput ({figures.shipped} orders), PostgreSQL",
                f"{figures.orders_per_s:.1f} orders/s; scan p99 {ms(percentile(scans, 0.99))}; "
                f"{figures.retried_deadlocks} deadlocks retried", "≥ 50 orders/s", yes(figures.orders_per_s >= 50)),
            Row("  load invariants (shipped twice, stock < 0, tracking twice, unfinished, shop once)",
                "all hold" if not problems else "; ".join(problems), "all hold", yes(not problems))]


def closeout_rows(backends: list[tuple[str, str | None]], scale: Scale) -> list[Row]:
    from bench.manifest_closeout import measure

    rows = []
    for backend, server in backends:
        figures = measure(backend, server, scale.shipments, 1)
        name = "SQLite" if backend == "sqlite" else "PostgreSQL"
        rows.append(Row(f"close-out of {figures.shipments:,} shipments, {name}",
                        f"{figures.total_s:.2f} s (close {figures.close_s:.2f}, sheet {figures.read_s:.2f}, "
                        f"PDF {figures.pdf_s:.2f}, CSV {figures.csv_s:.2f})", "< 2 s", yes(figures.total_s < 2)))
    return rows


def import_rows(backends: list[tuple[str, str | None]], scale: Scale) -> list[Row]:
    from bench.import_orders import measure_import

    rows = []
    for backend, server in backends:
        seconds, orders = measure_import(backend, server, scale.import_lines)
        name = "SQLite" if backend == "sqlite" else "PostgreSQL"
        rows.append(Row(f"import of {scale.import_lines:,} order lines ({orders:,} orders), {name}",
                        f"{seconds:.1f} s", "< 20 s", yes(seconds < 20)))
    return rows


def child_json(script: str, *args: str) -> dict[str, object]:
    """Run ``bench/<script>`` in a process of its own with ``--json``; its last line, parsed."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), "--json", *args], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{script} failed (exit {done.returncode}): {done.stderr.strip()[-1500:]}")
    result: dict[str, object] = json.loads(lines[-1])
    return result


def cold_rows(scale: Scale) -> list[Row]:
    figures = child_json("cold_start.py", "--runs", str(scale.cold_runs))
    median = float(figures["median_s"])  # type: ignore[arg-type]
    return [Row(f"cold start to first frame (median of {scale.cold_runs}, from bytecode)",
                f"{median:.2f} s (first start, compiling: {float(figures['first_s']):.2f} s)",  # type: ignore[arg-type]
                "< 2 s", yes(median < 2))]


def memory_rows(scale: Scale) -> list[Row]:
    f = child_json("station_memory.py", "--packs", str(scale.packs))
    first, last = float(f["after_first_mb"]), float(f["after_last_mb"])  # type: ignore[arg-type]
    packs = int(f["packs"])  # type: ignore[call-overload]
    return [Row(f"station memory after {packs} packs", f"{last:.0f} MB (signed in {float(f['signed_in_mb']):.0f}, "  # type: ignore[arg-type]
                f"after 100: {first:.0f}; growth {last - first:+.1f} MB)",
                f"< 250 MB, growth ≤ {FLAT_MB:.0f} MB", yes(last < 250 and last - first <= FLAT_MB))]


def stall_rows(scale: Scale) -> list[Row]:
    f = child_json("window_stall.py", "--seconds", str(scale.stall_s))
    p99 = float(f["p99_ms"])  # type: ignore[arg-type]
    return [Row(f"window stall p99 (scans 10/s, scale 10 Hz, {scale.stall_s:.0f} s)",
                f"p99 {p99:.1f} ms (median {f['p50_ms']:.1f}, max {f['max_ms']:.1f}; {f['shipped']} shipped)",
                "p99 < 50 ms", yes(p99 < 50))]


def table(rows: list[Row], markdown: bool) -> str:
    head = Row("measurement", "figure", "target", "met")
    if markdown:
        lines = [f"| {r.measurement} | {r.figure} | {r.target} | {r.met} |" for r in [head, *rows]]
        lines.insert(1, "|---|---|---|---|")
        return "\n".join(lines)
    widths = [max(len(getattr(r, f)) for r in [head, *rows]) for f in ("measurement", "figure", "target")]
    out = []
    for r in [head, *rows]:
        out.append(f"{r.measurement:<{widths[0]}}  {r.figure:<{widths[1]}}  {r.target:<{widths[2]}}  {r.met}")
        if r is head:
            out.append("-" * (sum(widths) + 10))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small scale, for development")
    parser.add_argument("--only", default=",".join(NAMES), help=f"comma-separated subset of {','.join(NAMES)}")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown (for the README)")
    args = parser.parse_args()
    want = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = want - set(NAMES)
    if unknown:
        parser.error(f"unknown measurement(s) {', '.join(sorted(unknown))}; choose from {', '.join(NAMES)}")
    scale = QUICK if args.quick else FULL
    server = postgres_server()
    backends: list[tuple[str, str | None]] = [("sqlite", None)] + ([("postgresql", server)] if server else [])
    print(f"machine: {machine(server)}", flush=True)
    print(f"scale: {'quick' if args.quick else 'full'}; load average at start "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    steps: list[tuple[set[str], str, Callable[[], list[Row]]]] = [
        ({"scan", "label"}, "scan/label", lambda: pack_rows(backends, scale, want)),
        ({"load"}, "load", lambda: load_rows(server, scale)),
        ({"closeout"}, "close-out", lambda: closeout_rows(backends, scale)),
        ({"import"}, "import", lambda: import_rows(backends, scale)),
        ({"cold"}, "cold start", lambda: cold_rows(scale)),
        ({"memory"}, "memory", lambda: memory_rows(scale)),
        ({"stall"}, "stall", lambda: stall_rows(scale)),
    ]
    rows: list[Row] = []
    started = time.perf_counter()
    for names, label, step in steps:
        if not names & want:
            continue
        print(f"  … {label}", file=sys.stderr, flush=True)
        try:
            rows += step()
        except Exception as exc:
            traceback.print_exc()
            said = " ".join(str(exc).split()).replace("|", "/")  # one line, and no Markdown cell break
            rows.append(Row(label, f"failed: {type(exc).__name__}: {said[-300:]}", "", "no"))
    if server is None:
        rows.append(Row("PostgreSQL", "skipped: none answers (set FULFIL_BENCH_POSTGRES_URL)", "", "—"))
    print(f"load average at end {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"{time.perf_counter() - started:.0f} s in all\n")
    print(table(rows, args.markdown))


if __name__ == "__main__":
    main()
