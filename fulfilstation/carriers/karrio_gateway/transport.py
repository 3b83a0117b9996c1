"""Bounded, observed HTTP for karrio calls: the one seam between karrio and the network.

karrio's carrier proxies send every request through ``karrio.lib.request`` (or
``request_with_response``) without a timeout, and karrio's fluent API turns every failure
(a timeout, a 5xx page it cannot parse) into a plain message. A gateway needs both a bound
and the facts. ``install()`` wraps those two functions once per process; the wrapper acts
only for requests whose ``trace`` belongs to settings carrying a ``CallRecord`` (``bind``),
so karrio used by anything else is untouched. For such a request it:

* gives the socket the time left of the call (``CallRecord.deadline``), never more, refuses
  to start a request once the time is up, and turns off karrio's own retries (some extensions
  retry token requests after 1 s and 2 s): whether to try again is the caller's decision;
* records an ``Exchange`` per request: the URL, the HTTP status (200 stands for any success),
  the error when no answer came, and the start of an error body (the carrier's own words).

The record is per call (one gateway operation), shared by karrio's worker threads (tracking
fans out over a pool): ``add`` is under a lock. Bodies are kept only in memory, for the
error text and the label cost, and never logged.
"""

from __future__ import annotations

import functools
import http.client
import importlib
import io
import re
import socket
import threading
import time
import urllib.error
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_ATTRIBUTE = "_fulfilstation_call"
_AUTH_PATH = re.compile(r"oauth|/token\b|/token$|/auth|/login|payment-authorization", re.IGNORECASE)
_install_lock = threading.Lock()
_installed = False


@dataclass(frozen=True)
class Exchange:
    """One HTTP request of a call. ``status`` None: no answer came (``error`` says why)."""

    url: str
    status: int | None
    error: BaseException | None = None
    body: str = ""  # an error answer's text (first 2,000 characters) or a success's text

    @property
    def auth(self) -> bool:
        """A token or login request: nothing is bought by it."""
        return bool(_AUTH_PATH.search(self.url.split("?")[0]))

    @property
    def unanswered(self) -> bool:
        return self.status is None

    @property
    def never_sent(self) -> bool:
        """The request surely did not reach the carrier (refused, no such host, no time left)."""
        error = self.error
        if isinstance(error, urllib.error.URLError) and not isinstance(error, urllib.error.HTTPError):
            error = error.reason if isinstance(error.reason, BaseException) else None
        return isinstance(error, ConnectionRefusedError | socket.gaierror | _NoTimeLeft)


class _NoTimeLeft(TimeoutError):
    """The call's time was used up before this request could start."""


class CallRecord:
    """What happened on the wire during one gateway call, and its deadline."""

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self.deadline = time.monotonic() + timeout_s
        self._lock = threading.Lock()
        self._exchanges: list[Exchange] = []

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def add(self, exchange: Exchange) -> None:
        with self._lock:
            self._exchanges.append(exchange)

    @property
    def exchanges(self) -> tuple[Exchange, ...]:
        with self._lock:
            return tuple(self._exchanges)


def bind(settings: Any, record: CallRecord) -> None:
    """Route the requests made with ``settings`` through ``record`` (bounded and recorded)."""
    install()
    setattr(settings, _ATTRIBUTE, record)


def install() -> None:
    """Wrap karrio's request helpers (once per process; idempotent, thread-safe)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        lib = importlib.import_module("karrio.lib")
        for name, returns_response in (("request", False), ("request_with_response", True)):
            setattr(lib, name, _bounded(getattr(lib, name), returns_response=returns_response))
        _installed = True


def _record_of(trace: object) -> CallRecord | None:
    func = getattr(trace, "func", trace)  # karrio passes functools.partial(settings.trace, ...)
    owner = getattr(func, "__self__", None)
    record = getattr(owner, _ATTRIBUTE, None)
    return record if isinstance(record, CallRecord) else None


def _bounded(original: Callable[..., Any], *, returns_response: bool) -> Callable[..., Any]:
    @functools.wraps(original)
    def request(*args: Any, trace: Any = None, timeout: float | None = None, on_error: Any = None,
                **kwargs: Any) -> Any:
        record = _record_of(trace)
        if record is None:
            return original(*args, trace=trace, timeout=timeout, on_error=on_error, **kwargs)
        url = str(kwargs.get("url") or "")
        remaining = record.remaining()
        if remaining <= 0:
            error = _NoTimeLeft(f"no answer within {record.timeout_s:g} s")
            record.add(Exchange(url, None, error))
            raise error
        errors_seen: list[Exchange] = []
        kwargs["max_retries"] = 0  # karrio's own retries (1 s, 2 s …) would outlive the deadline

        def seen_error(error: urllib.error.HTTPError) -> Any:
            body = error.read() or b""
            errors_seen.append(Exchange(url, error.code, None, body[:2000].decode("utf-8", "replace")))
            again = urllib.error.HTTPError(error.url, error.code, error.msg, error.hdrs, io.BytesIO(body))
            if on_error is not None:
                return on_error(again)
            return body.decode("utf-8", "replace")

        try:
            result = original(*args, trace=trace, timeout=min(timeout or remaining, remaining),
                              on_error=seen_error, **kwargs)
        except (OSError, http.client.HTTPException) as error:
            record.add(Exchange(url, None, error))
            raise
        except Exception:
            for exchange in errors_seen[-1:]:
                record.add(exchange)
            raise
        if errors_seen:
            record.add(errors_seen[-1])
        else:
            content = result.content if returns_response else result
            record.add(Exchange(url, 200, None, content if isinstance(content, str) else ""))
        return result

    return request
