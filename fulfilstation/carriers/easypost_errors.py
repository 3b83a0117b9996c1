"""EasyPost failures in words a warehouse user can act on.

Invariant: a message never contains the API key (the SDK's errors do not carry request
headers, and nothing here adds them). ``uncertain`` is set when EasyPost may have done
what was asked although no answer arrived (timeouts, dropped connections, its own server
errors): the caller must look before asking again.
"""

from __future__ import annotations

from typing import Any

from easypost.errors.api.api_error import ApiError
from easypost.errors.api.forbidden_error import ForbiddenError
from easypost.errors.api.gateway_timeout_error import GatewayTimeoutError
from easypost.errors.api.http_error import HttpError
from easypost.errors.api.internal_server_error import InternalServerError
from easypost.errors.api.payment_error import PaymentError
from easypost.errors.api.rate_limit_error import RateLimitError
from easypost.errors.api.service_unavailable_error import ServiceUnavailableError
from easypost.errors.api.timeout_error import TimeoutError
from easypost.errors.api.unauthorized_error import UnauthorizedError
from easypost.errors.general.easypost_error import EasyPostError


class EasyPostProblem(Exception):
    """``str(problem)`` is the sentence to show; ``code`` is EasyPost's error code, if any."""

    def __init__(self, message: str, *, uncertain: bool = False, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.uncertain = uncertain
        self.code = code


def describe(exc: EasyPostError, action: str, timeout_s: int) -> EasyPostProblem:
    """Turn an SDK error raised while trying to ``action`` into an ``EasyPostProblem``."""
    if isinstance(exc, (TimeoutError, GatewayTimeoutError)):
        return EasyPostProblem(f"EasyPost did not answer within {timeout_s} s when asked to {action}. It may have "
                               "done it: try again, and FulfilStation will look for it before doing it twice.",
                               uncertain=True)
    if isinstance(exc, HttpError):
        return EasyPostProblem(f"Cannot reach EasyPost to {action}: check this computer's internet connection, "
                               "then try again.", uncertain=True)
    if not isinstance(exc, ApiError):
        return EasyPostProblem(f"EasyPost could not {action}: {exc.message}")
    code, detail = exc.code or "", _detail(exc)
    if isinstance(exc, (UnauthorizedError, ForbiddenError)):
        return EasyPostProblem("EasyPost refused the API key of this carrier account. Store the right key with "
                               "'fulfilstation carriers set-key ACCOUNT' (it is kept in this computer's password "
                               "store).", code=code)
    if isinstance(exc, PaymentError):
        return EasyPostProblem(f"EasyPost refused the purchase for lack of funds: {detail}. Add funds or a payment "
                               "method in the EasyPost dashboard, then try again.", code=code)
    if isinstance(exc, RateLimitError):
        return EasyPostProblem("EasyPost is receiving too many requests from this account: wait a minute, then try "
                               "again.", code=code)
    if isinstance(exc, (InternalServerError, ServiceUnavailableError)):
        return EasyPostProblem(f"EasyPost has a problem of its own ({detail}). Try again in a few minutes.",
                               uncertain=True, code=code)
    if code.upper().startswith("ADDRESS") or "address" in _fields(exc):
        return EasyPostProblem(f"EasyPost refused the address: {detail}. Correct the address on the order, then "
                               "try again.", code=code)
    return EasyPostProblem(f"EasyPost refused to {action}: {detail}.", code=code)


def _detail(exc: ApiError) -> str:
    parts = [exc.message.rstrip(".")] if exc.message else []
    for error in exc.errors or ():
        text = _error_text(error)
        if text and text not in parts:
            parts.append(text)
    return "; ".join(parts) or "no reason given"


def _error_text(error: Any) -> str:
    if isinstance(error, dict):
        field, message = error.get("field"), error.get("message")
        return f"{field}: {message}" if field and message else str(message or "")
    return str(error)


def _fields(exc: ApiError) -> set[str]:
    errors: list[Any] = list(exc.errors or ())  # typed as texts by the SDK, objects on the wire
    return {str(e.get("field", "")).split(".")[0].lower() for e in errors if isinstance(e, dict)}
