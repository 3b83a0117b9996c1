"""Asking several carrier accounts for live rates at once, each within a time limit.

``ask_accounts`` hands one ``RateRequest`` to every account's gateway in parallel (a thread
per account) and waits at most ``timeout_s`` for the carriers. What it returns says, per account,
either the carrier's rates or why the account is left out, in words a packer can read:
the carrier's own error text, or that it did not answer in time.

Invariants:

* Never call it inside a database transaction or on the GUI thread: it blocks for up to
  ``timeout_s`` (more the first time, see below; the ship use case calls it on its worker,
  before the ship transaction).
* Two bounded steps, both in parallel across the accounts: each account's gateway is built
  (local work: the SDK and the carrier's extension loaded — seconds, the first time in a
  process —, secrets read from the OS keyring), at most ``build_timeout_s``; then every
  gateway built is asked for rates, and ``timeout_s`` later the answers are taken as they
  are: the site's time limit is the carriers'. A gateway still talking then is abandoned (its
  thread ends when the gateway's own timeout, given the same ``timeout_s``, runs out); its
  answer, if one comes, is ignored.
* Never raises for an account: every failure, whatever the exception, becomes its reason.
  Secrets never appear in a reason (gateways keep them out of ``CarrierProblem``; any other
  exception is named by its type only).
* Pure: no database, no Qt. Gateways are made by the ``make`` callable of each account, in
  a worker thread.
"""

from __future__ import annotations

import concurrent.futures as cf
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from fulfilstation.carriers.gateway import CarrierGateway, CarrierProblem, LiveRate, RateRequest

DEFAULT_TIMEOUT_S = 4.0
CARRIER_TEXT_MAX = 200
_TAG = re.compile(r"<[^>]*>")
BUILD_TIMEOUT_S = 30.0


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


def ask_accounts(accounts: Sequence[AccountToAsk], request: RateRequest, timeout_s: float,
                 build_timeout_s: float = BUILD_TIMEOUT_S) -> LiveAnswers:
    """Ask every account for rates in parallel; return within ``build_timeout_s`` +
    ``timeout_s`` (see module doc)."""
    if not accounts:
        return NO_ACCOUNTS
    rates: dict[int, tuple[LiveRate, ...]] = {}
    left_out: dict[int, str] = {}
    pool = cf.ThreadPoolExecutor(max_workers=len(accounts), thread_name_prefix="live-rates")
    try:
        builds = {pool.submit(_build, account, timeout_s): account for account in accounts}
        cf.wait(builds, timeout=build_timeout_s)
        asks: dict[cf.Future[tuple[LiveRate, ...] | str], AccountToAsk] = {}
        for future, account in builds.items():
            built = future.result() if future.done() else f"could not be set up within {_seconds(build_timeout_s)}"
            if isinstance(built, str):
                left_out[account.account_id] = built
            else:
                asks[pool.submit(_ask, built, account.request or request)] = account
        cf.wait(asks, timeout=timeout_s)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    for ask, account in asks.items():
        answer = ask.result() if ask.done() else f"did not answer within {_seconds(timeout_s)}"
        if isinstance(answer, str):
            left_out[account.account_id] = answer
        else:
            rates[account.account_id] = answer
    return LiveAnswers({a.account_id: a.name for a in accounts}, rates, left_out)


def _build(account: AccountToAsk, timeout_s: float) -> CarrierGateway | str:
    """The account's gateway, or why it cannot be had (a sentence)."""
    try:
        return account.make(timeout_s)
    except CarrierProblem as problem:
        return problem_words(problem)
    except Exception as exc:  # noqa: BLE001 - one account's failure leaves only that account out
        return f"its gateway could not be set up ({type(exc).__name__})"


def _ask(gateway: CarrierGateway, request: RateRequest) -> tuple[LiveRate, ...] | str:
    """The carrier's rates, or why there are none (a sentence)."""
    try:
        return tuple(gateway.rates(request))
    except CarrierProblem as problem:
        return problem_words(problem)
    except Exception as exc:  # noqa: BLE001 - any failure of one account leaves only that account out
        return f"its gateway failed ({type(exc).__name__})"


def problem_words(problem: CarrierProblem) -> str:
    """The problem's message, with the carrier's own text when it sent any (an error page's
    markup taken out, at most ``CARRIER_TEXT_MAX`` characters)."""
    words = problem.message.rstrip(".")
    text = carrier_words(problem.carrier_text)
    if text and text not in words:
        words = f"{words} (the carrier said: {text})"
    return words


def carrier_words(text: str | None) -> str:
    """A carrier's error text as a line of words: tags out, spaces folded, cut at a word."""
    plain = " ".join(_TAG.sub(" ", text or "").split())
    if len(plain) <= CARRIER_TEXT_MAX:
        return plain
    return plain[:CARRIER_TEXT_MAX].rsplit(" ", 1)[0] + " …"


def _seconds(timeout_s: float) -> str:
    return f"{timeout_s:g} s"
