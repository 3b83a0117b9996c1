"""The pure customs and insurance rules: the declaration built from order lines (value = price
× quantity, weight = unit weight × quantity, codes tidied), the gaps named per SKU, the form
chosen by the declared value (CN22 up to the limit, CN23 above it or in another currency),
insurance by basis points rounded up plus a fixed fee, and the documents' PDFs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from fulfilstation.carriers.customs import (
    CustomsTerms,
    DeclaredLine,
    build_customs,
    crosses_border,
    customs_form,
    customs_gaps_words,
    declared_value,
    missing_customs_data,
)
from fulfilstation.carriers.insurance import insurance_for
from fulfilstation.documents.customs_declaration import (
    CustomsPaper,
    build_commercial_invoice,
    build_customs_declaration,
)
from tests.support.pdf import pdf_text

MUG = DeclaredLine("MUG-1", "Mug", 2, 1490, "usd", 380, " 6912.00 ", "pt")
SOAP = DeclaredLine("SOAP-1", "Soap", 1, 690, "USD", 115, "3401.11", "FR")


def test_the_declaration_values_weighs_and_tidies_each_line() -> None:
    customs = build_customs([MUG, SOAP, DeclaredLine("GONE", "x", 0, 100, "USD", 1, "1", "US")],
                            CustomsTerms(incoterm="DDP", signer="Olive"), invoice_number="SO-1")
    assert [(line.sku, line.value_minor, line.weight_g, line.hs_code, line.origin_country, line.currency)
            for line in customs.lines] == [("MUG-1", 2980, 760, "6912.00", "PT", "USD"),
                                           ("SOAP-1", 690, 115, "3401.11", "FR", "USD")]
    assert (customs.contents_type, customs.incoterm, customs.signer, customs.invoice_number) == (
        "merchandise", "DDP", "Olive", "SO-1")
    assert declared_value(customs) == 3670


def test_gaps_are_named_per_sku_and_refuse_the_declaration() -> None:
    lines = [MUG, DeclaredLine("A", "a", 1, 1, "USD", 1, None, "CN"), DeclaredLine("B", "b", 1, 1, "USD", 1, " ", "")]
    gaps = missing_customs_data(lines)
    assert gaps == {"A": ("HS code",), "B": ("HS code", "country of origin")}
    words = ("Customs: SKU A has no HS code; SKU B has no HS code or country of origin. Add them to the products, "
             "then re-check the order.")
    assert customs_gaps_words(gaps) == words
    with pytest.raises(ValueError, match="SKU A has no HS code"):
        build_customs(lines, CustomsTerms())


def test_the_border_and_the_form() -> None:
    assert crosses_border("US", "de") and not crosses_border("us", "US ") and not crosses_border(None, "DE")
    terms = CustomsTerms(cn22_limit_minor=3670, cn22_currency="USD")
    assert customs_form(build_customs([MUG, SOAP], terms), terms) == "CN22"  # at the limit
    assert customs_form(build_customs([MUG, SOAP], terms), CustomsTerms(cn22_limit_minor=3669)) == "CN23"
    euro = CustomsTerms(cn22_limit_minor=1_000_000, cn22_currency="EUR")
    assert customs_form(build_customs([SOAP], euro), euro) == "CN23"  # another currency: cannot compare


@dataclass(frozen=True)
class Service:
    insurance_allowed: bool
    insurance_rate_bp: int = 0
    insurance_fee_minor: int = 0


def test_insurance_rate_rounds_up_and_adds_the_fee() -> None:
    assert insurance_for(Service(True, 125, 50), 3670) == (3670, 46 + 50)  # 45.875 → 46
    assert insurance_for(Service(True, 0, 300), 10_000) == (10_000, 300)
    assert insurance_for(Service(True, 100), 10_000) == (10_000, 100)
    assert insurance_for(Service(False, 125, 50), 10_000) == (None, 0)
    assert insurance_for(Service(True, 125, 50), 0) == (None, 0)


def test_the_documents_print_every_element(tmp_path: Path) -> None:
    terms = CustomsTerms(contents_type="sample", signer="Olive Owner")
    paper = CustomsPaper("SO-1", dt.date(2026, 12, 7), ("Shop", "1 Main St", "Columbus OH 43219", "US"),
                         ("Jonas Müller", "Friedrichstraße 123", "10117 Berlin", "DE"),
                         build_customs([MUG, SOAP], terms, "SO-1"), ("1Z999AA10123456784",), "USD", 1500, 1000)
    cn22 = " ".join(pdf_text(build_customs_declaration(paper, "CN22"), tmp_path).split())
    for text in ("CN 22", "[X] Commercial sample", "6912.00", "PT", "3401.11", "FR", "$29.80", "$36.70",
                 "0.875 kg", "gross 1.000 kg", "Olive Owner", "2026-12-07"):
        assert text in cn22, text
    cn23 = " ".join(pdf_text(build_customs_declaration(paper, "CN23"), tmp_path).split())
    for text in ("CN 23", "Friedrichstraße 123", "1Z999AA10123456784", "$15.00", "Invoice SO-1"):
        assert text in cn23, text
    invoice = " ".join(pdf_text(build_commercial_invoice(paper), tmp_path).split())
    for text in ("COMMERCIAL INVOICE", "$14.90", "$29.80", "$51.70", "Reason for export: Commercial sample"):
        assert text in invoice, text
    with pytest.raises(ValueError, match="CN22 or a CN23"):
        build_customs_declaration(paper, "CN99")
