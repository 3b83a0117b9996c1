"""One call's outcome in words: karrio's messages plus what happened on the wire →
``CarrierProblem``.

The order of the verdict (first match wins):

1. A request got no answer (timeout, dropped connection): "did not answer", ``uncertain``
   unless it was a token request or surely never sent (refused, unknown host) — the carrier
   may have acted on it.
2. A 5xx answer: "the carrier's server failed"; ``uncertain`` only for a purchase
   (``buying``) whose purchase request itself got the 5xx — the label may exist.
3. The carrier's own error messages (karrio ``Message``s with the carrier's codes): "refused",
   ``carrier_text`` is their text as sent.
4. karrio could not read a successful answer (malformed JSON and the like: its
   ``SHIPPING_SDK_…`` codes after a 2xx): "the reply could not be read"; ``uncertain`` for
   a purchase, since the label was probably made.
5. karrio refused before sending (an SDK code, no request made): "cannot do this".

Warnings never fail a call. Secrets never reach a message: only the carrier's words, codes,
HTTP statuses and our own sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fulfilstation.carriers.gateway import CarrierProblem
from fulfilstation.carriers.karrio_gateway.transport import CallRecord, Exchange

_SDK_PREFIX = "SHIPPING_SDK_"


def error_messages(messages: Sequence[Any]) -> list[Any]:
    """karrio messages that are errors (not warnings or notes)."""
    return [m for m in messages or () if (getattr(m, "level", None) or "error").lower() not in ("warning", "info")]


def carrier_text(messages: Sequence[Any]) -> str | None:
    """The carrier's own words: each message's text, with its code in brackets."""
    parts = []
    for message in messages:
        text = str(getattr(message, "message", "") or "").strip()
        code = str(getattr(message, "code", "") or "").strip()
        parts.append(f"{text} [{code}]" if text and code else text or code)
    joined = "; ".join(p for p in parts if p)
    return joined or None


def problem(label: str, record: CallRecord, messages: Sequence[Any], *, action: str,
            buying: bool = False) -> CarrierProblem:
    """The ``CarrierProblem`` for a call to ``label`` (e.g. "UPS") that did not succeed.
    ``action`` names what was asked, e.g. "rates", "the label"."""
    errors = error_messages(messages)
    exchanges = record.exchanges
    unanswered = next((e for e in exchanges if e.unanswered), None)
    if unanswered is not None:
        return _no_answer(label, record, unanswered, action=action)
    server_error = next((e for e in exchanges if e.status is not None and e.status >= 500), None)
    if server_error is not None:
        return CarrierProblem(
            f"{label}'s server failed while asked for {action} (HTTP {server_error.status}). Try again in a few "
            "minutes" + ("; first check whether the label was made." if buying and not server_error.auth else "."),
            uncertain=buying and not server_error.auth,
            carrier_text=carrier_text([m for m in errors if not _is_sdk(m)]) or _body_text(server_error))
    carrier_errors = [m for m in errors if not _is_sdk(m)]
    if carrier_errors:
        return CarrierProblem(f"{label} refused the request for {action}: {carrier_text(carrier_errors)}",
                              carrier_text=carrier_text(carrier_errors))
    refused = next((e for e in exchanges if e.status is not None and e.status >= 400), None)
    if refused is not None:
        return CarrierProblem(f"{label} refused the request for {action} (HTTP {refused.status}).",
                              carrier_text=_body_text(refused))
    sdk = carrier_text(errors)
    answered = [e for e in exchanges if e.status is not None and not e.auth]
    if answered:
        return CarrierProblem(
            f"{label}'s reply about {action} could not be read ({sdk or 'no result in it'}). "
            + ("The label may have been made: check before buying again." if buying else "Try again later."),
            uncertain=buying, carrier_text=sdk)
    return CarrierProblem(f"{label} cannot do this ({action}): {sdk or 'karrio gave no reason'}", carrier_text=sdk)


def _no_answer(label: str, record: CallRecord, exchange: Exchange, *, action: str) -> CarrierProblem:
    reason = _reason(exchange.error)
    if exchange.never_sent:
        return CarrierProblem(f"Could not reach {label} for {action} ({reason}). Check the network and the "
                              "account's server settings.")
    uncertain = not exchange.auth
    tail = " The carrier may have acted on it: check before trying again." if uncertain else ""
    return CarrierProblem(f"{label} did not answer about {action} within {record.timeout_s:g} s ({reason}).{tail}",
                          uncertain=uncertain)


def _reason(error: BaseException | None) -> str:
    inner = getattr(error, "reason", None)
    if isinstance(inner, BaseException):
        error = inner
    if isinstance(error, TimeoutError):
        return "timed out"
    return str(error) or type(error).__name__ if error is not None else "no answer"


def _is_sdk(message: Any) -> bool:
    """karrio's own complaint (it could not build the request or read the reply), not the
    carrier's: its codes start with SHIPPING_SDK_ (some extensions nest them in the code)."""
    return _SDK_PREFIX in f"{getattr(message, 'code', '')} {getattr(message, 'message', '')}"


def _body_text(exchange: Exchange) -> str | None:
    text = " ".join(exchange.body.split())
    return text[:500] or None
