"""Layer rules (ARCHITECTURE.md): fulfilstation/ and drivers/ never import Qt; drivers/
import nothing of ours but fulfilstation.ports; ui/ never touches SQLAlchemy sessions,
fulfilstation.db or drivers."""

from __future__ import annotations

from pathlib import Path

from tests.support.layers import violations

ROOT = Path(__file__).resolve().parents[1]


def test_repository_keeps_the_layers() -> None:
    assert violations(ROOT) == []


def test_checker_catches_each_kind_of_violation(tmp_path: Path) -> None:
    files = {
        "fulfilstation/bad.py": "from PySide6.QtCore import QObject\n",
        "fulfilstation/also_bad.py": "import drivers.scale\n",
        "drivers/bad.py": "from fulfilstation.db.database import Database\nfrom fulfilstation.ports import Scale\n",
        "ui/bad.py": "from fulfilstation import db\nimport sqlalchemy.orm\n",
        "ui/fine.py": "from fulfilstation.app_context import AppContext\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    found = violations(tmp_path)
    assert found == [
        "fulfilstation/also_bad.py:1 imports drivers.scale",
        "fulfilstation/bad.py:1 imports PySide6.QtCore",
        "fulfilstation/bad.py:1 imports PySide6.QtCore.QObject",
        "drivers/bad.py:1 imports fulfilstation.db.database",
        "drivers/bad.py:1 imports fulfilstation.db.database.Database",
        "ui/bad.py:1 imports fulfilstation.db",
        "ui/bad.py:2 imports sqlalchemy.orm",
    ]
