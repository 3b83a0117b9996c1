"""Writing an import's plan in bulk, inside the caller's one transaction.

New products go in by one executemany INSERT (their ids read back by SKU),
changed ones by an executemany UPDATE by primary key per set of changed columns, barcodes and kit components by
set-wise DELETEs and INSERTs — never an ORM object per row. Unique constraints (SKU,
barcode) settle a race with another station importing at the same moment: the whole
transaction fails and nothing of the import stays.

Threading: inside the import's unit of work (one session, one thread).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.base import utcnow
from fulfilstation.db.models import Product, ProductBarcode, ProductComponent
from fulfilstation.services.product_files.catalogue import Catalogue
from fulfilstation.services.product_files.plan import Step

CHUNK = 1000
T = TypeVar("T")


def write(session: Session, steps: Sequence[Step], catalogue: Catalogue) -> None:
    ids = {sku: known.id for sku, known in catalogue.by_sku.items()}
    new = [step for step in steps if step.known is None]
    if new:  # a plain executemany (no RETURNING: psycopg would spell out one huge statement per batch)
        session.execute(insert(Product), [{"sku": step.row.sku, **step.values} for step in new])
        for skus in _chunks(step.row.sku for step in new):
            ids.update({sku: product_id for product_id, sku in
                        session.execute(select(Product.id, Product.sku).where(Product.sku.in_(skus)))})
    _updates(session, [step for step in steps if step.known is not None and step.values != step.known.values])
    _barcodes(session, steps, catalogue, ids)
    _components(session, steps, ids)


def _updates(session: Session, changed: Sequence[Step]) -> None:
    """One executemany UPDATE per set of changed columns (a re-import that changes prices
    sends two columns a row, not twenty)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    now = utcnow()
    for step in changed:
        assert step.known is not None
        columns = tuple(name for name, value in step.values.items() if step.known.values.get(name) != value)
        groups[columns].append({"product_id": step.known.id, "stamp": now,
                                **{f"new_{name}": step.values[name] for name in columns}})
    for columns, rows in groups.items():
        statement = (update(Product).where(Product.id == bindparam("product_id"))
                     .values(updated_at=bindparam("stamp"), **{name: bindparam(f"new_{name}") for name in columns}))
        session.connection().execute(statement, rows)


def _barcodes(session: Session, steps: Sequence[Step], catalogue: Catalogue, ids: dict[str, int]) -> None:
    gone: list[str] = []
    repacked: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    for step in steps:
        if step.barcodes is None:
            continue
        before = step.known.barcodes if step.known is not None else {}
        gone += [code for code in before if code not in step.barcodes]
        for code, pack in step.barcodes.items():
            if code not in before:
                added.append({"product_id": ids[step.row.sku], "code": code, "pack_quantity": pack})
            elif before[code] != pack:
                repacked.append({"id": catalogue.barcode_ids[code], "pack_quantity": pack})
    for codes in _chunks(gone):
        session.execute(delete(ProductBarcode).where(ProductBarcode.code.in_(codes)))
    if repacked:
        session.execute(update(ProductBarcode), repacked)
    if added:
        session.execute(insert(ProductBarcode), added)


def _components(session: Session, steps: Sequence[Step], ids: dict[str, int]) -> None:
    redone = [step for step in steps if step.components is not None
              and (step.known is None or step.components != step.known.components)]
    for kits in _chunks([ids[step.row.sku] for step in redone if step.known is not None]):
        session.execute(delete(ProductComponent).where(ProductComponent.kit_id.in_(kits)))
    parts = [{"kit_id": ids[step.row.sku], "component_id": ids[sku], "quantity": quantity}
             for step in redone for sku, quantity in (step.components or {}).items()]
    if parts:
        session.execute(insert(ProductComponent), parts)


def _chunks(items: Iterable[T]) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch
