"""The schema's revisions read without Alembic (``fulfilstation.db.revisions``) are Alembic's
own, and a station whose schema is at head starts without loading Alembic or numpy (about
37 MB of resident memory it never uses)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from fulfilstation.db import migrate, revisions
from fulfilstation.db.database import Database

ROOT = Path(__file__).resolve().parents[2]


def test_head_and_known_revisions_are_alembics() -> None:
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert revisions.head() == scripts.get_current_head()
    assert revisions.known() == {script.revision for script in scripts.walk_revisions()}
    for script in scripts.walk_revisions():
        down = script.down_revision
        assert revisions.parents()[script.revision] == (() if down is None else (down,) if isinstance(down, str)
                                                        else tuple(down))


def test_current_revision_is_what_alembic_reads(database: Database) -> None:
    with database.engine.connect() as connection:
        assert revisions.current(connection) == MigrationContext.configure(connection).get_current_revision()
        assert revisions.current(connection) == revisions.head()


def test_no_version_table_and_an_empty_one_are_no_revision(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(text("DELETE FROM alembic_version"))
        assert revisions.current(connection) is None
        connection.execute(text("DROP TABLE alembic_version"))
        assert revisions.current(connection) is None


def test_several_rows_in_the_version_table_are_an_error(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0001')"))
        with pytest.raises(RuntimeError, match="several revisions"):
            revisions.current(connection)


def test_a_revision_line_that_is_not_a_literal_is_refused() -> None:
    with pytest.raises(RuntimeError, match="not a plain literal"):
        revisions._revision_lines("0099_x.py", 'revision = "0099"\ndown_revision = compute()\n')
    assert revisions._revision_lines("0099_x.py", 'revision: str = "0099"\ndown_revision = ("0097", "0098")\n') \
        == ("0099", ("0097", "0098"))


def test_a_station_at_head_starts_without_alembic_or_numpy(database: Database) -> None:
    """What the window's start-up runs (``migrate.upgrade`` then ``current_revision``), in a
    fresh process, on a database already at head: neither Alembic nor numpy is loaded."""
    url = database.engine.url.render_as_string(hide_password=False)
    code = ("import json, sys\n"
            "import main, ui.main_window\n"
            "from fulfilstation.db import migrate\n"
            "from sqlalchemy.engine import make_url\n"
            "from fulfilstation.db.database import Database\n"
            "database = Database.connect(make_url(sys.argv[1]))\n"
            "result = migrate.upgrade(database.engine)\n"
            "revision = migrate.current_revision(database.engine)\n"
            "database.dispose()\n"
            "print(json.dumps({'changed': result.changed, 'revision': revision,\n"
            "                  'loaded': sorted(m for m in ('alembic', 'mako', 'numpy') if m in sys.modules)}))\n")
    done = subprocess.run([sys.executable, "-c", code, url], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"changed": False, "revision": revisions.head(), "loaded": []}
