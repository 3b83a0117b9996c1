"""The schema's revisions without loading Alembic: the shipped migration scripts' own
``revision`` and ``down_revision`` lines, and the database's ``alembic_version`` row.

Alembic and Mako take about 17 MB of a station's memory for good once imported, and a
station whose schema is already at head (every start but the one after an update) never
needs them: ``migrate.upgrade`` asks here first and loads Alembic only to migrate.

Invariants: the scripts are read with ``ast`` (never executed), so ``head()`` and
``known()`` are what Alembic's ``ScriptDirectory`` finds for the same files
(``tests/db/test_revisions.py`` compares them); a script whose revision lines are not
plain literals is an error here, not a guess. ``current()`` reads the row Alembic keeps,
as Alembic's ``MigrationContext.get_current_revision`` does: none when the table is
missing or empty, an error when it holds several heads.

Threading: the scripts are read once (cached); ``current`` uses the caller's connection.
"""

from __future__ import annotations

import ast
import functools
from importlib import resources

from sqlalchemy import Connection, inspect, text

VERSION_TABLE = "alembic_version"


@functools.cache
def parents() -> dict[str, tuple[str, ...]]:
    """Each shipped revision and the revisions it follows (none for the first)."""
    found: dict[str, tuple[str, ...]] = {}
    for script in resources.files("migrations").joinpath("versions").iterdir():
        if script.name.endswith(".py") and not script.name.startswith("_"):
            revision, down = _revision_lines(script.name, script.read_text(encoding="utf-8"))
            found[revision] = down
    return found


def known() -> frozenset[str]:
    return frozenset(parents())


def head() -> str | None:
    """The one revision no other follows; None when there are no scripts."""
    followed = {parent for down in parents().values() for parent in down}
    heads = sorted(set(parents()) - followed)
    if len(heads) > 1:
        raise RuntimeError(f"The migration scripts have {len(heads)} heads ({', '.join(heads)}): merge them.")
    return heads[0] if heads else None


def current(connection: Connection) -> str | None:
    """The database's revision, read on ``connection`` (its transaction stays open)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(rows) > 1:
        raise RuntimeError(f"The database's {VERSION_TABLE} table holds several revisions ({', '.join(rows)}).")
    return rows[0] if rows else None


def _revision_lines(name: str, source: str) -> tuple[str, tuple[str, ...]]:
    values: dict[str, object] = {}
    for statement in ast.parse(source, filename=name).body:
        target, value = _assignment(statement)
        if target in ("revision", "down_revision") and value is not None:
            try:
                values[target] = ast.literal_eval(value)
            except ValueError as exc:
                raise RuntimeError(f"migrations/versions/{name}: {target} is not a plain literal") from exc
    revision, down = values.get("revision"), values.get("down_revision")
    if not isinstance(revision, str):
        raise RuntimeError(f"migrations/versions/{name} names no revision")
    if down is None:
        return revision, ()
    if isinstance(down, str):
        return revision, (down,)
    if isinstance(down, (tuple, list)) and all(isinstance(parent, str) for parent in down):
        return revision, tuple(down)
    raise RuntimeError(f"migrations/versions/{name}: down_revision {down!r} is not a revision or a list of them")


def _assignment(statement: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id, statement.value
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id, statement.value
    return None, None
