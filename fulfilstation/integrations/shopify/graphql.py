"""A blocking client for Shopify's GraphQL Admin API (``POST …/admin/api/2025-01/graphql.json``).

Every failure becomes a ``ChannelError`` in plain words:

* HTTP 429 (``Retry-After`` honoured), 5xx, a timeout, a refused or dropped connection and
  an answer that is not JSON are *retryable* (a dropped connection after a mutation may
  mean Shopify acted: callers look before acting again);
* 401/403 ("Shopify refused the access token: …") and 404 (no such shop) are not;
* a top-level ``errors`` entry with ``extensions.code == "THROTTLED"`` is retryable, with
  ``retry_after`` = (requested cost − currently available) / restore rate from
  ``extensions.cost.throttleStatus``; other GraphQL errors are not retryable (unless Shopify
  calls them an internal error).

The query-cost bucket. Shopify answers every query with ``extensions.cost``: the cost it
asked for (``requestedQueryCost``) and the bucket after it (``throttleStatus``:
``currentlyAvailable`` points of ``maximumAvailable``, refilled at ``restoreRate`` a second).
The client remembers the last bucket and the requested cost of each query text (until then
the caller's estimate), and before sending a query it expects to be throttled it waits
(through the injected ``sleep``) until the bucket should hold enough. The bucket is shared
by everything using the app's token on that shop (our other threads too), so a query may
still be throttled: when Shopify's wait is at most ``MAX_THROTTLE_WAIT`` it waits and sends
it once more (a throttled query or mutation was not carried out), else it raises.

Threading: one client per thread (it keeps the bucket without a lock); the sync and the
outbox worker each build their own adapter. The token is sent in ``X-Shopify-Access-Token``
and never appears in a message or a repr.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fulfilstation.integrations.ports import SETUP_RETRY_SECONDS, ChannelError

API_VERSION = "2025-01"
DEFAULT_COST = 10.0  # a mutation's cost, as Shopify documents it
SAFETY_POINTS = 2.0  # waited for beyond the cost: the bucket is reported rounded
MAX_THROTTLE_WAIT = 20.0  # a throttled query is retried once when the wait is no longer

Sleep = Callable[[float], None]
Clock = Callable[[], float]


@dataclass
class Bucket:
    """Shopify's leaky bucket as last reported, and when (``clock`` seconds)."""

    available: float
    maximum: float
    restore_rate: float
    seen_at: float

    def now(self, at: float) -> float:
        return min(self.maximum, self.available + self.restore_rate * max(0.0, at - self.seen_at))

    def wait_for(self, cost: float, at: float) -> float:
        """Seconds until ``cost`` points should be available (0: at once)."""
        if self.restore_rate <= 0 or cost > self.maximum:
            return 0.0
        missing = cost - self.now(at)
        return missing / self.restore_rate if missing > 0 else 0.0


def endpoint_for(base_url: str) -> str:
    """``https://shop.myshopify.com`` (or ``shop.myshopify.com``, or just ``shop``) → the
    GraphQL endpoint of API version ``API_VERSION``."""
    base = base_url.strip().rstrip("/")
    if "://" not in base:
        base = f"https://{base}" if "." in base or ":" in base else f"https://{base}.myshopify.com"
    return f"{base}/admin/api/{API_VERSION}/graphql.json"


class GraphQLClient:
    """Sends one GraphQL document at a time and returns its ``data``."""

    def __init__(self, endpoint: str, token: str, *, timeout: float, sleep: Sleep = time.sleep,
                 clock: Clock = time.monotonic) -> None:
        self.endpoint = endpoint
        self._token = token
        self.timeout = timeout
        self._sleep = sleep
        self._clock = clock
        self.bucket: Bucket | None = None
        self._costs: dict[str, float] = {}
        self.waited = 0.0  # seconds spent waiting for the bucket (for reports and tests)

    def __repr__(self) -> str:
        return f"GraphQLClient(endpoint={self.endpoint!r})"  # never the token

    def execute(self, query: str, variables: Mapping[str, Any] | None = None, *,
                what: str = "talk to Shopify", cost: float = DEFAULT_COST) -> dict[str, Any]:
        """``data`` of the answer; ``what`` names the action in error messages; ``cost`` is
        the expected requested cost until Shopify has reported the real one."""
        body = json.dumps({"query": query, "variables": dict(variables or {})}).encode()
        for attempt in (1, 2):
            self._pace(query, cost)
            answer = self._post(body, what)
            self._note_cost(query, answer)
            errors = answer.get("errors")
            if not errors:
                break
            error = self._graphql_error(errors, answer, what)
            if attempt == 2 or not _throttled(errors) or error.retry_after is None \
                    or error.retry_after > MAX_THROTTLE_WAIT:
                raise error
            # someone else (another of our threads) used the bucket: _pace waits for it to refill
        data = answer.get("data")
        if not isinstance(data, dict):
            raise ChannelError(f"Could not {what}: Shopify's answer has no data.", retryable=True)
        return data

    # ------------------------------------------------------------------ pacing

    def _pace(self, query: str, expected: float) -> None:
        if self.bucket is None:
            return
        self._wait(self.bucket.wait_for(self._costs.get(query, expected) + SAFETY_POINTS, self._clock()))

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self.waited += seconds
            self._sleep(seconds)

    def _note_cost(self, query: str, answer: Mapping[str, Any]) -> None:
        cost = (answer.get("extensions") or {}).get("cost") if isinstance(answer.get("extensions"), dict) else None
        if not isinstance(cost, dict):
            return
        requested = cost.get("requestedQueryCost")
        if isinstance(requested, (int, float)):
            self._costs[query] = float(requested)
        status = cost.get("throttleStatus")
        if isinstance(status, dict):
            with contextlib.suppress(KeyError, TypeError, ValueError):
                self.bucket = Bucket(float(status["currentlyAvailable"]), float(status["maximumAvailable"]),
                                     float(status["restoreRate"]), self._clock())

    # ------------------------------------------------------------------ transport

    def _post(self, body: bytes, what: str) -> dict[str, Any]:
        request = urllib.request.Request(self.endpoint, data=body, method="POST", headers={
            "Content-Type": "application/json", "Accept": "application/json",
            "X-Shopify-Access-Token": self._token})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - https or the test stub
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise _http_error(exc, what) from None
        except TimeoutError:
            raise ChannelError(f"Could not {what}: Shopify did not answer within {self.timeout:g} s.",
                               retryable=True) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise ChannelError(f"Could not {what}: Shopify did not answer within {self.timeout:g} s.",
                                   retryable=True) from None
            if isinstance(reason, (ConnectionError, http.client.HTTPException)) and not isinstance(
                    reason, ConnectionRefusedError):
                raise _broken(what, reason) from None
            raise ChannelError(f"Could not {what}: cannot reach Shopify at {_host(self.endpoint)} ({reason}).",
                               retryable=True) from None
        except (http.client.HTTPException, OSError) as exc:
            raise _broken(what, exc) from None
        try:
            answer = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ChannelError(f"Could not {what}: Shopify sent an answer that is not JSON.",
                               retryable=True) from None
        if not isinstance(answer, dict):
            raise ChannelError(f"Could not {what}: Shopify sent an answer of an unexpected shape.", retryable=True)
        return answer

    def _graphql_error(self, errors: Any, answer: Mapping[str, Any], what: str) -> ChannelError:
        entries: list[Any] = errors if isinstance(errors, list) else [{"message": str(errors)}]
        codes = {str((e.get("extensions") or {}).get("code", "")) for e in entries if isinstance(e, dict)}
        messages = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in entries)
        if "THROTTLED" in codes:
            return ChannelError(f"Could not {what}: Shopify is throttling our queries; trying again shortly.",
                                retryable=True, retry_after=_throttle_wait(answer))
        if "ACCESS_DENIED" in codes:
            return ChannelError(f"Shopify refused the access token: {messages} (give the app the scopes it "
                                "needs: read_orders, write_fulfillments / write_merchant_managed_fulfillment_"
                                "orders, write_inventory, read_products).", retryable=False)
        if "INTERNAL_SERVER_ERROR" in codes:
            return ChannelError(f"Could not {what}: Shopify had an internal error ({messages}).", retryable=True)
        return ChannelError(f"Could not {what}: Shopify said: {messages}", retryable=False)


def _broken(what: str, exc: BaseException) -> ChannelError:
    return ChannelError(f"Could not {what}: the connection to Shopify broke before an answer came "
                        f"({type(exc).__name__}); Shopify may have done it, so it is checked before trying again.",
                        retryable=True)


def _throttled(errors: Any) -> bool:
    return isinstance(errors, list) and any(
        isinstance(e, dict) and (e.get("extensions") or {}).get("code") == "THROTTLED" for e in errors)


def _throttle_wait(answer: Mapping[str, Any]) -> float | None:
    cost = (answer.get("extensions") or {}).get("cost") or {}
    status = cost.get("throttleStatus") or {}
    try:
        missing = float(cost["requestedQueryCost"]) - float(status["currentlyAvailable"])
        return max(missing, 0.0) / float(status["restoreRate"])
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None


def _http_error(exc: urllib.error.HTTPError, what: str) -> ChannelError:
    status = exc.code
    detail = _error_text(exc)
    if status == 429:
        return ChannelError(f"Could not {what}: Shopify asks us to slow down (HTTP 429).", retryable=True,
                            retry_after=_retry_after(exc.headers.get("Retry-After")), status=status)
    if status >= 500:
        return ChannelError(f"Could not {what}: Shopify had a problem (HTTP {status}); trying again later.",
                            retryable=True, retry_after=_retry_after(exc.headers.get("Retry-After")), status=status)
    if status in (401, 403):
        return ChannelError(f"Shopify refused the access token: {detail or f'HTTP {status}'}. Check the token "
                            "stored for this channel and the app's access scopes.",
                            retryable=True, retry_after=SETUP_RETRY_SECONDS, status=status)
    if status == 404:
        return ChannelError(f"Shopify has no shop at {_host(exc.url or '')} (HTTP 404): check the shop's address "
                            "in the channel's settings.",
                            retryable=True, retry_after=SETUP_RETRY_SECONDS, status=status)
    if status == 402:
        return ChannelError("Shopify refused the call: the shop is frozen (unpaid Shopify bill, HTTP 402).",
                            retryable=False, status=status)
    return ChannelError(f"Could not {what}: Shopify refused it (HTTP {status}){': ' + detail if detail else ''}.",
                        retryable=False, status=status)


def _error_text(exc: urllib.error.HTTPError) -> str:
    try:
        raw = exc.read()
    except (OSError, http.client.HTTPException):
        return ""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return raw[:200].decode("utf-8", "replace").strip()
    errors = body.get("errors") if isinstance(body, dict) else body
    if isinstance(errors, list):
        return "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors)
    return str(errors)[:200]


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None  # an HTTP date: let the caller's back-off decide


def _host(url: str) -> str:
    return urllib.parse.urlparse(url).netloc or url
