"""``fulfilstation picklist create/pdf`` refuse plainly, before anything is made: an output
path that is a folder or in a missing folder (exit 2, no list made), options that do not go
together (``--value``/``--limit`` without ``--wave``), an unknown carrier (exit 1, naming the
carriers). Real processes, SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from fulfilstation.db.database import Database
from tests.db.test_cli import cli, plain
from tests.support.app import app_for, sign_in
from tests.support.picking import ready_order

PACKER = ("--user", "packer", "--pin", "1111")
MANAGER = ("--user", "manager", "--pin", "2222")


def test_bad_paths_and_options_are_refused_before_a_list_is_made(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    url = ("--db", plain(db.engine.url))
    app = app_for(db)
    order = ready_order(app, sign_in(app, "manager"), [("NB-A5-LIN", 1)])
    missing = cli("picklist", "create", "--orders", order, "--out", str(tmp_path / "nowhere" / "x.pdf"), *PACKER, *url)
    assert missing.returncode == 2 and missing.stderr.startswith(f"error: There is no folder {tmp_path / 'nowhere'}")
    folder = cli("picklist", "create", "--orders", order, "--limit", "3", "--out", str(tmp_path), *PACKER, *url)
    assert folder.returncode == 2 and "--limit caps a wave" in folder.stderr
    value = cli("picklist", "create", "--next", "2", "--value", "ups", "--out", str(tmp_path), *PACKER, *url)
    assert value.returncode == 2 and "--value names a wave's carrier" in value.stderr
    carrier = cli("picklist", "create", "--wave", "carrier", "--value", "nosuch", "--out", str(tmp_path / "w.pdf"),
                  *MANAGER, *url)
    assert carrier.returncode == 1 and carrier.stderr.startswith("error: There is no carrier nosuch (carriers: ")
    assert app.picking.open_lists() == []  # nothing was made
    made = app.picking.create(sign_in(app, "packer"), [order])
    pdf = cli("picklist", "pdf", made.number, "--out", str(tmp_path), *url)
    assert pdf.returncode == 2 and pdf.stderr.startswith(f"error: {tmp_path} is a folder: give a file name")
    assert "Traceback" not in pdf.stderr + missing.stderr
