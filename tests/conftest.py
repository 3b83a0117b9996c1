"""Shared fixtures: isolated config/data directories, an in-memory keyring, and databases
parametrized over SQLite and PostgreSQL.

PostgreSQL rules (issue #2): with ``FULFIL_TEST_POSTGRES_URL`` set and the server
unreachable, the run fails; with ``CI`` set and the variable missing, the run fails.
Without either, a PostgreSQL answering on 127.0.0.1:5432 as user ``postgres`` (a
newcomer's local server) is used by itself; when none answers the PostgreSQL half is
skipped. The header and the summary say which engines ran (``engines: …``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":  # a packing station's screen, not Qt's default 800×800
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={Path(__file__).parent / 'support' / 'screen_1280x800.json'}"

import keyring
import pytest

from fulfilstation.db.database import Database
from tests.support.databases import PG_ENV, PostgresServer, PostgresUnavailable, TemplateFactory, choose_engines
from tests.support.easypost_account import KEY
from tests.support.easypost_stub import EasyPostStub
from tests.support.memory_keyring import MemoryKeyring

BACKENDS = ["sqlite", "postgresql"]


ENGINES_KEY = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") and not os.environ.get(PG_ENV):
        raise pytest.UsageError(f"CI is set but {PG_ENV} is not: the PostgreSQL tests must run in CI.")
    config.stash[ENGINES_KEY] = choose_engines(os.environ)


def pytest_report_header(config: pytest.Config) -> str:
    return config.stash.get(ENGINES_KEY, "engines: unknown")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    terminalreporter.write_line(config.stash.get(ENGINES_KEY, "engines: unknown"))


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """Every test gets its own settings and data directories and an empty keyring."""
    monkeypatch.setenv("FULFIL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("FULFIL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FULFIL_DOCUMENTS_DIR", str(tmp_path / "documents"))
    monkeypatch.delenv("FULFIL_DATABASE_URL", raising=False)
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture
def qtbot(qtbot: Any) -> Iterator[Any]:
    """pytest-qt's ``qtbot``, whose ``addWidget`` also keeps the widget alive until the test's
    teardown has closed it (pytest-qt keeps only a weak reference). Without this, a test's
    top-level widget lives on only through closures, e.g. a lambda connected to its own
    button's ``clicked``: when that button was deleted, the widget died inside the button's
    destructor and corrupted the heap (seen once background calls stopped leaking their
    callbacks, which had kept every such widget alive)."""
    kept: list[object] = []
    add_widget = qtbot.addWidget

    def add_and_keep(widget: object, *args: Any, **kwargs: Any) -> None:
        kept.append(widget)
        add_widget(widget, *args, **kwargs)

    qtbot.addWidget = add_and_keep
    yield qtbot
    kept.clear()  # pytest-qt's teardown closed and deleted them before this fixture's teardown


@pytest.fixture(autouse=True)
def garbage_collected_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test with a Qt event loop collects garbage on the GUI thread only, as the app does
    (``ui/gui_gc.py``): a collection on a pool thread can destroy a QObject there."""
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        yield
        return
    from PySide6.QtWidgets import QApplication

    from ui.gui_gc import GuiThreadCollector

    request.getfixturevalue("qapp")
    collector = GuiThreadCollector(QApplication.instance())
    yield
    collector.stop()
    collector.deleteLater()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer | None]:
    try:
        server = PostgresServer.from_environment()
    except PostgresUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    if server is not None:
        server.drop_all()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory, postgres_server: PostgresServer | None) -> TemplateFactory:
    return TemplateFactory(tmp_path_factory.mktemp("databases"), postgres_server)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, postgres_server: PostgresServer | None) -> str:
    name: str = request.param
    if name == "postgresql" and postgres_server is None:
        pytest.skip(f"no PostgreSQL: {PG_ENV} is not set and none answers on 127.0.0.1:5432 (CI always runs it)")
    return name


@pytest.fixture
def empty_url(backend: str, templates: TemplateFactory):  # type: ignore[no-untyped-def]
    return templates.empty(backend)


@pytest.fixture
def database(backend: str, templates: TemplateFactory) -> Iterator[Database]:
    """A migrated, empty database."""
    db = Database.connect(templates.clone(backend, seeded=False))
    yield db
    db.dispose()


@pytest.fixture
def seeded_database(backend: str, templates: TemplateFactory) -> Iterator[Database]:
    """A migrated database holding the demo warehouse."""
    db = Database.connect(templates.clone(backend, seeded=True))
    yield db
    db.dispose()


@pytest.fixture
def postgres_empty_url(postgres_server: PostgresServer | None, templates: TemplateFactory):  # type: ignore[no-untyped-def]
    """An empty PostgreSQL database, for tests of PostgreSQL-only behaviour."""
    if postgres_server is None:
        pytest.skip(f"{PG_ENV} is not set (CI always sets it)")
    return templates.empty("postgresql")


@pytest.fixture
def postgres_seeded_url(postgres_server: PostgresServer | None, templates: TemplateFactory):  # type: ignore[no-untyped-def]
    """A migrated PostgreSQL database with the demo warehouse (PostgreSQL-only tests)."""
    if postgres_server is None:
        pytest.skip(f"{PG_ENV} is not set (CI always sets it)")
    return templates.clone("postgresql", seeded=True)


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[EasyPostStub]:
    """A local EasyPost stub on 127.0.0.1 (no proxy in between) that accepts ``KEY``."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with EasyPostStub(api_key=KEY) as server:
        yield server
