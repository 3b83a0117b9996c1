"""Layer rules (ARCHITECTURE.md): fulfilstation/ and drivers/ never import Qt;
fulfilstation/domain imports nothing of ours but itself, and no database or Qt; drivers/
import nothing of ours but fulfilstation.ports and fulfilstation.domain; ui/ never touches
SQLAlchemy sessions, fulfilstation.db or drivers."""

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
        "fulfilstation/domain/__init__.py": "from . import units\n",
        "fulfilstation/domain/units.py": "from fulfilstation.domain.money import minor_digits\nimport decimal\n",
        "fulfilstation/domain/uses_ports.py": "from fulfilstation.ports import ScaleState\n",
        "fulfilstation/domain/uses_db.py": "import sqlalchemy\nfrom ..db import models\n",
        "fulfilstation/domain/uses_qt.py": "import PySide6\n",
        "fulfilstation/domain/uses_package.py": "from fulfilstation import errors\n",
        "drivers/bad.py": "from fulfilstation.db.database import Database\nfrom fulfilstation.ports import Scale\n",
        "drivers/rules.py": "from fulfilstation.domain.units import to_grams\nfrom fulfilstation.domain import aim\n",
        "drivers/documents.py": "from fulfilstation.documents.labels import render_zpl\n",
        "drivers/scale/tested.py": "from tests.support.zpl import render_zpl\nfrom .common import Reply\n",
        "ui/bad.py": "from fulfilstation import db\nimport sqlalchemy.orm\n",
        "ui/fine.py": "from fulfilstation.app_context import AppContext\n",
        "fulfilstation/integrations/bad.py": "from fulfilstation.db.models import Order\n",
        "fulfilstation/integrations/fine.py": "from fulfilstation.credentials import SecretStore\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    found = violations(tmp_path)
    assert found == [
        "fulfilstation/also_bad.py:1 imports drivers.scale",
        "fulfilstation/bad.py:1 imports PySide6.QtCore",
        "fulfilstation/bad.py:1 imports PySide6.QtCore.QObject",
        "fulfilstation/domain/uses_qt.py:1 imports PySide6",
        "fulfilstation/domain/uses_db.py:1 imports sqlalchemy",
        "fulfilstation/domain/uses_db.py:2 imports fulfilstation.db",
        "fulfilstation/domain/uses_db.py:2 imports fulfilstation.db.models",
        "fulfilstation/domain/uses_package.py:1 imports fulfilstation",
        "fulfilstation/domain/uses_package.py:1 imports fulfilstation.errors",
        "fulfilstation/domain/uses_ports.py:1 imports fulfilstation.ports",
        "fulfilstation/domain/uses_ports.py:1 imports fulfilstation.ports.ScaleState",
        "drivers/bad.py:1 imports fulfilstation.db.database",
        "drivers/bad.py:1 imports fulfilstation.db.database.Database",
        "drivers/documents.py:1 imports fulfilstation.documents.labels",
        "drivers/documents.py:1 imports fulfilstation.documents.labels.render_zpl",
        "drivers/scale/tested.py:1 imports tests.support.zpl",
        "drivers/scale/tested.py:1 imports tests.support.zpl.render_zpl",
        "ui/bad.py:1 imports fulfilstation.db",
        "ui/bad.py:2 imports sqlalchemy.orm",
        "fulfilstation/integrations/bad.py:1 imports fulfilstation.db.models",
        "fulfilstation/integrations/bad.py:1 imports fulfilstation.db.models.Order",
    ]
