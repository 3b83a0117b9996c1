"""Tracking-number check digits, as published (see ``specs/devices.md``). Pure functions."""

from __future__ import annotations

from fulfilstation.domain.gs1 import gs1_check_digit


def ups_check_digit(body: str) -> int:
    """Over the 15 characters after ``1Z``: letters map to (ord − 3) mod 10, digits at odd
    0-based positions are doubled; check = (10 − sum mod 10) mod 10."""
    if len(body) != 15 or not body.isalnum():
        raise ValueError(f"a UPS tracking body is 15 letters or digits, not {body!r}")
    total = 0
    for index, char in enumerate(body.upper()):
        value = int(char) if char.isdigit() else (ord(char) - 3) % 10
        total += value * 2 if index % 2 else value
    return (10 - total % 10) % 10


def fedex_express_check_digit(first11: str) -> int:
    """Weights 3, 1, 7 repeating over the first 11 digits; check = (sum mod 11) mod 10."""
    if len(first11) != 11 or not first11.isdigit():
        raise ValueError(f"FedEx Express numbers start with 11 digits, not {first11!r}")
    weights = (3, 1, 7)
    return sum(int(d) * weights[i % 3] for i, d in enumerate(first11)) % 11 % 10


def ups_tracking(shipper: str, service_code: str, package_number: int) -> str:
    body = f"{shipper.upper():0>6}"[-6:] + f"{service_code:0>2}" + f"{package_number:07d}"
    return f"1Z{body}{ups_check_digit(body)}"


def usps_impb_tracking(service_type_code: str, mailer_id: str, serial: int) -> str:
    """22 digits: channel 94, 3-digit STC, mailer id and serial (9 + 7 or 6 + 10 digits),
    check digit."""
    if len(mailer_id) not in (6, 9) or not mailer_id.isdigit():
        raise ValueError("this numbering needs a 6- or 9-digit USPS mailer id")
    width = 16 - len(mailer_id)
    if not 0 <= serial < 10 ** width:
        raise ValueError(f"a serial with a {len(mailer_id)}-digit mailer id has at most {width} digits")
    body = f"94{service_type_code:0>3}{mailer_id}{serial:0{width}d}"
    return body + str(gs1_check_digit(body))


def fedex_express_tracking(serial: int) -> str:
    first11 = f"{serial:011d}"
    return first11 + str(fedex_express_check_digit(first11))


def sscc(extension: str, company_prefix: str, serial: int) -> str:
    """SSCC-18: extension digit, GS1 company prefix, serial reference, GS1 check digit."""
    reference_digits = 16 - len(company_prefix)
    body = f"{extension}{company_prefix}{serial:0{reference_digits}d}"
    if len(body) != 17 or not body.isdigit():
        raise ValueError(f"cannot build an SSCC from {extension!r}, {company_prefix!r}, {serial}")
    return body + str(gs1_check_digit(body))
