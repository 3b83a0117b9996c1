"""The address format rules (``domain.address_rules``) on real addresses from many countries:
what passes untouched, what is only re-formatted (a correction), what holds, what warns."""

from __future__ import annotations

import pytest

from fulfilstation.domain.address_rules import (
    country_code,
    normal_postal_code,
    postal_code_fits,
    region_code,
    review_address,
)
from fulfilstation.integrations.offline_address import OfflineAddressCheck


def _address(country: str, postal_code: str, city: str = "City", region: str | None = None,
             phone: str | None = None) -> dict[str, str | None]:
    return {"name": "Ada Lovelace", "line1": "1 Main Street", "city": city, "postal_code": postal_code,
            "country": country, "region": region, "phone": phone}


# Real addresses (public buildings) as shops send them, already in the country's own format.
WELL_FORMED = [
    ("US", "20500", "Washington", "DC", "+1 202-456-1111"),
    ("US", "43215-6108", "Columbus", "OH", "(614) 466-3455"),
    ("CA", "K1A 0A6", "Ottawa", "ON", "613-992-4211"),
    ("GB", "SW1A 2AA", "London", None, "020 7925 0918"),
    ("GB", "EH99 1SP", "Edinburgh", None, "0131 348 5000"),
    ("DE", "11011", "Berlin", None, "030 227-0"),
    ("FR", "75008", "Paris", None, "01 42 92 81 00"),
    ("NL", "2513 AA", "Den Haag", None, "070 318 2211"),
    ("BE", "1000", "Bruxelles", None, "+32 2 519 81 11"),
    ("IT", "00186", "Roma", None, "06 67061"),
    ("ES", "28014", "Madrid", None, "913 90 60 00"),
    ("PT", "1249-068", "Lisboa", None, "213 919 000"),
    ("AT", "1017", "Wien", None, "01 40110"),
    ("CH", "3003", "Bern", None, "058 322 87 90"),
    ("SE", "100 12", "Stockholm", None, "08-786 40 00"),
    ("NO", "0026", "Oslo", None, "23 31 30 00"),
    ("DK", "1240", "København", None, "33 37 55 00"),
    ("FI", "00102", "Helsinki", None, "09 4321"),
    ("IE", "D02 HX65", "Dublin", None, "01 618 3000"),
    ("IE", "", "Dublin", None, None),
    ("PL", "00-902", "Warszawa", None, "22 694 25 00"),
    ("CZ", "118 26", "Praha", None, "224 971 111"),
    ("AU", "2600", "Canberra", "ACT", "02 6277 7111"),
    ("AU", "2000", "Sydney", "NSW", None),
    ("NZ", "6160", "Wellington", None, "04 817 9999"),
    ("JP", "100-8914", "Tokyo", None, "03-3581-2361"),
    ("BR", "70150-900", "Brasília", None, "61 3411-1221"),
    ("MX", "06066", "Ciudad de México", None, "55 3688 1100"),
    ("IN", "110004", "New Delhi", None, "011 2301 5321"),
    ("CN", "100017", "Beijing", None, None),
    ("KR", "03048", "Seoul", None, "02-730-5800"),
    ("SG", "178957", "Singapore", None, "6332 7878"),
    ("HK", "", "Hong Kong", None, "2878 3300"),
    ("AE", "", "Dubai", None, "+971 4 330 0000"),
    ("IS", "101", "Reykjavík", None, None),  # a format we do not know: anything non-blank
]


@pytest.mark.parametrize(("country", "postal_code", "city", "region", "phone"), WELL_FORMED)
def test_a_well_formed_address_passes_unchanged(country: str, postal_code: str, city: str, region: str | None,
                                                phone: str | None) -> None:
    review = review_address(_address(country, postal_code, city, region, phone))
    assert review.findings == ()
    assert review.corrected is None


@pytest.mark.parametrize(("country", "typed", "written"), [
    ("CA", "k1a0a6", "K1A 0A6"), ("GB", "sw1a2aa", "SW1A 2AA"), ("GB", "  ec1a  1bb ", "EC1A 1BB"),
    ("NL", "2513aa", "2513 AA"), ("US", "432156108", "43215-6108"), ("PL", "00902", "00-902"),
    ("JP", "1008914", "100-8914"), ("BR", "70150900", "70150-900"), ("SE", "10012", "100 12"),
    ("IE", "d02hx65", "D02 HX65"), ("PT", "1249 068", "1249-068"), ("CZ", "11826", "118 26"),
])
def test_a_postal_code_only_formatted_differently_is_corrected(country: str, typed: str, written: str) -> None:
    assert normal_postal_code(country, typed) == written
    review = review_address(_address(country, typed, region={"CA": "ON", "US": "OH"}.get(country)))
    assert review.findings == ()
    assert review.corrected is not None and review.corrected["postal_code"] == written


@pytest.mark.parametrize(("country", "postal_code", "format_words"), [
    ("CA", "K1A0B1X", "Canada's format (A1A 1A1)"), ("US", "4321", "United States's format (12345 or 12345-6789)"),
    ("GB", "SW1A", "United Kingdom's format (SW1A 1AA)"), ("DE", "1011", "Germany's format (12345)"),
    ("NL", "0123 AB", "Netherlands's format (1234 AB)"), ("ES", "99001", "Spain's format (28001)"),
    ("IN", "012345", "India's format (110001)"), ("AU", "20000", "Australia's format (2000)"),
    ("IE", "B99 1234", "Ireland's format (A65 F4E2)"), ("JP", "12345", "Japan's format (100-0001)"),
])
def test_a_postal_code_that_does_not_fit_holds_and_says_the_format(country: str, postal_code: str,
                                                                   format_words: str) -> None:
    rules = {"CA": "ON", "US": "OH", "AU": "NSW"}
    review = review_address(_address(country, postal_code, region=rules.get(country)))
    assert [(f.code, f.holds) for f in review.findings] == [("postal-code", True)]
    assert review.findings[0].message == f"The postal code {postal_code!r} does not fit {format_words}."


def test_the_message_for_a_canadian_code_reads_as_the_warehouse_wants() -> None:
    review = review_address(_address("CA", "K1A0B1X", region="ON"))
    assert review.findings[0].message == "The postal code 'K1A0B1X' does not fit Canada's format (A1A 1A1)."


@pytest.mark.parametrize(("text", "code"), [
    ("US", "US"), ("us", "US"), ("USA", "US"), ("United States", "US"), ("United States of America", "US"),
    ("DEU", "DE"), ("Deutschland", "DE"), ("Germany", "DE"), ("UK", "GB"), ("United Kingdom", "GB"),
    ("Österreich", "AT"), ("España", "ES"), ("South Korea", "KR"), ("Viet Nam", "VN"), ("Vietnam", "VN"),
    ("CAN", "CA"), ("Canada", "CA"), ("Brasil", "BR"),
])
def test_a_country_is_known_by_its_codes_and_names(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize("text", ["XX", "ZZZ", "Atlantis", "U"])
def test_an_unknown_country_holds(text: str) -> None:
    assert country_code(text) is None
    review = review_address(_address(text, "12345"))
    assert [(f.code, f.holds) for f in review.findings] == [("country", True)]
    assert repr(text) in review.findings[0].message


@pytest.mark.parametrize(("country", "text", "code"), [
    ("US", "OH", "OH"), ("US", "oh", "OH"), ("US", "US-OH", "OH"), ("US", "Ohio", "OH"), ("US", "PR", "PR"),
    ("US", "AE", "AE"), ("CA", "ON", "ON"), ("CA", "Québec", "QC"), ("CA", "Quebec", "QC"), ("AU", "NSW", "NSW"),
    ("AU", "New South Wales", "NSW"), ("MX", "CMX", "CMX"), ("JP", "Tokyo", "13"),
])
def test_a_region_is_known_by_its_code_and_name(country: str, text: str, code: str) -> None:
    assert region_code(country, text) == code


def test_a_state_given_by_name_and_a_country_by_name_are_corrected_to_codes() -> None:
    review = review_address(_address("United States", "43215", "Columbus", "Ohio"))
    assert review.findings == ()
    assert review.corrected is not None
    assert (review.corrected["country"], review.corrected["region"]) == ("US", "OH")
    assert review.corrected["name"] == "Ada Lovelace"  # the whole address, not only what changed


def test_a_us_canadian_or_australian_address_needs_a_known_state() -> None:
    missing = review_address(_address("US", "43215"))
    assert [(f.code, f.holds) for f in missing.findings] == [("region", True)]
    assert "needs its state or province" in missing.findings[0].message
    unknown = review_address(_address("CA", "K1A 0A6", region="XY"))
    assert [(f.code, f.holds) for f in unknown.findings] == [("region", True)]
    assert "'XY' is not a state or province of Canada" in unknown.findings[0].message


def test_an_unknown_region_elsewhere_only_warns() -> None:
    review = review_address(_address("DE", "11011", region="Narnia"))
    assert [(f.code, f.holds) for f in review.findings] == [("region", False)]


def test_missing_parts_are_named() -> None:
    review = review_address({"name": "", "line1": " ", "city": "Berlin", "postal_code": "", "country": "DE"})
    assert [(f.code, f.holds) for f in review.findings] == [("address-missing", True)]
    assert "no name, street, postal code" in review.findings[0].message


def test_a_country_without_postal_codes_accepts_a_blank_one_but_a_postal_country_does_not() -> None:
    assert postal_code_fits("HK", "")
    assert postal_code_fits("IE", "")
    assert not postal_code_fits("DE", "")
    assert postal_code_fits("IS", "101")  # unknown format: anything non-blank
    assert not postal_code_fits("IS", "")


@pytest.mark.parametrize(("country", "phone"),
                         [("DE", "0301234567890123456789"), ("US", "555"), ("GB", "0207 946 0000 000 000")])
def test_a_phone_that_cannot_be_dialled_warns(country: str, phone: str) -> None:
    review = review_address(_address(country, {"DE": "11011", "US": "43215", "GB": "SW1A 2AA"}[country],
                                     region="OH" if country == "US" else None, phone=phone))
    assert [(f.code, f.holds) for f in review.findings] == [("phone", False)]
    assert repr(phone) in review.findings[0].message


def test_offline_address_check_reports_findings_and_corrections_as_the_port_says() -> None:
    verdict = OfflineAddressCheck().check(_address("Canada", "k1a0a6", "Ottawa", "Ontario", "12"))
    assert verdict.problems == (("phone", verdict.problems[0][1], False),)
    assert verdict.corrected is not None
    assert (verdict.corrected["country"], verdict.corrected["region"], verdict.corrected["postal_code"]) == (
        "CA", "ON", "K1A 0A6")
