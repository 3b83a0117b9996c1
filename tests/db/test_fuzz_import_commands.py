"""Bad input (issue #15 point 5) at the command line: ``fulfilstation import products |
orders | bins | purchase-orders FILE`` and the carriers' ``import-rates | import-zones |
import-transit``, given files as people bring them and worse (``tests/support/fuzz_csv``),
on SQLite and PostgreSQL. Each ends with exit 0 (all in), 1 (a report with rejected rows,
or one ``error:`` line refusing the file) — never exit 70 (a bug) and never a traceback.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fulfilstation.cli.app import run
from fulfilstation.services.bins import importing as bins_importing
from tests.db.test_cli import plain
from tests.db.test_fuzz_imports_db import PO_COLUMNS
from tests.support.app import PINS
from tests.support.databases import TemplateFactory
from tests.support.fuzz_csv import csv_files
from tests.unit.test_fuzz_imports import RATE_COLUMNS, TRANSIT_COLUMNS, ZONE_COLUMNS, order_files, product_files

COMMANDS = {
    ("import", "products"): product_files,
    ("import", "orders"): order_files,
    ("import", "bins"): csv_files(bins_importing.COLUMNS),
    ("import", "purchase-orders"): csv_files(PO_COLUMNS),
    ("carriers", "import-rates", "ups/ground"): csv_files(RATE_COLUMNS),
    ("carriers", "import-zones", "ups"): csv_files(ZONE_COLUMNS),
    ("carriers", "import-transit", "ups/ground"): csv_files(TRANSIT_COLUMNS),
}


@pytest.fixture
def seeded_url(backend: str, templates: TemplateFactory) -> str:
    """A fresh copy of the demo warehouse, as the URL a command is given."""
    return plain(templates.clone(backend, seeded=True))


def test_every_import_command_reports_or_refuses_in_one_line(seeded_url: str, tmp_path: Path) -> None:
    file = tmp_path / "fuzz.csv"

    @settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(sorted(COMMANDS)).flatmap(lambda words: st.tuples(st.just(words), COMMANDS[words])),
           st.booleans())
    def example(command: tuple[tuple[str, ...], bytes], dry_run: bool) -> None:
        words, data = command
        file.write_bytes(data)
        argv = ["--db", seeded_url, *words, str(file), "--user", "owner", "--pin", PINS["owner"]]
        if dry_run and words[0] == "import":
            argv.append("--dry-run")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(argv)
        shown = out.getvalue() + err.getvalue()
        assert "Traceback" not in shown, shown
        assert code in (0, 1), (code, shown[-2000:])
        if code == 1 and words[0] == "import" and "error:" not in shown:
            assert shown.rstrip().splitlines()[-1].startswith("imported "), shown[-2000:]

    example()
