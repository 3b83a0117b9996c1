"""Asking several carrier accounts for live rates at once, each within a time limit.

``ask_accounts`` hands one ``RateRequest`` to every account's gateway in parallel (a thread
per account) and waits at most ``timeout_s`` in all. What it returns says, per account,
either the carrier's rates or why the account is left out, in words a packer can read:
the carrier's own error text, or that it did not answer in time.

Invariants:

* Never call it inside a database transaction or on the GUI thread: it blocks for up to
  ``timeout_s`` (the ship use case calls it on its worker, before the ship transaction).
* Bounded: it returns after ``timeout_s`` whatever the gateways do. A gateway still
  talking then is abandoned (its thread ends when the gateway's own timeout, given the same
  ``timeout_s``, runs out); its answer, if one comes, is ignored.
* Never raises for an account: every failure, whatever the exception, becomes its reason.
  Secrets never appear in a reason (gateways keep them out of ``CarrierProblem``; any other
  exception is named by its type only).
* Pure: no database, no Qt. Gateways are made by the ``make`` callable of each account, in
  the worker thread, so reading a key from the OS keyring counts against the time limit too.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from fulfilstation.carriers.gateway import CarrierGateway, CarrierProblem, LiveRate, RateRequest

DEFAULT_TIMEOUT_S = 4.0


@dataclass(frozen=True)
class AccountToAsk:
    """One carrier account to ask: its id and name, how to make its gateway (called with
    the time limit in seconds, in a worker thread) and, when it differs from the one asked of
    every account (its own origin), its own request."""

    account_id: int
    name: str
    make: Callable[[float], CarrierGateway]
    request: RateRequest | None = None


@dataclass(frozen=True)
class LiveAnswers:
    """What the accounts answered: ``rates`` by account id for each account that answered (an
    empty tuple: it answered with no service for this shipment), ``left_out`` by account id
    with the reason for each account that did not. ``asked`` names every account asked."""

    asked: Mapping[int, str] = field(default_factory=dict)
    rates: Mapping[int, tuple[LiveRate, ...]] = field(default_factory=dict)
    left_out: Mapping[int, str] = field(default_factory=dict)

    @property
    def any_answered(self) -> bool:
        return bool(self.rates)

    def left_out_words(self) -> tuple[str, ...]:
        """``"UPS main: did not answer within 4 s"`` for each account left out, by name."""
        return tuple(f"{self.asked.get(i, f'account {i}')}: {why}"
                     for i, why in sorted(self.left_out.items(), key=lambda kv: self.asked.get(kv[0], "")))


NO_ACCOUNTS = LiveAnswers()


def ask_accounts(accounts: Sequence[AccountToAsk], request: RateRequest, timeout_s: float) -> LiveAnswers:
    """Ask every account for rates in parallel; return within ``timeout_s`` (see module doc)."""
    if not accounts:
        return NO_ACCOUNTS
    pool = cf.ThreadPoolExecutor(max_workers=len(accounts), thread_name_prefix="live-rates")
    try:
        futures = {pool.submit(_ask, account, account.request or request, timeout_s): account for account in accounts}
        cf.wait(futures, timeout=timeout_s)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    rates: dict[int, tuple[LiveRate, ...]] = {}
    left_out: dict[int, str] = {}
    for future, account in futures.items():
        if not future.done() or future.cancelled():
            left_out[account.account_id] = f"did not answer within {_seconds(timeout_s)}"
            continue
        answer = future.result()  # _ask never raises
        if isinstance(answer, str):
            left_out[account.account_id] = answer
        else:
            rates[account.account_id] = answer
    return LiveAnswers({a.account_id: a.name for a in accounts}, rates, left_out)


def _ask(account: AccountToAsk, request: RateRequest, timeout_s: float) -> tuple[LiveRate, ...] | str:
    """The account's rates, or why there are none (a sentence)."""
    try:
        return tuple(account.make(timeout_s).rates(request))
    except CarrierProblem as problem:
        return problem_words(problem)
    except Exception as exc:  # noqa: BLE001 - any failure of one account leaves only that account out
        return f"its gateway failed ({type(exc).__name__})"


def problem_words(problem: CarrierProblem) -> str:
    """The problem's message, with the carrier's own text when it sent one."""
    words = problem.message.rstrip(".")
    if problem.carrier_text and problem.carrier_text not in words:
        words = f"{words} (the carrier said: {problem.carrier_text})"
    return words


def _seconds(timeout_s: float) -> str:
    return f"{timeout_s:g} s"
