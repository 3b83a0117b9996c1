"""Every ``fulfilstation count`` subcommand's --help prints (argparse %-formats help texts: a
bare "%" crashed ``count rules --help``)."""

from __future__ import annotations

import argparse
import contextlib
import io

import pytest

from fulfilstation.cli.app import build_parser


def _count_subcommands() -> list[str]:
    parser = build_parser()
    top = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    count = top.choices["count"]
    sub = next(a for a in count._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


@pytest.mark.parametrize("command", ["", *_count_subcommands()])
def test_every_count_subcommand_prints_its_help(command: str) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["count", *([command] if command else []), "--help"])
    assert exited.value.code == 0 and "usage:" in out.getvalue()
    if command == "rules":
        assert "top N % of shipped value" in out.getvalue()
