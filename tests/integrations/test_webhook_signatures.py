"""Webhook signatures (base64 HMAC-SHA256 over the raw body), ``--listen`` and ``Retry-After``."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime

import pytest

from fulfilstation.integrations.signatures import sign, verify
from fulfilstation.integrations.webhooks import parse_listen
from fulfilstation.integrations.woocommerce.client import retry_after

BODY = b'{"id":820982911946154508,"email":"jon@example.com"}'
# printf '%s' "$BODY" | openssl dgst -sha256 -hmac hush -binary | base64
SIGNED = "D0UMXmhjwBRi4y66TmhJrDlhQABD7zI2fm3p6/QLMo8="


def test_the_signature_is_what_openssl_computes() -> None:
    assert sign("hush", BODY) == SIGNED
    assert verify("hush", BODY, SIGNED) and verify("hush", BODY, f" {SIGNED}\n")


@pytest.mark.parametrize(("secret", "body", "header"), [
    ("hush", BODY, None), ("hush", BODY, ""), ("", BODY, SIGNED), ("other", BODY, SIGNED),
    ("hush", BODY + b" ", SIGNED), ("hush", BODY, SIGNED.lower()), ("hush", BODY, "ünïcode"),
])
def test_anything_else_does_not_verify(secret: str, body: bytes, header: str | None) -> None:
    assert not verify(secret, body, header)


@pytest.mark.parametrize(("text", "expected"), [
    ("127.0.0.1:8080", ("127.0.0.1", 8080)), ("0.0.0.0:80", ("0.0.0.0", 80)), ("[::1]:9000", ("::1", 9000)),
    ("8080", ("127.0.0.1", 8080)), (":8080", ("0.0.0.0", 8080)),
])
def test_listen_addresses(text: str, expected: tuple[str, int]) -> None:
    assert parse_listen(text) == expected


@pytest.mark.parametrize("text", ["here", "host:", "host:99999", "host:http"])
def test_listen_refuses_what_is_not_host_port(text: str) -> None:
    with pytest.raises(ValueError, match="HOST:PORT"):
        parse_listen(text)


def test_retry_after_as_seconds_or_a_date() -> None:
    assert retry_after("17") == 17 and retry_after("0.5") == 0.5
    assert retry_after(None) is None and retry_after("soon") is None
    later = format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=120), usegmt=True)
    assert 100 < (retry_after(later) or 0) <= 120
