"""A shipment's customs declaration, built from its order's lines and the site's settings (pure).

The declaration is the port's ``Customs`` (``carriers/gateway.py``), what a carrier gateway
sends and what ``documents/customs_declaration`` prints. One rule each, stated here once:

* **When.** A shipment needs a declaration when its ship-to country is not the ship-from
  country (``crosses_border``). Countries are ISO 3166-1 alpha-2, compared without regard to
  case; a missing country never counts as a border.
* **What is missing.** Every declared line needs an HS code and a country of origin
  (``missing_customs_data``); the gaps are named per SKU in one sentence
  (``customs_gaps_words``), the message an order is held with and packing is refused with.
* **Value and weight.** A line's value is the order line's unit price × quantity in the
  order's currency; its weight the product's unit weight × quantity (grams).
* **Terms.** Contents type and incoterm come from the site's settings (``CustomsTerms``).

Pure and thread-safe: values in, values out; no database, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fulfilstation.carriers.gateway import Customs, CustomsLine

CONTENTS_TYPES = ("merchandise", "gift", "documents", "sample", "return_merchandise", "other")
INCOTERMS = ("DDU", "DAP", "DDP", "EXW", "FCA", "CPT", "CIP")


@dataclass(frozen=True)
class CustomsTerms:
    """The site's customs settings: what the contents are, who pays duties (incoterm), who
    signs, and up to which value a CN22 is enough (``cn22_limit_minor`` in ``cn22_currency``)."""

    contents_type: str = "merchandise"
    incoterm: str = "DDU"
    signer: str | None = None
    cn22_limit_minor: int = 40_000  # about 300 SDR in US dollars
    cn22_currency: str = "USD"


@dataclass(frozen=True)
class DeclaredLine:
    """One order line as customs sees it (the product's fields, the line's price)."""

    sku: str
    description: str
    quantity: int
    unit_price_minor: int
    currency: str
    unit_weight_g: int
    hs_code: str | None
    origin_country: str | None


def crosses_border(ship_from_country: str | None, ship_to_country: str | None) -> bool:
    """True when the parcel leaves the ship-from country (both countries known)."""
    source, target = (ship_from_country or "").strip().upper(), (ship_to_country or "").strip().upper()
    return bool(source and target and source != target)


def missing_customs_data(lines: Sequence[DeclaredLine]) -> dict[str, tuple[str, ...]]:
    """Per SKU (in line order), what customs needs and the product lacks: ``HS code``,
    ``country of origin``. Empty when every line can be declared."""
    gaps: dict[str, tuple[str, ...]] = {}
    for line in lines:
        missing = tuple(what for what, value in (("HS code", line.hs_code), ("country of origin", line.origin_country))
                        if not (value or "").strip())
        if missing and line.sku not in gaps:
            gaps[line.sku] = missing
    return gaps


def customs_gaps_words(gaps: dict[str, tuple[str, ...]]) -> str:
    """``Customs: SKU A-1 has no HS code; SKU B-2 has no HS code or country of origin. Add them
    to the products, then re-check the order.``"""
    parts = [f"SKU {sku} has no {' or '.join(missing)}" for sku, missing in gaps.items()]
    return f"Customs: {'; '.join(parts)}. Add them to the products, then re-check the order."


def build_customs(lines: Sequence[DeclaredLine], terms: CustomsTerms, invoice_number: str | None = None) -> Customs:
    """The declaration of ``lines`` (lines of no units left out). Raises ValueError naming the
    gaps when a line lacks an HS code or origin: check ``missing_customs_data`` first."""
    gaps = missing_customs_data(lines)
    if gaps:
        raise ValueError(customs_gaps_words(gaps))
    declared = tuple(CustomsLine(description=line.description, quantity=line.quantity,
                                 value_minor=line.unit_price_minor * line.quantity, currency=line.currency.upper(),
                                 weight_g=line.unit_weight_g * line.quantity, hs_code=(line.hs_code or "").strip(),
                                 origin_country=(line.origin_country or "").strip().upper(), sku=line.sku)
                     for line in lines if line.quantity > 0)
    return Customs(contents_type=terms.contents_type, incoterm=terms.incoterm, lines=declared,
                   invoice_number=invoice_number, signer=terms.signer)


def declared_value(customs: Customs) -> int:
    """The declaration's total value (minor units of its lines' currency)."""
    return sum(line.value_minor for line in customs.lines)


def customs_form(customs: Customs, terms: CustomsTerms) -> str:
    """``CN22`` when the declared value is at most the site's CN22 limit in the same currency,
    else ``CN23`` (a value in another currency cannot be compared: CN23, the form that always
    serves)."""
    currencies = {line.currency for line in customs.lines}
    if currencies and currencies != {terms.cn22_currency.upper()}:
        return "CN23"
    return "CN22" if declared_value(customs) <= terms.cn22_limit_minor else "CN23"
