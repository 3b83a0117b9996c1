"""``OrderFilesService``: order files in (Shopify's order export, the generic order file, or
any file through a saved column mapping) and the mappings themselves.

Importing orders and saving mappings is a manager's right (``IMPORT_ORDERS``); listing the
mappings and the generic columns is a read.

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

from collections.abc import Mapping

from fulfilstation.domain.roles import Permission
from fulfilstation.imports import ImportProgress, ImportReport, read_csv_bytes
from fulfilstation.imports.csv_table import CsvUnreadable
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.order_files import generic, importer, mappings, shopify
from fulfilstation.services.order_files.mappings import MappingView
from fulfilstation.services.order_files.refusals import OrderFileRefused
from fulfilstation.services.order_files.rows import OrderFileFormat


class OrderFilesService(AreaService):
    @use_case(Permission.IMPORT_ORDERS, "import orders")
    def import_orders(self, actor: Actor, data: bytes, *, channel: str | None = None, mapping: str | None = None,
                      file_format: OrderFileFormat | str | None = None, dry_run: bool = False,
                      progress: ImportProgress | None = None, file_name: str | None = None) -> ImportReport:
        """Import an order file: each order whole or not at all, keyed by ``channel`` (default
        ``shopify-csv`` or ``csv``) and its id; broken orders in the report with all their
        lines; ``dry_run`` writes nothing. OrderFileRefused when the file cannot be read as an
        order file at all."""
        return importer.import_orders(self.database, actor, data, channel=channel, mapping=mapping,
                                      file_format=file_format, dry_run=dry_run, progress=progress,
                                      file_name=file_name, today=self._context.ports.clock.now().astimezone().date(),
                                      address_check=self._context.ports.address_check)

    @use_case(Permission.IMPORT_ORDERS, "save a column mapping")
    def save_mapping(self, actor: Actor, name: str, columns: Mapping[str, str]) -> MappingView:
        """Save (or replace) the mapping ``name``: {generic column: the file's column}."""
        return mappings.save(self.database, actor, name, columns)

    @use_case(Permission.IMPORT_ORDERS, "delete a column mapping")
    def delete_mapping(self, actor: Actor, name: str) -> None:
        mappings.remove(self.database, actor, name)

    # -- queries

    def mappings(self) -> tuple[MappingView, ...]:
        return mappings.listed(self.database)

    @staticmethod
    def generic_columns() -> tuple[str, ...]:
        """The generic order file's columns, required ones first."""
        return (*generic.REQUIRED, *(column for column in generic.COLUMNS if column not in generic.REQUIRED))

    @staticmethod
    def file_columns(data: bytes) -> tuple[tuple[str, ...], OrderFileFormat | None]:
        """The file's header and its format when known (None: it needs a mapping);
        OrderFileRefused when it is not CSV."""
        try:
            table = read_csv_bytes(data)
        except CsvUnreadable as unreadable:
            raise OrderFileRefused("unreadable", f"The file cannot be imported: {unreadable}.") from unreadable
        if shopify.is_shopify(table):
            return table.headers, OrderFileFormat.SHOPIFY
        if generic.is_generic(table):
            return table.headers, OrderFileFormat.GENERIC
        return table.headers, None
