"""Fixtures the database tests share: the app over a seeded database (both engines, through
``seeded_database``) and its packer signed in."""

from __future__ import annotations

import pytest

from fulfilstation.db.database import Database
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from tests.support.app import app_for, sign_in


@pytest.fixture
def app(seeded_database: Database) -> AppServices:
    return app_for(seeded_database)


@pytest.fixture
def packer(app: AppServices) -> Actor:
    return sign_in(app, "packer")
