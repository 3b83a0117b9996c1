"""Where documents land: slips in the person's Documents folder, a folder per station;
manifests in their data folder — never a shared temporary folder."""

from __future__ import annotations

import tempfile
from pathlib import Path

import platformdirs
import pytest

from fulfilstation import paths


def test_documents_are_the_persons_own_and_per_station(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FULFIL_DOCUMENTS_DIR", raising=False)
    root = paths.documents_dir()
    assert root == Path(platformdirs.user_documents_dir()) / "FulfilStation"
    assert paths.station_documents_dir(root, "PACK-1") == root / "PACK-1"
    assert paths.station_documents_dir(root, "Bench 2/left") == root / "Bench-2-left"
    assert paths.station_documents_dir(root, "..") == root / "station"


def test_the_override_and_the_manifests_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FULFIL_DOCUMENTS_DIR", str(tmp_path / "docs"))
    assert paths.documents_dir() == tmp_path / "docs"
    monkeypatch.delenv("FULFIL_DATA_DIR", raising=False)
    manifests = paths.manifests_dir()
    assert manifests == Path(platformdirs.user_data_dir("FulfilStation", appauthor=False)) / "manifests"
    assert not str(manifests).startswith(tempfile.gettempdir())
