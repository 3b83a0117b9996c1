"""Secrets in the OS keyring, never in files, the database or logs.

Keyring entries live under the service name ``FulfilStation``; a database password is
stored under ``db:USER@HOST:PORT/DBNAME`` (see ``database_secret_name``).

Headless Linux often has no keyring backend at all. Then ``SecretStore.get`` raises
``KeyringUnavailable`` whose message says what to do, and ``SessionSecrets`` falls back to
asking the user once per session through an injected prompt (a Qt dialog in the app,
``getpass`` on the command line) and remembers the answer in memory only.

Thread-safety: ``SessionSecrets`` may be called from worker threads (the connection
pool connects on them); its cache is guarded by a lock, and the prompt is called at most
once per name even when several threads ask at the same time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import keyring
import keyring.errors

SERVICE = "FulfilStation"

KEYRING_HELP = (
    "No password store (keyring) is available on this computer, so the password cannot be "
    "saved. On Linux install and unlock a Secret Service provider such as GNOME Keyring or "
    "KWallet (or set PYTHON_KEYRING_BACKEND); until then FulfilStation asks for the password "
    "once each time it starts."
)


class KeyringUnavailable(RuntimeError):
    """The OS keyring cannot be used on this machine (no backend, locked, refused)."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"{KEYRING_HELP} ({detail})")
        self.detail = detail


def database_secret_name(username: str, host: str, port: int | None, database: str) -> str:
    return f"db:{username}@{host}:{port or 5432}/{database}"


class SecretStore:
    """Thin wrapper around ``keyring`` that turns every backend failure into
    ``KeyringUnavailable`` and never logs a secret."""

    def get(self, name: str) -> str | None:
        try:
            return keyring.get_password(SERVICE, name)
        except (keyring.errors.KeyringError, RuntimeError, OSError) as exc:
            raise KeyringUnavailable(type(exc).__name__ + ": " + str(exc)) from None

    def set(self, name: str, secret: str) -> None:
        try:
            keyring.set_password(SERVICE, name, secret)
        except (keyring.errors.KeyringError, RuntimeError, OSError) as exc:
            raise KeyringUnavailable(type(exc).__name__ + ": " + str(exc)) from None

    def delete(self, name: str) -> None:
        try:
            keyring.delete_password(SERVICE, name)
        except keyring.errors.PasswordDeleteError:
            return
        except (keyring.errors.KeyringError, RuntimeError, OSError) as exc:
            raise KeyringUnavailable(type(exc).__name__ + ": " + str(exc)) from None


Prompt = Callable[[str, str], str | None]
"""``prompt(name, explanation) -> secret or None (cancelled)``."""


class SessionSecrets:
    """Secrets for this run of the program: keyring first, then (once) the prompt."""

    def __init__(self, store: SecretStore | None = None, prompt: Prompt | None = None) -> None:
        self._store = store or SecretStore()
        self._prompt = prompt
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()
        self.keyring_problem: str | None = None

    def set_prompt(self, prompt: Prompt | None) -> None:
        self._prompt = prompt

    def remember(self, name: str, secret: str) -> None:
        """Use ``secret`` for ``name`` for the rest of this run (memory only)."""
        with self._lock:
            self._cache[name] = secret

    def get(self, name: str, ask: bool = True) -> str | None:
        """The secret from memory, then the keyring, then (``ask``) the prompt."""
        with self._lock:
            if name in self._cache:
                return self._cache[name]
            secret = self._from_keyring(name)
            if secret is None and ask and self._prompt is not None:
                secret = self._prompt(name, self.keyring_problem or "")
            if secret is not None:
                self._cache[name] = secret
            return secret

    def _from_keyring(self, name: str) -> str | None:
        try:
            return self._store.get(name)
        except KeyringUnavailable as exc:
            self.keyring_problem = str(exc)
            return None
