"""The system file opener claims to open a file only when a viewer took it: a missing
``xdg-open``, or one that fails at once, is an ``OSError`` in words (real processes: an
``xdg-open`` script on a PATH of our own)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fulfilstation.files import NoViewer, SystemFileOpener

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Windows opens through os.startfile")


def fake_opener(folder: Path, script: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("xdg-open", "open"):
        path = folder / name
        path.write_text("#!/bin/sh\n" + script + "\n")
        path.chmod(0o755)


def test_no_opener_at_all_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(NoViewer, match="no PDF viewer was found"):
        SystemFileOpener().open(str(tmp_path / "m.pdf"))


def test_an_opener_that_finds_no_program_is_not_a_viewer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_opener(tmp_path / "bin", "exit 3")  # xdg-open: "a required tool could not be found"
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(NoViewer, match="could show"):
        SystemFileOpener().open(str(tmp_path / "m.pdf"))


def test_a_viewer_that_takes_the_file_is_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = tmp_path / "seen"
    fake_opener(tmp_path / "bin", f'echo "$1" > "{seen}"')
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    SystemFileOpener().open(str(tmp_path / "m.pdf"))
    assert seen.read_text().strip() == str(tmp_path / "m.pdf")
