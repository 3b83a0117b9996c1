"""``AreaService``: what every area's service is built on — its context, the database, and
the hub its use cases report their changes to."""

from __future__ import annotations

from fulfilstation.db.database import Database
from fulfilstation.services.changes import ChangeHub
from fulfilstation.services.context import ServiceContext


class AreaService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    @property
    def database(self) -> Database:
        return self._context.database

    @property
    def changes(self) -> ChangeHub:
        return self._context.changes
