"""Fixtures for the karrio gateway tests: the UPS and USPS stubs, and gateways pointed at them.

karrio and its UPS/USPS extensions come with the ``test`` extra; without them these tests
skip on a developer's machine and fail in CI (``CI`` set), like the ZPL renderer.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from fulfilstation.carriers.gateway import Parcel, PostalAddress
from fulfilstation.carriers.karrio_gateway import KarrioGateway, karrio_gateway_for
from tests.support.ups_stub import UPSStub
from tests.support.zpl import decode_barcodes, render_zpl

if TYPE_CHECKING:
    from tests.support.usps_stub import USPSStub

ORIGIN = PostalAddress("Fulfil Warehouse", "1 Main St", "Atlanta", "30301", "US", state="GA", phone="4045551234",
                       company="FulfilStation Demo")
DESTINATION = PostalAddress("Bob Buyer", "2 Elm St", "Boston", "02101", "US", state="MA", phone="6175550100")
BOX = Parcel(1000, 300, 200, 100)


def require_extension(carrier: str) -> None:
    if importlib.util.find_spec(f"karrio.mappers.{carrier}") is not None:
        return
    message = f'karrio.{carrier} is not installed (pip install -e ".[test]")'
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture
def ups() -> Iterator[UPSStub]:
    require_extension("ups")
    with UPSStub() as stub:
        yield stub


@pytest.fixture
def usps() -> Iterator[USPSStub]:
    require_extension("usps")
    from tests.support.usps_stub import USPSStub  # noqa: PLC0415

    with USPSStub() as stub:
        yield stub


def ups_gateway(stub: UPSStub, *, timeout_s: float = 5, secret: str | None = None) -> KarrioGateway:
    return karrio_gateway_for("ups", {"account_number": stub.account_number, "server_url": stub.server_url},
                              {"client_id": stub.client_id, "client_secret": secret or stub.client_secret},
                              timeout_s=timeout_s)


def usps_gateway(stub: USPSStub, *, timeout_s: float = 5, secret: str | None = None) -> KarrioGateway:
    return karrio_gateway_for(
        "usps", {"account_number": stub.account_number, "account_type": "EPS", "CRID": stub.crid, "MID": stub.mid,
                 "manifest_MID": stub.mid, "server_url": stub.server_url},
        {"client_id": stub.client_id, "client_secret": secret or stub.client_secret}, timeout_s=timeout_s)


def decoded(zpl: bytes, tmp_path: Path, *, dpi: int = 203) -> list[str]:
    """The text of every barcode on the rendered ZPL label."""
    pngs = render_zpl(zpl, tmp_path / f"label-{abs(hash(zpl))}", dpi=dpi)
    return [code.text for png in pngs for code in decode_barcodes(png)]
