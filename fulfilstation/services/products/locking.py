"""Locking products before a rule that reads other rows is checked (kit rules).

``lock_products`` takes the products' rows for this transaction on both engines, then
reads them afresh:

* PostgreSQL: ``SELECT … FOR UPDATE`` in id order (two managers locking overlapping sets
  wait for each other instead of deadlocking);
* SQLite: reads run outside a transaction until the first write, so a no-op ``UPDATE`` of
  the rows (``updated_at`` set to itself: nothing changes) starts the transaction and takes
  the database's write lock (waiting, up to the busy timeout, for another writer to
  commit) — only then are the rules read.

After it, whatever the caller reads (components, kits) is what the other writer committed,
and nobody changes those products until this transaction ends.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fulfilstation.db.models import Product


def lock_products(session: Session, ids: Collection[int]) -> None:
    ordered = sorted(set(ids))
    session.scalars(select(Product.id).where(Product.id.in_(ordered)).order_by(Product.id).with_for_update()).all()
    session.execute(update(Product).where(Product.id.in_(ordered)).values(updated_at=Product.updated_at)
                    .execution_options(synchronize_session=False))
    session.scalars(select(Product).where(Product.id.in_(ordered))
                    .execution_options(populate_existing=True)).all()
