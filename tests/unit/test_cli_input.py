"""Whatever a user types, the command line answers in words: a hypothesis test drives the
argument parsing (and the start of every command, against a database file that does not
exist) and asserts that no traceback and no unexpected error reaches the user, and that
nothing is created for a command that only reads."""

from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fulfilstation.cli.app import build_parser, run

#: commands that would wait for a person (a PIN typed twice, a key on stdin, a password)
#: or build a database on purpose: everything else is driven.
NOT_DRIVEN = {("db", "upgrade"), ("db", "revision"), ("db", "set-url"), ("db", "set-password"),
              ("demo", "seed"), ("users", "create-owner"), ("users", "add"), ("users", "set-pin"),
              ("carriers", "set-key"), ("pack",), ("simulate", "scale"), ("simulate", "printer")}

TRICKY = ["1e308", "-1e308", "nan", "NaN", "inf", "-inf", "-1", "0", "1", "99999999999999999999999", "", " ",
          "1,000", "0x10", "1.5", "2026-02-30", "9999-12-31", "SO-1001", "ups/ground", "\udcff\udcfe",
          "postgresql://u:hunter2x@host:abc/db", "postgresql://u:hunter2x@[::1/db", "sqlite:///",
          "postgresql://u@h/db?password=hunter2x", "serial:///dev/null?protocol=nci&capacity=1e308kg",
          "hid://zzzz:1", "tcp://[::1:9100", "-", "--", "%", "ａｂｃ", "1e308lb", "nan kg"]


def _commands() -> list[tuple[tuple[str, ...], list[str], int]]:
    """(command words, option strings, number of positionals) of every driven command."""
    found: list[tuple[tuple[str, ...], list[str], int]] = []

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if subs:
            for name, sub in subs[0].choices.items():
                walk(sub, (*path, name))
            return
        if path in NOT_DRIVEN:
            return
        options = [a.option_strings[-1] for a in parser._actions if a.option_strings and "-h" not in a.option_strings]
        found.append((path, options, sum(1 for a in parser._actions if not a.option_strings)))

    walk(build_parser(), ())
    return found


COMMANDS = _commands()
#: what a shell can pass: any text but NUL (argv entries are C strings), and lone surrogates
#: (how Python hands over bytes that are not UTF-8)
VALUES = st.one_of(st.sampled_from(TRICKY), st.text(st.characters(exclude_characters="\x00"), max_size=12),
                   st.text(st.characters(codec=None, categories=["Cs", "Lo", "Nd", "Po"]), max_size=6))


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    path, options, positionals = draw(st.sampled_from(COMMANDS))
    argv = list(path) + [draw(VALUES) for _ in range(draw(st.integers(0, positionals + 1)))]
    for option in draw(st.lists(st.sampled_from(options), max_size=4)) if options else []:
        argv += [option, draw(VALUES)] if draw(st.booleans()) else [option]
    return argv


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(argv=command_lines())
@example(argv=["orders", "list", "--db", "postgresql://u:hunter2x@h/db", "--status", "postgresql://u:hunter2x@h/db"])
def test_no_traceback_whatever_is_typed(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        missing = Path(folder) / "not-here"
        argv = ["--db", f"sqlite:///{missing}/station.sqlite3", *argv]  # before the command: every one takes it
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = run(argv)
            except SystemExit as exit_:  # argparse: usage errors (2) and --help (0)
                code = exit_.code if isinstance(exit_.code, int) else 2
        shown = out.getvalue() + err.getvalue()
        assert "Traceback" not in shown, shown
        assert code in (0, 1, 2), (code, shown)
        if any(before == "--db" and "hunter2x" in url for before, url in zip(argv, argv[1:], strict=False)):
            assert "hunter2x" not in shown, shown  # a password in the database URL is never shown
        assert not missing.exists(), "a command created the database's folder"
