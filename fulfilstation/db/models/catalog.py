"""Products, their barcodes, storage bins and box types."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fulfilstation.db.base import Base, Currency, UtcDateTime, non_negative, one_of, utcnow
from fulfilstation.domain.enums import BinKind


class Product(Base):
    """A stock-keeping unit. Weight in grams and dimensions in millimetres of one unit."""

    __tablename__ = "products"
    __table_args__ = (
        non_negative("weight_g", "length_mm", "width_mm", "height_mm", name="sizes"),
        non_negative("reorder_point", "safety_stock", name="stock_targets"),
        CheckConstraint("stock_buffer IS NULL OR stock_buffer >= 0", name="stock_buffer_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    weight_g: Mapped[int] = mapped_column(Integer, default=0)
    length_mm: Mapped[int] = mapped_column(Integer, default=0)
    width_mm: Mapped[int] = mapped_column(Integer, default=0)
    height_mm: Mapped[int] = mapped_column(Integer, default=0)
    serial_tracked: Mapped[bool] = mapped_column(Boolean, default=False)
    lot_tracked: Mapped[bool] = mapped_column(Boolean, default=False)
    hazmat: Mapped[bool] = mapped_column(Boolean, default=False)
    fragile: Mapped[bool] = mapped_column(Boolean, default=False)
    unit_price_minor: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(Currency(), default="USD")
    image_path: Mapped[str | None] = mapped_column(String(500))
    reorder_point: Mapped[int] = mapped_column(Integer, default=0)
    safety_stock: Mapped[int] = mapped_column(Integer, default=0)
    abc_class: Mapped[str | None] = mapped_column(String(1))  # A, B or C: by shipped value (cycle counts)
    supplier: Mapped[str | None] = mapped_column(String(200))  # who replenishment orders it from
    lead_time_days: Mapped[int] = mapped_column(Integer, default=14)  # order to arrival
    cost_minor: Mapped[int] = mapped_column(Integer, default=0)  # what one unit costs us (variance value)
    # Units held back from what the shops are told is available (None: the site default).
    stock_buffer: Mapped[int | None] = mapped_column(Integer)
    hs_code: Mapped[str | None] = mapped_column(String(16))
    country_of_origin: Mapped[str | None] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), onupdate=utcnow)

    barcodes: Mapped[list[ProductBarcode]] = relationship(
        back_populates="product", cascade="all, delete-orphan"
    )


class ProductBarcode(Base):
    """One barcode of a product. ``code`` is normalised: a GTIN is stored as 14 digits
    (so UPC-A, EAN-13 and GTIN-14 scans of the same item meet), anything else as scanned.
    ``pack_quantity`` is how many units one scan of this code counts for (a case GTIN-14)."""

    __tablename__ = "product_barcodes"
    __table_args__ = (CheckConstraint("pack_quantity >= 1", name="pack_quantity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    pack_quantity: Mapped[int] = mapped_column(Integer, default=1)

    product: Mapped[Product] = relationship(back_populates="barcodes")


class ProductComponent(Base):
    """One component of a kit (bundle): ``quantity`` units of ``component`` make one unit of
    ``kit``. A kit holds no stock of its own; its stock is what its components allow. A
    component is never itself a kit (kept by the use case) nor the kit (CHECK)."""

    __tablename__ = "product_components"
    __table_args__ = (
        UniqueConstraint("kit_id", "component_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("kit_id <> component_id", name="not_itself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kit_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    component_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer, default=1)


class Bin(Base):
    """A storage location. ``pick_sequence`` orders a picker's walk; ``aisle``/``bay``/
    ``level`` say where it is (free text: warehouses number them their own way)."""

    __tablename__ = "bins"
    __table_args__ = (one_of("kind", BinKind, "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    zone: Mapped[str] = mapped_column(String(32))
    aisle: Mapped[str | None] = mapped_column(String(16))
    bay: Mapped[str | None] = mapped_column(String(16))
    level: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16), default=BinKind.PICKABLE.value)
    pick_sequence: Mapped[int] = mapped_column(Integer, default=0, index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class BoxType(Base):
    """A shipping box (or mailer). Inner dimensions decide what fits; ``code`` is its barcode."""

    __tablename__ = "box_types"
    __table_args__ = (
        CheckConstraint(
            "inner_length_mm > 0 AND inner_width_mm > 0 AND inner_height_mm > 0", name="inner_dimensions"
        ),
        non_negative("tare_weight_g", "max_weight_g", "cost_minor", name="amounts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    inner_length_mm: Mapped[int] = mapped_column(Integer)
    inner_width_mm: Mapped[int] = mapped_column(Integer)
    inner_height_mm: Mapped[int] = mapped_column(Integer)
    tare_weight_g: Mapped[int] = mapped_column(Integer, default=0)
    max_weight_g: Mapped[int] = mapped_column(Integer, default=0)
    cost_minor: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(Currency(), default="USD")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
