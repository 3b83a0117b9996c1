"""A channel's last sync error: kept in words a manager can act on, never with a secret.

``sales_channels.last_error`` / ``last_error_at`` (migration 0010) hold the error of the
channel's last sync round that failed; a round that succeeds clears them (``cleared``). The
text goes through ``plain`` first: the channel's own secrets (its keyring entries) and
anything shaped like a credential (``consumer_key=…``, ``access_token=…``, a ``Bearer``
or ``Basic`` header, a Shopify ``shpat_…`` token, a WooCommerce ``ck_…``/``cs_…`` key)
become ``[hidden]``; it is cut to ``MAX_CHARS``.

Threading: blocking (database); each call is its own short transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from sqlalchemy import or_, update

from fulfilstation.credentials import KeyringUnavailable, SecretStore
from fulfilstation.db.database import Database
from fulfilstation.db.models import SalesChannel
from fulfilstation.services.integrations.channels import SECRET_KEYS, secret_name

MAX_CHARS = 1000
HIDDEN = "[hidden]"
_CREDENTIALS = (
    re.compile(r"(?i)\b(consumer_key|consumer_secret|access_token|api_key|apikey|token|secret|password|key)"
               r"(\s*[=:]\s*)([^&\s,;)\"']+)"),
    re.compile(r"(?i)\b(Bearer|Basic)(\s+)([A-Za-z0-9._~+/=-]+)"),
)
_TOKENS = re.compile(r"\b(?:shpat|shpss|shpca|shppa)_[A-Za-z0-9]+|\b(?:ck|cs)_[A-Za-z0-9]{8,}")


def plain(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with the ``secrets`` and credential-shaped words hidden, at most ``MAX_CHARS``."""
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    for pattern in _CREDENTIALS:
        text = pattern.sub(lambda m: m.group(1) + m.group(2) + HIDDEN, text)
    text = _TOKENS.sub(HIDDEN, text)
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS - 1] + "…"


def channel_secrets(secrets: SecretStore, name: str, kind: str) -> list[str]:
    """The channel's secrets as its keyring holds them (none when the keyring cannot say)."""
    found = []
    for key in SECRET_KEYS.get(kind, ()):
        try:
            value = secrets.get(secret_name(name, key))
        except KeyringUnavailable:
            continue
        if value:
            found.append(value)
    return found


def record(database: Database, channel_id: int, error: str, now: dt.datetime) -> None:
    """Keep ``error`` (already ``plain``) as the channel's last sync error, at ``now``."""
    with database.unit_of_work() as session:
        session.execute(update(SalesChannel).where(SalesChannel.id == channel_id)
                        .values(last_error=error, last_error_at=now))


def cleared(database: Database, channel_id: int) -> None:
    """A round succeeded: the channel's last error is forgotten (written only when one is kept)."""
    with database.unit_of_work() as session:
        session.execute(update(SalesChannel).where(
            SalesChannel.id == channel_id,
            or_(SalesChannel.last_error.is_not(None), SalesChannel.last_error_at.is_not(None)))
            .values(last_error=None, last_error_at=None))
