"""Job secrets: how an unattended job (an import, a shop sync) signs in as a user.

Invariants:

* An owner issues a secret to a user on the machine that will run the job: 256 random bits,
  stored in clear only in that machine's OS keyring (entry ``job:<user>@<database>``);
  the database keeps its SHA-256 digest (unique), who issued it and when it was last used.
  The secret is never printed, logged or returned.
* A sign-in with a secret reads this machine's keyring entry for the user, finds the
  digest among the not-revoked secrets of that active user in one indexed look-up, and
  records ``last_used_at`` and a ``user.login`` audit entry (method ``secret``).
* Revoking marks the user's secrets revoked (in the database: every machine's copy stops
  working at once) and removes this machine's keyring entry.

Threading: blocking (database, keyring); call from worker threads or the CLI.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from fulfilstation.credentials import KeyringUnavailable, SecretStore
from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import AuditEntry, User, UserSecret
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor, signed_in
from fulfilstation.services.users.accounts import UserRefused, find_user
from fulfilstation.services.users.sign_in import SignInRefused

SECRET_PREFIX = "fsj_"


@dataclass(frozen=True)
class IssuedSecret:
    """What the owner is told of a secret just issued (never the secret itself)."""

    id: int
    username: str
    label: str
    keyring_name: str


def keyring_name(username: str, database: Database) -> str:
    return f"job:{username}@{database.display_url}"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_secret(database: Database, actor: Actor, username: str, label: str, store: SecretStore) -> IssuedSecret:
    label = " ".join(label.split()) or "job"
    if len(label) > 100:
        raise UserRefused("bad-label", "A job secret's label is at most 100 characters (say which job it is for).")
    with database.unit_of_work() as session:
        user = find_user(session, username)
        if not user.active:
            raise UserRefused("inactive-user", f"{user.full_name} is not active: reactivate them first.")
        name = keyring_name(user.username, database)
        username = user.username
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    try:
        store.set(name, secret)
    except KeyringUnavailable as exc:
        raise UserRefused("no-keyring", f"The job secret was not issued: {exc}") from None
    with database.unit_of_work() as session:
        user = find_user(session, username)
        row = UserSecret(user_id=user.id, label=label, secret_digest=_digest(secret), keyring_name=name,
                         created_by_id=actor.user_id)
        session.add(row)
        session.flush()
        audit.record(session, actor, "user.secret_issued", "user", user.id,
                     {"username": username, "secret_id": row.id, "label": label, "keyring": name})
        return IssuedSecret(row.id, username, label, name)


def revoke_secrets(database: Database, actor: Actor, username: str, store: SecretStore,
                   secret_id: int | None = None) -> int:
    """Revoke the user's secrets (or only ``secret_id``); returns how many were revoked."""
    with database.unit_of_work() as session:
        user = find_user(session, username)
        where = [UserSecret.user_id == user.id, UserSecret.revoked_at.is_(None)]
        if secret_id is not None:
            where.append(UserSecret.id == secret_id)
        revoked = rows_changed(session, update(UserSecret).where(*where).values(
            revoked_at=utcnow(), revoked_by_id=actor.user_id))
        if secret_id is not None and not revoked:
            raise UserRefused("unknown-secret", f"{user.username} has no live job secret {secret_id}.")
        audit.record(session, actor, "user.secret_revoked", "user", user.id,
                     {"username": user.username, "secret_id": secret_id, "revoked": revoked})
        name = keyring_name(user.username, database)
        live = set(session.scalars(select(UserSecret.secret_digest).where(UserSecret.user_id == user.id,
                                                                          UserSecret.revoked_at.is_(None))))
    with contextlib.suppress(KeyringUnavailable):  # revoked in the database: an unreachable copy signs nobody in
        local = store.get(name)
        if local and _digest(local) not in live:
            store.delete(name)
    return revoked


def sign_in_with_secret(database: Database, username: str, station_id: int | None, store: SecretStore) -> Actor:
    """The actor of the job secret this machine's keyring holds for ``username``."""
    name = keyring_name(username.strip().lower(), database)
    try:
        secret = store.get(name)
    except KeyringUnavailable as exc:
        raise SignInRefused("no-keyring", f"This job cannot sign in as {username}: {exc}") from None
    if not secret:
        raise SignInRefused("no-secret", f"No job secret for {username} is stored on this computer. An owner issues "
                            f"one here with: fulfilstation users issue-secret {username}")
    with database.unit_of_work() as session:
        row = session.execute(select(UserSecret, User).join(User, User.id == UserSecret.user_id).where(
            UserSecret.secret_digest == _digest(secret), UserSecret.revoked_at.is_(None),
            User.active.is_(True))).first()
        if row is None or not hmac.compare_digest(row[1].username, username.strip().lower()):
            raise SignInRefused("secret-refused", f"The job secret stored on this computer for {username} was "
                                "revoked or belongs to an inactive user: an owner issues a new one.")
        secret_row, user = row
        secret_row.last_used_at = utcnow()
        session.add(AuditEntry(user_id=user.id, station_id=station_id, action="user.login",
                               details={"method": "secret", "secret_id": secret_row.id}))
        return signed_in(user.id, user.username, user.full_name, user.role, station_id, "secret")
