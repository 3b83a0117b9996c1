"""``write_whole`` (the daily report PDF, the product export): the file a manager shares is
readable as any file written here (the umask decides, not ``mkstemp``'s 0600), and a path that
is not a regular file (a device, a pipe) is refused instead of replaced by the rename."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from fulfilstation.cli.context import CommandError
from fulfilstation.cli.export_commands import write_whole

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes and pipes")


@posix_only
@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_the_file_has_the_mode_the_umask_gives(tmp_path: Path, mask: int, mode: int) -> None:
    out = tmp_path / "daily.pdf"
    before = os.umask(mask)
    try:
        write_whole(out, b"%PDF-1.4 the day")
        assert os.umask(mask) == mask  # left as it was
    finally:
        os.umask(before)
    assert out.read_bytes() == b"%PDF-1.4 the day"
    assert stat.S_IMODE(out.stat().st_mode) == mode


@posix_only
def test_a_pipe_is_refused_not_replaced(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(CommandError, match="not a regular file") as refused:
        write_whole(pipe, b"x")
    assert refused.value.code == 1
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temporary left behind


def test_an_existing_file_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "products.csv"
    out.write_bytes(b"old, longer than the new one")
    write_whole(out, b"new")
    assert out.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["products.csv"]
