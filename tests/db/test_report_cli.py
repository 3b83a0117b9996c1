"""``fulfilstation report …`` as people run it (real processes, SQLite and PostgreSQL): the
daily PDF holds every section's title and figures; ``report inventory`` prints its tables
and writes them all to one CSV; a bad date, a reversed period, a path that cannot be written,
a packer and no sign-in are each refused in one plain line; an existing file is replaced only
with ``--force``; on a terminal a table wraps long text to its width and cuts nothing."""

from __future__ import annotations

import csv
from pathlib import Path

from fulfilstation.cli.report_commands import table_text
from fulfilstation.db.database import Database
from fulfilstation.services.reports import Period, ReportTable
from tests.db.test_cli import cli, plain
from tests.db.test_reports_inventory import chicago_app
from tests.support.app import app_for, sign_in
from tests.support.inventory_history import OUT
from tests.support.packing_cost_history import CHICAGO, DAY, build
from tests.support.pdf import pdf_text

MANAGER = ("--manager", "manager", "--pin", "2222")
PACKER = ("--user", "packer", "--pin", "1111")


def test_the_daily_pdf_holds_every_section(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    chicago_app(db)
    url = ("--db", plain(db.engine.url))
    out = tmp_path / "daily.pdf"
    done = cli("report", "daily", "--date", "2026-11-10", "--out", str(out), *MANAGER, *url)
    assert done.returncode == 0, done.stderr
    said = done.stdout.strip()
    # a past day: its service levels, packers, costs, inventory (the dashboard is today's only)
    assert said == (f"Wrote the daily report of Demo Goods Warehouse for 2026-11-10 to {out}: 4 sections "
                    "(“Service levels”; “Packers”; “Costs”; “Inventory and returns”).\n"
                    "No “Today” section: the dashboard is the present moment (open exceptions, backlog), "
                    "so only today's report has it.")
    text = pdf_text(out.read_bytes(), tmp_path)
    for title in ("Service levels", "Packers", "Costs by carrier", "On-time shipment"):
        assert title in text, title
    assert "Open exceptions" not in text
    today = cli("report", "daily", "--out", str(tmp_path / "today.pdf"), *MANAGER, *url)
    assert today.returncode == 0, today.stderr
    assert ": 5 sections (“Today, " in today.stdout  # today's report opens with the dashboard
    assert "No “Today” section" not in today.stdout
    assert "Open exceptions" in pdf_text((tmp_path / "today.pdf").read_bytes(), tmp_path)
    assert "Daily report — Demo Goods Warehouse" in text and "Tuesday 2026-11-10" in text
    for title in ("Inventory and returns", "Inventory accuracy", "ABC classes", "Stock-outs now",
                  "Return rate by product", "Return reasons", "Return processing time"):
        assert title in text
    assert OUT in text
    processing = next(line for line in text.splitlines() if line.split()[:1] == ["3"] and "71.0" in line)
    assert processing.split() == ["3", "24.0", "71.0"]  # RMAs processed, median, p90 hours


def test_a_report_prints_its_tables_and_writes_them_to_csv(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    chicago_app(db)
    url = ("--db", plain(db.engine.url))
    out = tmp_path / "inventory.csv"
    done = cli("report", "inventory", "--from", "2026-11-10", "--to", "2026-11-10", "--csv", str(out), *MANAGER,
               *url)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Inventory and returns — 2026-11-10"
    accuracy = lines.index("Inventory accuracy")
    assert lines[accuracy + 3].split() == ["2", "20", "16", "80.0", "7", "18.00"]
    assert lines[-1] == f"Wrote 10 tables to {out}."
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    at = rows.index(["Inventory accuracy"])
    assert rows[at + 1] == ["Counts", "Lines counted", "Lines exact", "Accuracy %", "Units variance",
                            "Value variance (USD)"]
    assert rows[at + 2] == ["2", "20", "16", "80.0", "7", "18.00"]
    stock_outs = rows.index(["Stock-outs now"])
    assert rows[stock_outs + 2] == [OUT, "Sold out lamp", "0", "2", "3", "1"]


def test_the_costs_csv_holds_every_orders_row_too(seeded_database: Database, tmp_path: Path) -> None:
    app = app_for(seeded_database)
    numbers = build(app)  # the costs history: a Chicago site, orders packed and shipped on DAY
    out = tmp_path / "costs.csv"
    done = cli("report", "costs", "--from", DAY.isoformat(), "--to", DAY.isoformat(), "--csv", str(out), *MANAGER,
               "--db", plain(seeded_database.engine.url))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"Costs — {DAY.isoformat()}"
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM: a spreadsheet reads the UTF-8 as such
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    at = rows.index(["Cost per order"])
    listed = {row[0] for row in rows[at + 2:]}
    report = app.reports.costs(sign_in(app, "manager"), Period.day(DAY, CHICAGO))
    assert listed == {order.number for order in report.orders} and numbers["C"] in listed
    assert done.stdout.strip().endswith(f"Wrote {len(report.tables()) + 1} tables to {out}.")


def test_refusals_are_one_plain_line(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    url = ("--db", plain(db.engine.url))
    pdf = str(tmp_path / "daily.pdf")
    far = cli("report", "daily", "--date", "9999-12-31", "--out", pdf, *MANAGER, *url)
    assert far.returncode == 2 and far.stderr.strip() == (
        "error: 9999-12-31 is outside the days reports cover (1970-01-01 to 9998-12-31): give a day within them.")
    bad_date = cli("report", "daily", "--date", "2026-13-01", "--out", pdf, *MANAGER, *url)
    assert bad_date.returncode == 2 and "'2026-13-01' is not a date: write it as YYYY-MM-DD" in bad_date.stderr
    reversed_ = cli("report", "inventory", "--from", "2026-11-10", "--to", "2026-11-09", *MANAGER, *url)
    assert reversed_.returncode == 2
    assert reversed_.stderr.strip() == ("error: --to 2026-11-09 is before --from 2026-11-10: give --from on or "
                                        "before --to.")
    nowhere = cli("report", "daily", "--out", str(tmp_path / "missing" / "daily.pdf"), *MANAGER, *url)
    assert nowhere.returncode == 1
    assert nowhere.stderr.strip() == (f"error: cannot write {tmp_path / 'missing' / 'daily.pdf'}: the folder "
                                      f"{tmp_path / 'missing'} does not exist")
    folder = cli("report", "inventory", "--csv", str(tmp_path), *MANAGER, *url)
    assert folder.returncode == 1 and "it is a folder" in folder.stderr
    packer = cli("report", "daily", "--out", pdf, *PACKER, *url)
    assert packer.returncode == 1 and packer.stderr.startswith("error: Pat Packer is a packer")
    anonymous = cli("report", "inventory", *url)
    assert anonymous.returncode == 2 and "Reports are for managers and owners: sign in with --user" in anonymous.stderr
    assert not Path(pdf).exists()
    assert all("Traceback" not in run.stderr for run in (bad_date, reversed_, nowhere, folder, packer, anonymous))


def test_an_existing_file_is_replaced_only_with_force(seeded_database: Database, tmp_path: Path) -> None:
    url = ("--db", plain(seeded_database.engine.url))
    pdf, table = tmp_path / "daily.pdf", tmp_path / "inventory.csv"
    pdf.write_bytes(b"yesterday's report")
    table.write_text("last week's figures", encoding="utf-8")
    for run, path in ((cli("report", "daily", "--out", str(pdf), *MANAGER, *url), pdf),
                      (cli("report", "inventory", "--csv", str(table), *MANAGER, *url), table)):
        assert run.returncode == 1
        assert run.stderr.strip() == f"error: {path} exists: add --force to replace it"
        assert run.stdout == ""  # refused before anything was computed or printed
    assert pdf.read_bytes() == b"yesterday's report"
    assert table.read_text(encoding="utf-8") == "last week's figures"
    assert set(tmp_path.iterdir()) == {pdf, table}  # no temporary file left either

    daily = cli("report", "daily", "--out", str(pdf), "--force", *MANAGER, *url)
    assert daily.returncode == 0, daily.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    inventory = cli("report", "inventory", "--csv", str(table), "--force", *MANAGER, *url)
    assert inventory.returncode == 0, inventory.stderr
    assert table.read_bytes().startswith(b"\xef\xbb\xbf")  # the report's CSV now


LONG = "Returned because the customer ordered two sizes and kept the one that fitted best"


def test_a_terminal_table_wraps_long_text_to_the_width_and_cuts_nothing() -> None:
    table = ReportTable("Return reasons", ("Reason", "Units", "RMAs"), ((LONG, 12, 3), ("Damaged", 1, 1)),
                        note="Units returned in the period, by the reason given.")
    whole = table_text(table)  # a pipe: nothing wraps
    assert LONG in whole and max(len(line) for line in whole.splitlines()) > 60

    text = table_text(table, 40)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 40, text
    assert "…" not in text
    words = " ".join(lines[3:]).split()
    for word in LONG.split():
        assert word in words, word  # every word shown whole
    first = lines[3]
    assert first.split()[-2:] == ["12", "3"]  # the numbers stay on the row's first line, right-aligned
    assert ["Damaged", "1", "1"] in [line.split() for line in lines]


def test_the_terminal_width_wraps_a_report_printed_on_a_terminal(seeded_database: Database) -> None:
    url = ("--db", plain(seeded_database.engine.url))
    narrow = cli("report", "sla", *MANAGER, *url, env={"COLUMNS": "70"})
    assert narrow.returncode == 0, narrow.stderr
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 70, narrow.stdout
    assert "…" not in narrow.stdout and "Within" in narrow.stdout
    piped = cli("report", "sla", *MANAGER, *url, env={"COLUMNS": ""})
    assert max(len(line) for line in piped.stdout.splitlines()) > 70  # a pipe: whole lines
