"""Our own UPS, USPS and FedEx labels carry every barcode of the carrier's label guide, and each
reads back — ZPL rendered by the independent renderer, PDF rasterised by poppler — with
zxing-cpp to exactly its data: the UPS MaxiCode (structured carrier message), postal barcode
and 1Z barcode; the USPS IMpb; the FedEx PDF417 and 1D barcode."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from fulfilstation.carriers.check_digits import (
    fedex_express_tracking,
    ups_check_digit,
    ups_tracking,
    usps_impb_tracking,
)
from fulfilstation.carriers.label_messages import fedex_2d_message, grouped, ups_maxicode, ups_tracking_caption
from fulfilstation.db.models import Carrier, CarrierAccount, CarrierService, NumberRange, Order
from fulfilstation.documents.labels import LabelDescription, Text, render_pdf, render_zpl, shipping_label
from fulfilstation.documents.labels.description import Barcode, Frame
from fulfilstation.documents.labels.symbol_shapes import maxicode_fits
from fulfilstation.documents.labels.symbols2d import EOT, GS, RS, MaxiCode, Pdf417
from fulfilstation.documents.labels.zpl_2d import hex_escape
from fulfilstation.domain.enums import NumberRangeKind
from fulfilstation.services.shipping.carrier_choice import CarrierChoice, label_for
from tests.support.pdf import pdf_pages_to_png
from tests.support.zpl import render_zpl as rasterise

SHIPPED = dt.date(2026, 12, 7)  # day 341
SHIP_FROM = ("Demo Goods Warehouse", "1200 Industrial Pkwy, Unit 4", "Columbus OH 43219", "US")
UPS = ups_tracking("0W1X23", "03", 5756712)
UPS_AIR = ups_tracking("0W1X23", "02", 42)
IMPB = usps_impb_tracking("055", "901234567", 42)
FEDEX = fedex_express_tracking(10000000042)


class _Session:
    """label_for reads the ship-from address from the site settings: none here."""

    def scalar(self, _statement: object) -> None:
        return None


def order(**changes: object) -> Order:
    fields: dict[str, object] = dict(number="SO-10042", ship_to_name="Christopher Montgomery-Wellington",
                                     ship_to_company="Wellington Holdings",
                                     ship_to_line1="12345 Extraordinarily Long Blvd", ship_to_line2="Suite 1200",
                                     ship_to_city="Springfield", ship_to_region="IL",
                                     ship_to_postal_code="62704", ship_to_country="US")
    fields.update(changes)
    return Order(**fields)


def label(kind: NumberRangeKind, tracking: str, service: str, code: str, account: str, the_order: Order,
          number: int = 1, count: int = 2) -> LabelDescription:
    choice = CarrierChoice(Carrier(code=kind.value), CarrierAccount(account_number=account),
                           CarrierService(name=service, service_code=code), NumberRange(kind=kind.value))
    data = label_for(_Session(), choice, the_order, tracking, number, count, 1180, SHIPPED)  # type: ignore[arg-type]
    return shipping_label(dataclasses.replace(data, ship_from=SHIP_FROM))


def ups_message(tracking: str, rest: str) -> str:
    return f"[)>{RS}01{GS}96" + rest.replace("|", GS).replace("{T}", tracking[:2] + tracking[10:]) + RS + EOT


#: label -> (every 1D/2D barcode zxing reads on the whole page: (format, text)), MaxiCode text or None
CASES: dict[str, tuple[LabelDescription, list[tuple[str, str]], str | None]] = {
    "ups-ground": (
        label(NumberRangeKind.UPS, UPS, "UPS Ground", "03", "0W1X23", order()),
        [("Code128", "42062704"), ("Code128", UPS)],
        ups_message(UPS, "627040000|840|003|{T}|UPSN|0W1X23|341||1/2|3|N||SPRINGFIELD|IL"),  # no room: no street
    ),
    "ups-2day-zip9": (
        label(NumberRangeKind.UPS, UPS_AIR, "UPS 2nd Day Air", "02", "0W1X23",
              order(ship_to_postal_code="62704-1234"), 2, 2),
        [("Code128", "420627041234"), ("Code128", UPS_AIR)],
        ups_message(UPS_AIR, "627041234|840|002|{T}|UPSN|0W1X23|341||2/2|3|N||SPRINGFIELD|IL"),
    ),
    "ups-international": (
        label(NumberRangeKind.UPS, UPS, "UPS Worldwide Saver", "65", "0W1X23",
              order(ship_to_city="London", ship_to_region="", ship_to_postal_code="SW1A 1AA",
                    ship_to_country="GB", ship_to_line1="10 Downing St")),
        [("Code128", "421826SW1A1AA"), ("Code128", UPS)],
        ups_message(UPS, "SW1A1A|826|065|{T}|UPSN|0W1X23|341||1/2|3|N|10 DOWNING ST|LONDON|"),
    ),
    "usps-priority": (
        label(NumberRangeKind.USPS_IMPB, IMPB, "USPS Priority Mail", "055", "901234567", order()),
        [("Code128", f"42062704\x1d{IMPB}")],
        None,
    ),
    "fedex-2day": (
        label(NumberRangeKind.FEDEX_EXPRESS, FEDEX, "FedEx 2Day", "03", "510087020", order()),
        [("PDF417", f"[)>{RS}01{GS}02" + GS.join(["62704", "840", "03", FEDEX, "FDE", "510087020", "341", "",
                                                    "1/2", "3LB", "N", "12345 EXTRAORDINARILY LONG BLVD",
                                                    "SPRINGFIELD", "IL", "CHRISTOPHER MONTGOMERY-WELLINGTON"])
          + RS + EOT),
         ("Code128", FEDEX)],
        None,
    ),
}


def _read(image: Image.Image, formats: zxingcpp.BarcodeFormat | None = None) -> list[tuple[str, str]]:
    found = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain,
                                   **({"formats": formats} if formats is not None else {}))
    return sorted((str(r.format).replace(" ", ""), r.text) for r in found)


def _maxicode_text(page: Path, symbol: MaxiCode, dpi: int, shift: int = 0) -> list[str]:
    """zxing-cpp reads a MaxiCode only from an image of the symbol alone: the ink inside its box
    (+1 mm; the neighbours are 2.5 mm and more away)."""
    per_mm = dpi / 25.4
    box = (round((symbol.x - 1) * per_mm) + shift, round((symbol.y - 1) * per_mm),
           round((symbol.x + symbol.width + 1) * per_mm) + shift, round((symbol.y + symbol.height + 1) * per_mm))
    crop = Image.open(page).convert("L").crop(box)
    ink = crop.point(lambda v: 255 if v < 128 else 0).getbbox()  # the symbol alone, as zxing-cpp wants it
    assert ink is not None
    crop = crop.crop((ink[0] - 2, ink[1] - 2, ink[2] + 2, ink[3] + 2))
    return [text for _format, text in _read(crop, zxingcpp.BarcodeFormat.MaxiCode)]


def _maxicode(description: LabelDescription) -> MaxiCode:
    return next(e for e in description.elements if isinstance(e, MaxiCode))


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("case", sorted(CASES))
def test_zpl_label_barcodes_decode_to_their_data(case: str, dpi: int, tmp_path: Path) -> None:
    description, barcodes, maxicode = CASES[case]
    pages = rasterise(render_zpl(description, dpi), tmp_path / case, dpi=dpi)
    assert len(pages) == 1
    assert _read(Image.open(pages[0]).convert("L")) == sorted(barcodes)
    if maxicode is not None:
        canvas_width = Image.open(pages[0]).size[0]  # the renderer centres ^PW in its whole-dots-per-mm canvas
        shift = (canvas_width - round(4 * dpi) + 1) // 2
        assert _maxicode_text(pages[0], _maxicode(description), dpi, shift) == [maxicode]
        assert _maxicode(description).text() == maxicode


@pytest.mark.parametrize("case", sorted(CASES))
def test_pdf_label_barcodes_decode_to_their_data(case: str, tmp_path: Path) -> None:
    description, barcodes, maxicode = CASES[case]
    page = pdf_pages_to_png(render_pdf([description]), tmp_path, dpi=300)[0]
    assert _read(Image.open(page).convert("L")) == sorted(barcodes)
    if maxicode is not None:
        assert _maxicode_text(page, _maxicode(description), 300) == [maxicode]


def test_the_guides_human_readable_lines_are_printed() -> None:
    ups = {t.text for t in CASES["ups-ground"][0].texts()}
    assert {"UPS GROUND", f"TRACKING #: {ups_tracking_caption(UPS)}", "IL 627", "(420) 62704", "BILLING: P/P",
            "07 DEC 2026", "PKG 1 OF 2"} <= ups
    assert ups_tracking_caption(UPS) == "1Z 0W1 X23 03 5756 712 " + UPS[-1]
    air = CASES["ups-2day-zip9"][0]
    assert "2" in {t.text for t in air.texts()} and any(isinstance(e, Frame) for e in air.elements)
    usps = {t.text for t in CASES["usps-priority"][0].texts()}
    assert {"USPS PRIORITY MAIL", "USPS TRACKING #", "P", "US POSTAGE AND FEES PAID"} <= usps
    assert grouped(IMPB) in usps and grouped(IMPB) == " ".join([IMPB[i:i + 4] for i in range(0, 22, 4)])
    assert len(grouped(IMPB).split(" ")) == 6 and grouped(IMPB).endswith(" " + IMPB[-2:])
    fedex = {t.text for t in CASES["fedex-2day"][0].texts()}
    assert {"FEDEX 2DAY", f"TRK# {FEDEX[:4]} {FEDEX[4:8]} {FEDEX[8:]}", "62704 IL-US",
            "SHIP DATE: 07 DEC 2026"} <= fedex


def test_check_digits_follow_the_guides() -> None:
    assert ups_check_digit("999AA1012345678") == 4  # UPS's published example 1Z 999 AA1 01 2345 678 4
    for number in (UPS, UPS_AIR):
        assert number.startswith("1Z") and len(number) == 18 and ups_check_digit(number[2:17]) == int(number[-1])
    assert len(IMPB) == 22 and IMPB.startswith("94055")  # channel 94, service type code 055 (Priority Mail)
    weights = [3 if i % 2 == 0 else 1 for i in range(21)]  # GS1 mod 10 from the right
    assert (10 - sum(int(d) * w for d, w in zip(reversed(IMPB[:-1]), weights, strict=True)) % 10) % 10 \
        == int(IMPB[-1])
    assert len(FEDEX) == 12 and sum(int(d) * (3, 1, 7)[i % 3] for i, d in enumerate(FEDEX[:11])) % 11 % 10 \
        == int(FEDEX[-1])


def test_a_full_maxicode_drops_the_street_then_shortens_the_city() -> None:
    long = dict(tracking=UPS, shipper="0W1X23", service_code="03", country="US", postal_code="62704",
                package=(1, 1), weight_g=900, pickup=SHIPPED, state="IL",
                street="Apartment 1234 Building Seven Extraordinarily Long Boulevard Northwest",
                city="Rancho Santa Margarita Heights Village")
    symbol = ups_maxicode(**long, fits=maxicode_fits)  # type: ignore[arg-type]
    assert maxicode_fits(symbol)
    unlimited = ups_maxicode(**long)  # type: ignore[arg-type]
    assert "APARTMENT" in unlimited.message
    if not maxicode_fits(unlimited):
        assert "APARTMENT" not in symbol.message and "RANCHO" in symbol.message


def test_fedex_message_and_symbols_refuse_what_they_cannot_carry() -> None:
    message = fedex_2d_message(tracking=FEDEX, account="510087020", service_code="05", country="CA",
                               postal_code="k1a 0b1", package=(1, 1), weight_g=100, pickup=SHIPPED, street="1 Rue",
                               city="Montréal", state="QC", recipient="Zoë")
    assert message.startswith(f"[)>{RS}01{GS}02K1A0B1{GS}124{GS}05{GS}{FEDEX}{GS}FDE{GS}510087020{GS}341{GS}{GS}")
    assert f"{GS}MONTREAL{GS}QC{GS}ZOE{RS}{EOT}" in message
    with pytest.raises(ValueError, match="9-digit"):
        MaxiCode(0, 0, 2, "62704", "840", "003", ups_message(UPS, "x"))
    with pytest.raises(ValueError, match="header|starts"):
        MaxiCode(0, 0, 2, "627040000", "840", "003", "no header")
    with pytest.raises(ValueError, match="fit"):
        render_zpl(LabelDescription(101.6, 152.4, (Pdf417(3, 3, 20, 20, "x" * 50),)), 203)
    assert hex_escape(f"A^B~C_D{GS}{RS}{EOT}") == "A_5EB_7EC_5FD_1D_1E_04"


@pytest.mark.parametrize("case", sorted(CASES))
def test_layout_keeps_margins_and_boxes_apart(case: str) -> None:
    description = CASES[case][0]
    boxes = []
    for element in description.elements:
        width = element.width
        height = element.height if not isinstance(element, Barcode) else element.height
        left, top = element.x, element.y
        assert left >= 3 - 1e-9 and top >= 3 - 1e-9 and left + width <= 98.6 + 1e-9 and top + height <= 149.4 + 1e-9
        if isinstance(element, Text | Barcode | MaxiCode | Pdf417):
            boxes.append((left, top, left + width, top + height, element))
    for index, (l1, t1, r1, b1, first) in enumerate(boxes):
        for l2, t2, r2, b2, second in boxes[index + 1:]:
            assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, (first, second)


def test_a_short_street_fits_in_the_maxicode() -> None:
    symbol = ups_maxicode(tracking=UPS, shipper="0W1X23", service_code="03", country="US", postal_code="43219",
                          package=(1, 1), weight_g=900, pickup=SHIPPED, state="OH", street="12 Elm St",
                          city="Columbus", fits=maxicode_fits)
    assert symbol.text().endswith(f"{GS}N{GS}12 ELM ST{GS}COLUMBUS{GS}OH{RS}{EOT}")
