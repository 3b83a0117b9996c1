"""The one-door contract (ARCHITECTURE.md): the window and the CLI call use cases only
through ``AppServices``, and the domain imports nothing of ours but itself."""

from __future__ import annotations

from pathlib import Path

from tests.support.one_door import domain_violations, door_violations

ROOT = Path(__file__).resolve().parents[1]


def test_the_window_and_the_cli_reach_use_cases_only_through_app_services() -> None:
    assert door_violations(ROOT) == []


def test_the_domain_imports_nothing_of_ours_but_itself() -> None:
    assert domain_violations(ROOT) == []


def test_the_checker_catches_each_kind_of_door(tmp_path: Path) -> None:
    files = {
        "ui/bad_function.py": "from fulfilstation.services.packing.scanning import scan_item\n",
        "ui/bad_module.py": "import fulfilstation.services.packing.start\n",
        "ui/bad_service.py": "from fulfilstation.services.packing import PackingService\n",
        "fulfilstation/cli/bad_build.py": "from fulfilstation.services.app import build_services\n",
        "fulfilstation/cli/fine.py": "from fulfilstation.services.packing import PackView, Refusal, Weighing\n"
                                     "from fulfilstation.services.app import AppServices\n",
        "fulfilstation/cli/context.py": "from fulfilstation.services.app import build_services\n",
        "fulfilstation/domain/bad.py": "from fulfilstation.db.models import User\nimport sqlalchemy\n"
                                       "from fulfilstation.domain.enums import Role\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    found = door_violations(tmp_path, sorted(p for p in tmp_path.rglob("*.py") if "domain" not in p.parts))
    assert found == [
        "fulfilstation/cli/bad_build.py:1 imports fulfilstation.services.app.build_services, not through AppServices",
        "ui/bad_function.py:1 imports fulfilstation.services.packing.scanning.scan_item, not through AppServices",
        "ui/bad_module.py:1 imports the module fulfilstation.services.packing.start",
        "ui/bad_service.py:1 imports fulfilstation.services.packing.PackingService, not through AppServices",
    ]
    assert domain_violations(tmp_path) == ["fulfilstation/domain/bad.py:1 imports fulfilstation.db.models",
                                           "fulfilstation/domain/bad.py:2 imports sqlalchemy"]
