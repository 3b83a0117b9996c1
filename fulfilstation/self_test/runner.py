"""Run the self-test's checks and say each result on one line.

Invariants: every check runs, whatever the others did (they share nothing), and each prints
exactly one line ``ok   NAME: what it showed`` or ``FAIL NAME: what went wrong``; a check that
raises is a failure with the exception's first line, never a traceback. The exit status is
0 only when every check passed; otherwise the last line names the failed checks.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

#: A check returns what it showed ("migrated to 0016"); it raises to fail.
CheckFunction = Callable[[], str]

PASSED = 0
FAILED = 1


class CheckFailed(Exception):
    """A check's own plain-language failure (the message is printed as it is)."""


@dataclass(frozen=True)
class Check:
    name: str
    run: CheckFunction


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    detail: str
    seconds: float

    def line(self) -> str:
        return f"{'ok  ' if self.passed else 'FAIL'} {self.name}: {self.detail} ({self.seconds:.1f} s)"


def run_check(check: Check) -> CheckResult:
    started = time.monotonic()
    try:
        detail = check.run()
        passed = True
    except CheckFailed as failure:
        detail, passed = str(failure), False
    except Exception as exc:  # a check is a question: any failure is its answer
        first = str(exc).splitlines()[0] if str(exc) else ""
        detail, passed = f"{type(exc).__name__}: {first}".rstrip(": "), False
    return CheckResult(check.name, passed, detail, time.monotonic() - started)


def run_checks(checks: Sequence[Check], out: TextIO, heading: str) -> int:
    """Run ``checks`` in order, printing ``heading``, one line each and a verdict; the exit status."""
    print(heading, file=out, flush=True)
    results = []
    for check in checks:
        result = run_check(check)
        results.append(result)
        print(result.line(), file=out, flush=True)
    failed = [result.name for result in results if not result.passed]
    if failed:
        print(f"self-test FAILED at {', '.join(failed)}: see the FAIL line above for what went wrong and what "
              "to do; reinstall FulfilStation if a file of the installation is missing.", file=out, flush=True)
        return FAILED
    print(f"self-test passed: {len(results)} of {len(results)} checks", file=out, flush=True)
    return PASSED
