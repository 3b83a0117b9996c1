"""A PC's time zone as the reports find it, made up in a temporary folder: a zone file at
``usr/share/zoneinfo/<name>`` and ``etc/localtime`` linking to it (the name is the zone; the file's
content is never read)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fulfilstation.services.reports import settings as report_settings


def zone_file(root: Path, name: str) -> Path:
    """A file at ``root/usr/share/zoneinfo/<name>``."""
    path = root / "usr" / "share" / "zoneinfo" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"TZif")
    return path


def link(root: Path, target: Path) -> Path:
    """``root/etc/localtime`` linking to ``target``."""
    localtime = root / "etc" / "localtime"
    localtime.parent.mkdir(parents=True, exist_ok=True)
    localtime.symlink_to(target)
    return localtime


def pretend_machine_zone(monkeypatch: pytest.MonkeyPatch, root: Path, name: str, tz: str | None) -> None:
    """This PC's zone is ``name`` by its ``/etc/localtime`` link, with ``TZ`` set to ``tz`` (None: unset)."""
    monkeypatch.setattr(report_settings, "LOCALTIME", link(root, zone_file(root, name)))
    if tz is None:
        monkeypatch.delenv("TZ", raising=False)
    else:
        monkeypatch.setenv("TZ", tz)
