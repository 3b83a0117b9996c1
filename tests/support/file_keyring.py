"""A keyring backend in a JSON file named by ``FULFIL_TEST_KEYRING_FILE``, so that CLI
processes started by a test share one keyring (``PYTHON_KEYRING_BACKEND`` names it)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

ENV = "FULFIL_TEST_KEYRING_FILE"
BACKEND = "tests.support.file_keyring.FileKeyring"


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @property
    def _path(self) -> Path:
        return Path(os.environ[ENV])

    def _load(self) -> dict[str, str]:
        return json.loads(self._path.read_text()) if self._path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\n{username}"] = password
        self._path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}\n{username}", None) is None:
            raise PasswordDeleteError(username)
        self._path.write_text(json.dumps(data))


def environment(path: Path) -> dict[str, str]:
    """The variables that make a CLI process use the keyring file ``path``."""
    return {"PYTHON_KEYRING_BACKEND": BACKEND, ENV: str(path)}
