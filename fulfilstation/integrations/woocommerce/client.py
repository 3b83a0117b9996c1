"""Blocking JSON calls to a WooCommerce shop's REST API v3, every failure a ``ChannelError``.

Invariants:

* Authentication is HTTP Basic with the consumer key and secret (WooCommerce's documented
  way over HTTPS). A plain ``http://`` base URL is accepted only for this computer
  (127.0.0.1, localhost: test stubs); the key is never sent in clear over a network.
  The key and secret never appear in a message, a repr or a log line.
* Every request waits at most ``timeout`` seconds. A timeout, a dropped connection, HTTP 429
  (with its ``Retry-After``), a 5xx and an answer that is not JSON are *retryable*; 401/403
  are not ("WooCommerce refused the API key"); other 4xx are not, and WooCommerce's error
  body ``{code, message, data{status}}`` is shown in the message.
* A timeout does not say the shop did nothing: callers of a change look before repeating it.

Threading: one ``WooHttp`` may be used from several threads (it keeps no per-request state).
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from fulfilstation.integrations.ports import SETUP_RETRY_SECONDS, ChannelError

API_PATH = "/wp-json/wc/v3"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Answer:
    """A successful answer: the decoded JSON and the headers (lower-case names)."""

    body: Any
    headers: Mapping[str, str]


class WooHttp:
    def __init__(self, base_url: str, key: str, secret: str, *, timeout: float, shop: str) -> None:
        parts = urllib.parse.urlsplit(base_url.rstrip("/"))
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ChannelError(f"The WooCommerce address of channel {shop} ({base_url}) is not a web address; "
                               "give it as https://shop.example.", retryable=False)
        if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
            raise ChannelError(f"The WooCommerce address of channel {shop} ({base_url}) is plain http: the API key "
                               "would cross the network unencrypted. Use the shop's https:// address.",
                               retryable=False)
        site = base_url.rstrip("/")
        for tail in (API_PATH, "/wp-json"):  # the API's own address given as the shop's
            if site.endswith(tail):
                site = site[:-len(tail)]
        self._root = site + API_PATH
        token = base64.b64encode(f"{key}:{secret}".encode()).decode("ascii")
        self._auth = f"Basic {token}"
        self.timeout = timeout
        self.shop = shop

    def __repr__(self) -> str:
        return f"WooHttp({self._root!r})"

    def call(self, method: str, path: str, *, query: Mapping[str, Any] | None = None,
             body: Any = None, action: str) -> Answer:
        """``method`` ``path`` (below ``/wp-json/wc/v3``); ``action`` says in words what was
        asked, for messages ("fetch orders")."""
        url = self._root + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": self._auth, "Accept": "application/json",
            **({"Content-Type": "application/json"} if data is not None else {})})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - scheme checked
                raw = response.read()
                headers = {k.lower(): v for k, v in response.headers.items()}
        except urllib.error.HTTPError as error:
            raise self._refusal(error, action) from None
        except TimeoutError:
            raise ChannelError(f"WooCommerce ({self.shop}) did not answer within {self.timeout:g} s when asked to "
                               f"{action}; it will be tried again.", retryable=True) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError):
                raise ChannelError(f"WooCommerce ({self.shop}) did not answer within {self.timeout:g} s when asked "
                                   f"to {action}; it will be tried again.", retryable=True) from None
            raise ChannelError(f"Could not reach WooCommerce ({self.shop}) to {action}: {reason}. It will be tried "
                               "again.", retryable=True) from None
        try:
            return Answer(json.loads(raw.decode("utf-8")) if raw.strip() else None, headers)
        except (UnicodeDecodeError, ValueError):
            raise ChannelError(f"WooCommerce ({self.shop}) answered something that is not JSON when asked to "
                               f"{action} (a plugin or the web server may have broken the answer); it will be "
                               "tried again.", retryable=True) from None

    def _refusal(self, error: urllib.error.HTTPError, action: str) -> ChannelError:
        status = error.code
        try:
            raw = error.read()
        except OSError:
            raw = b""
        detail = _woo_message(raw)
        said = f" ({detail})" if detail else ""
        if status in (401, 403):
            return ChannelError(f"WooCommerce refused the API key of channel {self.shop}{said}. Check the consumer "
                                "key and secret (and that the key has Read/Write access).",
                                retryable=True, retry_after=SETUP_RETRY_SECONDS,
                                status=status)
        if status == 429:
            after = retry_after(error.headers.get("Retry-After"))
            wait = f" for {after:g} s" if after is not None else ""
            return ChannelError(f"WooCommerce ({self.shop}) asked us to slow down{wait} when asked to {action}.",
                                retryable=True, retry_after=after, status=status)
        if status >= 500:
            return ChannelError(f"WooCommerce ({self.shop}) failed with HTTP {status} when asked to {action}"
                                f"{said}; it will be tried again.", retryable=True, status=status)
        return ChannelError(f"WooCommerce ({self.shop}) refused to {action}: HTTP {status}{said}.",
                            retryable=False, status=status)


def _woo_message(raw: bytes) -> str:
    """WooCommerce's error body ``{"code", "message", "data": {"status"}}`` in words."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ""
    if not isinstance(body, dict):
        return ""
    message, code = str(body.get("message") or ""), str(body.get("code") or "")
    return f"{message} [{code}]" if message and code else message or code


def retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds (a number or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
        return max((when - dt.datetime.now(dt.UTC)).total_seconds(), 0.0)
    except (TypeError, ValueError):
        return None
