"""The format rules an incoming ship-to address is checked against (issue #12): the parts a
carrier needs, the country and region known (pycountry), the postal code's shape for the
country, the phone dialable in that country (phonenumbers).

``review_address`` returns the findings (``AddressFinding``: a code, a message in plain words
saying what to fix, whether it holds the order) and, when only the formatting was off
(``united states`` for ``US``, ``Ohio`` for ``OH``, ``sw1a1aa`` for ``SW1A 1AA``), the address
as the warehouse would ship to (``corrected``; None when nothing changed).

Invariants: a postal code is only ever re-spaced and upper-cased, never guessed; a country
with no postal codes (Hong Kong, the Emirates, …; Ireland before Eircodes) accepts a blank
one; a country whose format we do not know accepts any non-blank postal code. Phone findings
never hold here (``holds=False``): whether they do is the site's choice (``check_order``).

Pure: no I/O; the pycountry and phonenumbers tables are read-only data, safe from any thread.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import phonenumbers
import pycountry

REQUIRED = (("name", "name"), ("line1", "street"), ("city", "city"), ("postal_code", "postal code"),
            ("country", "country"))

#: Countries whose carriers need the region (state, province): it must be there and known.
REGION_REQUIRED = frozenset({"US", "CA", "AU"})

#: Countries without postal codes: a blank one is right (Ireland: before Eircodes).
NO_POSTAL_CODE = frozenset({
    "AE", "AG", "AO", "AW", "BF", "BI", "BJ", "BO", "BS", "BW", "BZ", "CD", "CF", "CG", "CI", "CK", "CM", "DJ",
    "DM", "ER", "FJ", "GA", "GD", "GH", "GM", "GQ", "GY", "HK", "IE", "KI", "KM", "KN", "KP", "LC", "LY", "MO",
    "ML", "MR", "MW", "NR", "NU", "QA", "RW", "SB", "SC", "SL", "SR", "ST", "SY", "TD", "TG", "TK", "TL", "TO",
    "TV", "UG", "VU", "YE", "ZW",
})

#: US military regions (APO/FPO/DPO), not in ISO 3166-2 but valid for US addresses.
US_MILITARY = frozenset({"AA", "AE", "AP"})

_ALIASES = {
    "usa": "US", "u.s.a.": "US", "u.s.": "US", "united states of america": "US", "america": "US",
    "uk": "GB", "u.k.": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "britain": "GB",
    "deutschland": "DE", "allemagne": "DE", "osterreich": "AT", "schweiz": "CH", "suisse": "CH", "svizzera": "CH",
    "holland": "NL", "nederland": "NL", "the netherlands": "NL", "belgique": "BE", "belgie": "BE",
    "espana": "ES", "italia": "IT", "sverige": "SE", "norge": "NO", "danmark": "DK", "suomi": "FI",
    "eire": "IE", "polska": "PL", "cesko": "CZ", "czech republic": "CZ", "brasil": "BR", "mexico": "MX",
    "south korea": "KR", "korea": "KR", "russia": "RU", "vietnam": "VN", "taiwan": "TW", "nippon": "JP",
    "uae": "AE", "the uae": "AE", "hong kong sar": "HK",
}


@dataclass(frozen=True)
class PostalFormat:
    pattern: str  # full match on the code upper-cased, spaces and dashes as in ``canonical``
    example: str  # shown to people: "A1A 1A1"
    loose: str = ""  # what to strip before re-spacing (" -"); empty: only upper-case and trim
    split: int = 0  # canonical form: a space (or ``joiner``) ``split`` characters from the END
    joiner: str = " "


_FORMATS: dict[str, PostalFormat] = {
    "US": PostalFormat(r"\d{5}(-\d{4})?", "12345 or 12345-6789"),
    "CA": PostalFormat(r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d", "A1A 1A1", " -", 3),
    "GB": PostalFormat(r"(GIR|[A-Z]{1,2}\d[A-Z\d]?) \d[A-Z]{2}", "SW1A 1AA", " ", 3),
    "DE": PostalFormat(r"\d{5}", "12345"),
    "FR": PostalFormat(r"\d{5}", "75001"),
    "NL": PostalFormat(r"[1-9]\d{3} [A-Z]{2}", "1234 AB", " ", 2),
    "BE": PostalFormat(r"[1-9]\d{3}", "1000"),
    "IT": PostalFormat(r"\d{5}", "00100"),
    "ES": PostalFormat(r"(0[1-9]|[1-4]\d|5[0-2])\d{3}", "28001"),
    "PT": PostalFormat(r"\d{4}-\d{3}", "1000-001", " -", 3, "-"),
    "AT": PostalFormat(r"[1-9]\d{3}", "1010"),
    "CH": PostalFormat(r"[1-9]\d{3}", "8001"),
    "SE": PostalFormat(r"[1-9]\d{2} \d{2}", "123 45", " ", 2),
    "NO": PostalFormat(r"\d{4}", "0150"),
    "DK": PostalFormat(r"\d{4}", "1050"),
    "FI": PostalFormat(r"\d{5}", "00100"),
    "IE": PostalFormat(r"([AC-FHKNPRTV-Y]\d{2}|D6W) [0-9AC-FHKNPRTV-Y]{4}", "A65 F4E2", " ", 4),
    "PL": PostalFormat(r"\d{2}-\d{3}", "00-950", " -", 3, "-"),
    "CZ": PostalFormat(r"\d{3} \d{2}", "110 00", " ", 2),
    "AU": PostalFormat(r"\d{4}", "2000"),
    "NZ": PostalFormat(r"\d{4}", "6011"),
    "JP": PostalFormat(r"\d{3}-\d{4}", "100-0001", " -", 4, "-"),
    "BR": PostalFormat(r"\d{5}-\d{3}", "01310-100", " -", 3, "-"),
    "MX": PostalFormat(r"\d{5}", "06000"),
    "IN": PostalFormat(r"[1-9]\d{5}", "110001", " "),
    "CN": PostalFormat(r"\d{6}", "100000"),
    "KR": PostalFormat(r"\d{5}", "03187"),
    "SG": PostalFormat(r"\d{6}", "018956"),
}


@dataclass(frozen=True)
class AddressFinding:
    code: str  # address-missing, country, region, postal-code, phone
    message: str
    holds: bool = True


@dataclass(frozen=True)
class AddressReview:
    findings: tuple[AddressFinding, ...]
    corrected: dict[str, str] | None  # the whole address as it should ship; None: unchanged


def _plain(text: str) -> str:
    """Lower-case, accents off, single spaces: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@functools.lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """The ISO alpha-2 code of ``text`` (alpha-2, alpha-3, an English or common local name), or None."""
    value = (text or "").strip()
    if not value:
        return None
    plain = _plain(value)
    if plain in _ALIASES:
        return _ALIASES[plain]
    if len(value) == 2:
        found = pycountry.countries.get(alpha_2=value.upper())
        return found.alpha_2 if found is not None else None
    if len(value) == 3:
        found = pycountry.countries.get(alpha_3=value.upper())
        if found is not None:
            return str(found.alpha_2)
    try:
        return str(pycountry.countries.lookup(value).alpha_2)
    except LookupError:
        pass
    for country in pycountry.countries:
        names = (country.name, getattr(country, "common_name", None), getattr(country, "official_name", None))
        if any(name and _plain(name) == plain for name in names):
            return str(country.alpha_2)
    return None


def country_name(code: str) -> str:
    """``Canada``, ``South Korea`` …: the name people use for the alpha-2 ``code``."""
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    return str(getattr(found, "common_name", None) or found.name)


@functools.lru_cache(maxsize=4096)
def region_code(country: str, text: str | None) -> str | None:
    """The region's code within ``country`` (``OH`` for ``OH``, ``US-OH``, ``Ohio``), or None when unknown."""
    value = (text or "").strip()
    if not value:
        return None
    subdivisions = _subdivisions().get(country, ())
    upper = value.upper()
    if country == "US" and upper in US_MILITARY:
        return upper
    wanted = upper if upper.startswith(f"{country}-") else f"{country}-{upper}"
    plain = _plain(value)
    for code, _name in subdivisions:
        if code == wanted:
            return code.split("-", 1)[1]
    for code, name in subdivisions:
        if name == plain:
            return code.split("-", 1)[1]
    return None


def has_regions(country: str) -> bool:
    return bool(_subdivisions().get(country))


@functools.cache
def _subdivisions() -> dict[str, tuple[tuple[str, str], ...]]:
    """ISO 3166-2 by country: (code ``US-OH``, plain name ``ohio``), read once."""
    found: dict[str, list[tuple[str, str]]] = {}
    for subdivision in pycountry.subdivisions:
        found.setdefault(str(subdivision.country_code), []).append((str(subdivision.code),
                                                                    _plain(str(subdivision.name))))
    return {country: tuple(codes) for country, codes in found.items()}


def postal_format(country: str) -> PostalFormat | None:
    return _FORMATS.get(country)


def normal_postal_code(country: str, postal_code: str) -> str:
    """``postal_code`` upper-cased and spaced as the country writes it (not validated)."""
    code = " ".join(postal_code.upper().split())
    rule = _FORMATS.get(country)
    if rule is None:
        return code
    if country == "US":
        digits = code.replace(" ", "").replace("-", "")
        if re.fullmatch(r"\d{9}", digits):
            return f"{digits[:5]}-{digits[5:]}"
        return code.replace(" ", "")
    if rule.loose:
        bare = re.sub(f"[{re.escape(rule.loose)}]", "", code)
        if rule.split and len(bare) > rule.split:
            return f"{bare[:-rule.split]}{rule.joiner}{bare[-rule.split:]}"
        return bare
    return code


def postal_code_fits(country: str, postal_code: str) -> bool:
    rule = _FORMATS.get(country)
    if rule is None:
        return bool(postal_code.strip()) or country in NO_POSTAL_CODE
    if not postal_code.strip():
        return country in NO_POSTAL_CODE
    return re.fullmatch(rule.pattern, normal_postal_code(country, postal_code)) is not None


def phone_fits(country: str, phone: str) -> bool:
    """Whether ``phone`` could be dialled as a number of ``country`` (or is international: +…)."""
    try:
        number = phonenumbers.parse(phone, country)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_possible_number(number))


def review_address(address: Mapping[str, str | None]) -> AddressReview:
    """The findings for a ship-to ``address`` (keys of ``domain.address.Address``) and its
    corrected form (see the module doc)."""
    parts = {key: (value or "").strip() for key, value in address.items() if isinstance(value, str) or value is None}
    findings: list[AddressFinding] = []
    corrected = dict(parts)
    raw_country = parts.get("country", "")
    country = country_code(raw_country)
    if raw_country and country is None:
        findings.append(AddressFinding("country", f"The country {raw_country!r} is not a country we know: "
                                       "give its two-letter ISO code (US, CA, GB, DE …)."))
    if country is not None:
        corrected["country"] = country
    needs_postcode = country is None or country not in NO_POSTAL_CODE
    missing = [words for key, words in REQUIRED if not parts.get(key) and (key != "postal_code" or needs_postcode)]
    if missing:
        findings.append(AddressFinding("address-missing", f"The ship-to address has no {', '.join(missing)}: "
                                       "add it before the order can ship."))
    if country is not None:
        findings += _region(country, parts.get("region", ""), corrected)
        findings += _postal(country, parts.get("postal_code", ""), corrected)
        phone = parts.get("phone", "")
        if phone and not phone_fits(country, phone):
            prefix = phonenumbers.country_code_for_region(country)
            findings.append(AddressFinding("phone", f"The phone {phone!r} is not a phone number in "
                                           f"{country_name(country)}: check its digits (from abroad it starts "
                                           f"+{prefix}).", holds=False))
    changed = {key: value for key, value in corrected.items() if value != parts.get(key, "")}
    if not changed:
        return AddressReview(tuple(findings), None)
    whole = {key: value for key, value in corrected.items() if value}
    return AddressReview(tuple(findings), whole)


def _region(country: str, region: str, corrected: dict[str, str]) -> list[AddressFinding]:
    name = country_name(country)
    if not region:
        if country in REGION_REQUIRED:
            return [AddressFinding("region", f"An address in {name} needs its state or province "
                                   f"({_region_examples(country)}).")]
        return []
    code = region_code(country, region)
    if code is None:
        if country in REGION_REQUIRED:
            return [AddressFinding("region", f"{region!r} is not a state or province of {name}: give its code "
                                   f"({_region_examples(country)}).")]
        if has_regions(country):
            return [AddressFinding("region", f"{region!r} is not a region of {name} we know: check it.",
                                   holds=False)]
        return []
    if country in REGION_REQUIRED:
        corrected["region"] = code
    return []


def _region_examples(country: str) -> str:
    return {"US": "OH, CA, NY …", "CA": "ON, QC, BC …", "AU": "NSW, VIC, QLD …"}.get(country, "its code")


def _postal(country: str, postal_code: str, corrected: dict[str, str]) -> list[AddressFinding]:
    if not postal_code:
        return []  # missing (said above) or not needed
    rule = _FORMATS.get(country)
    if rule is None:
        corrected["postal_code"] = " ".join(postal_code.upper().split())
        return []
    normal = normal_postal_code(country, postal_code)
    if re.fullmatch(rule.pattern, normal) is None:
        return [AddressFinding("postal-code", f"The postal code {postal_code!r} does not fit "
                               f"{country_name(country)}'s format ({rule.example}).")]
    corrected["postal_code"] = normal
    return []
