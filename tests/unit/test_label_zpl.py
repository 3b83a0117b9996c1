"""ZPL labels rendered by an independent renderer (zpl-renderer-js) and read back with zxing-cpp:
every label kind at 203 and 300 dpi decodes to exactly its data, GS1 structure included, and
text never leaves its box."""

from __future__ import annotations

import dataclasses
import datetime as dt
import string
from pathlib import Path

import pytest
from PIL import Image

from fulfilstation.carriers.check_digits import fedex_express_tracking, sscc, ups_tracking, usps_impb_tracking
from fulfilstation.db.models import Carrier, CarrierAccount, CarrierService, NumberRange
from fulfilstation.documents.labels import (
    LabelDescription,
    ShippingLabelData,
    Text,
    bin_label,
    fit_text,
    product_label,
    render_zpl,
    shipping_label,
)
from fulfilstation.documents.labels.zpl import zpl_measure
from fulfilstation.documents.shipping_label_zpl import render_zpl as render_shipping_zpl
from fulfilstation.services.shipping.carrier_choice import CarrierChoice, barcode_for
from tests.support.zpl import decode_barcodes
from tests.support.zpl import render_zpl as rasterise

LONG_NAME = "Christopher Alexander Montgomery-Wellington III"
LONG_COMPANY = "The Very Long Company Name Holdings International Inc"
SHIP_FROM = ("Demo Goods Warehouse", "1200 Industrial Pkwy, Unit 4", "Columbus OH 43219", "US")
LONG_SHIP_TO = (LONG_NAME, LONG_COMPANY, "12345 Extraordinarily Long Boulevard Name Northwest",
                "Building 7, Floor 12, Suite 1200, Mailstop 42", "Rancho Santa Margarita CA 92688", "US")
SSCC = sscc("0", "0614141", 123456789)
IMPB = usps_impb_tracking("055", "901234567", 42)
UPS = ups_tracking("5R8939", "03", 5756712)
FEDEX = fedex_express_tracking(98657878885)
SIZES = {"shipping": (4, 6), "product": (4, 4), "bin": (2, 1), "small": (2, 1)}
SMALL = ("bin", "small")  # 2 x 1 in labels: 1.5 mm margins


def choice(kind: str) -> CarrierChoice:
    return CarrierChoice(Carrier(code=kind), CarrierAccount(), CarrierService(name="Ground"), NumberRange(kind=kind))


def shipping_data(kind: str, tracking: str, postal_code: str = "62704", **changes: object) -> ShippingLabelData:
    data, caption = barcode_for(choice(kind), tracking, postal_code)
    label = ShippingLabelData(SHIP_FROM, LONG_SHIP_TO, "GROUND", 1, 2, "1.25 LB (567 g)", "SO-10042", tracking,
                              data, caption)
    return dataclasses.replace(label, **changes)  # type: ignore[arg-type]


#: (label, what zxing-cpp must read: format, text, AIM symbology)
CASES: dict[str, tuple[LabelDescription, str, tuple[str, str, str]]] = {
    "sscc": (shipping_label(shipping_data("sscc", SSCC)), "shipping", ("Code128", f"00{SSCC}", "]C1")),
    "usps-impb": (shipping_label(shipping_data("usps-impb", IMPB)), "shipping",
                  ("Code128", f"42062704\x1d{IMPB}", "]C1")),
    "usps-impb-zip9": (shipping_label(shipping_data("usps-impb", IMPB, "62704-1234")), "shipping",
                       ("Code128", f"420627041234\x1d{IMPB}", "]C1")),
    "ups": (shipping_label(shipping_data("ups", UPS)), "shipping", ("Code128", UPS, "]C0")),
    "fedex": (shipping_label(shipping_data("fedex-express", FEDEX)), "shipping", ("Code128", FEDEX, "]C0")),
    "product-gtin": (product_label("MUG-CER-350", "Ceramic Mug 350 ml — speckled glaze", "4006381333931",
                                   "Bin A-01-1"), "product", ("EAN-13", "4006381333931", "]E0")),
    "product-upc": (product_label("NB-A5", "Notebook A5", "036000291452"), "product",
                    ("EAN-13", "0036000291452", "]E0")),
    "product-case": (product_label("MUG-CASE", "Mugs, case of 12", "10614141000019"), "product",
                     ("Code128", "0110614141000019", "]C1")),
    "product-gtin8": (product_label("PEN", "Pen", "96385074"), "product", ("Code128", "0100000096385074", "]C1")),
    "product-lot": (product_label("TEA-EARL-100", "Earl Grey Loose Tea 100 g", "04006381333931", lot="L26/0042",
                                  expiry=dt.date(2027, 3, 31)), "product",
                    ("Code128", "01040063813339311727033110L26/0042", "]C1")),
    "product-small": (product_label("MUG-CER-350", "Ceramic Mug 350 ml — speckled glaze", "04006381333931",
                                    size="2x1"), "small", ("EAN-13", "4006381333931", "]E0")),
    "product-small-upc": (product_label("NB-A5", "Notebook A5", "00036000291452", size="2x1"), "small",
                          ("EAN-13", "0036000291452", "]E0")),
    "product-small-case": (product_label("MUG-CASE", "Mugs, case of 12", "10614141000019", size="2x1"), "small",
                           ("Code128", "0110614141000019", "]C1")),
    "product-small-sku": (product_label("SOAP-LAV-100", "Lavender soap", size="2x1"), "small",
                          ("Code128", "SOAP-LAV-100", "]C0")),
    "product-sku": (product_label("SOAP-LAV-100", "Lavender soap"), "product", ("Code128", "SOAP-LAV-100", "]C0")),
    "bin": (bin_label("A-01-1"), "bin", ("Code128", "A-01-1", "]C0")),
    "bin-dock": (bin_label("RECV-01"), "bin", ("Code128", "RECV-01", "]C0")),
}


def black_box(png: Path, print_width: int | None = None) -> tuple[int, int, int, int] | None:
    """Bounding box (left, top, right, bottom) of the dark pixels, in printer dots.

    The renderer works at whole dots per mm (12 for 300 dpi, a 1219-dot wide 4 in canvas)
    and centres the ``^PW`` print width in it: give ``print_width`` to undo that shift."""
    image = Image.open(png).convert("L")
    box = image.point(lambda v: 255 if v < 128 else 0).getbbox()
    shift = (image.size[0] - print_width + 1) // 2 if print_width else 0
    return None if box is None else (box[0] - shift, box[1], box[2] - shift, box[3])


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_label_kind_decodes_to_exactly_its_data(case: str, dpi: int, tmp_path: Path) -> None:
    label, kind, expected = CASES[case]
    width, height = SIZES[kind]
    zpl = render_zpl(label, dpi)
    assert f"^PW{round(width * dpi)}" in zpl.decode() and f"^LL{round(height * dpi)}" in zpl.decode()
    pages = rasterise(zpl, tmp_path / case, dpi=dpi, width_in=width, height_in=height)
    assert len(pages) == 1
    assert [(d.format, d.text, d.symbology) for d in decode_barcodes(pages[0])] == [expected]
    margin, slack = (1.5 if kind in SMALL else 3.0) * dpi / 25.4, 0.3 * dpi / 25.4  # glyphs may rise 0.3 mm
    page = (round(width * dpi), round(height * dpi))
    left, top, right, bottom = black_box(pages[0], page[0]) or (0, 0, 0, 0)
    assert left >= margin - slack and top >= margin - slack
    assert right <= page[0] - margin + slack and bottom <= page[1] - margin + slack


def test_label_sizes_and_the_gs1_field_data() -> None:
    zpl = render_zpl(CASES["usps-impb"][0], 203).decode()
    assert "^PW812\n^LL1218" in zpl and "^CI28" in zpl
    assert f"^FD>;>842062704>8{IMPB}^FS" in zpl
    assert "^PW1200\n^LL1800" in render_zpl(CASES["sscc"][0], 300).decode()
    assert f"^FD>;>800{SSCC}^FS" in render_zpl(CASES["sscc"][0], 300).decode()


def test_same_data_gives_the_same_bytes_and_the_wrapper_matches() -> None:
    data = shipping_data("sscc", SSCC)
    assert render_shipping_zpl(data) == render_zpl(shipping_label(data), 203) == render_shipping_zpl(data)
    assert render_shipping_zpl(data, 300) == render_zpl(shipping_label(data), 300)
    with pytest.raises(ValueError, match="203 or 300"):
        render_zpl(shipping_label(data), 600)


@pytest.mark.parametrize("dpi", [203, 300])
def test_long_names_and_addresses_stay_inside_their_text_boxes(dpi: int, tmp_path: Path) -> None:
    """Each text block of the long-address label, rendered alone, prints only inside its box."""
    label = CASES["sscc"][0]
    texts = label.texts()
    alone = b"".join(render_zpl(dataclasses.replace(label, elements=(text,)), dpi) for text in texts)
    pages = rasterise(alone, tmp_path / "texts", dpi=dpi)
    assert len(pages) == len(texts)
    per_mm = dpi / 25.4
    slack = 0.3 * per_mm  # a glyph may rise a little above its cell
    for text, page in zip(texts, pages, strict=True):
        box = black_box(page, round(4 * dpi))
        assert box is not None, text
        left, top, right, bottom = box
        assert left >= text.x * per_mm - slack and right <= (text.x + text.width) * per_mm + slack, (text.text, box)
        assert top >= text.y * per_mm - slack and bottom <= (text.y + text.height) * per_mm + slack, (text.text, box)
    name = next(text for text in texts if text.text == LONG_NAME)
    assert fit_text(name, zpl_measure(True, dpi)).lines == ("Christopher Alexander", "Montgomery-Wellington III")


def test_layout_math_keeps_every_line_within_width_and_line_count() -> None:
    measure = zpl_measure(True, 203)
    crowded = Text(0, 0, 40, f"{LONG_NAME}\n{LONG_COMPANY}\n" + "Supercalifragilisticexpialidocious" * 3, 5.0,
                   max_lines=3, min_size=2.5)
    fitted = fit_text(crowded, measure)
    assert len(fitted.lines) <= 3 and 2.5 <= fitted.size <= 5.0
    assert all(measure(line, fitted.size) <= 40 for line in fitted.lines)
    assert fitted.lines[-1].endswith("...")
    roomy = fit_text(Text(0, 0, 90, "SHIP TO:", 3.0), measure)
    assert roomy == type(roomy)(("SHIP TO:",), 3.0)
    shrunk = fit_text(Text(0, 0, 40, "PRIORITY MAIL EXPRESS", 6.0, min_size=3.0), measure)
    assert shrunk.lines == ("PRIORITY MAIL EXPRESS",) and shrunk.size < 6.0


def test_width_estimate_is_an_upper_bound_of_the_renderer_font(tmp_path: Path) -> None:
    chars = [c for c in string.printable[:95] if c not in "^~_\\ "] + list("ÄÖÜÉßøåçñÆ")
    labels = [LabelDescription(101.6, 152.4, (Text(0, 2, 101.6, c * 8, 5.0, min_size=5.0),)) for c in chars]
    pages = rasterise(b"".join(render_zpl(label, 203) for label in labels), tmp_path / "chars")
    measure = zpl_measure(True, 203)
    for char, page in zip(chars, pages, strict=True):
        box = black_box(page)
        assert box is not None and box[2] <= measure(char * 8, 5.0) * 8 + 1, (char, box)


def test_text_is_escaped_and_non_latin_text_uses_the_unicode_font() -> None:
    japanese = ("佐藤 花子", "丸の内1-9-1", "千代田区, 東京都 100-0005", "JP")
    label = shipping_label(shipping_data("sscc", SSCC, ship_to=japanese, reference="A^B~C_D\\E"))
    zpl = render_zpl(label, 203).decode("utf-8")
    assert "^A@N,43,43,E:TT0003M_.FNT^FB" in zpl and "^FD佐藤 花子^FS" in zpl
    assert "REF A_5EB_7EC_5FD\\\\E^FS" in zpl
    assert "^A0N," in zpl  # Latin text keeps font 0
    swiss = render_zpl(label, 203, unicode_font="E:NOTOSANSCJK.TTF").decode()
    assert "^A@N,43,43,E:NOTOSANSCJK.TTF^FB" in swiss
    dashes = render_zpl(CASES["product-gtin"][0], 203).decode()
    assert "Ceramic Mug 350 ml - speckled glaze" in dashes and "^A@" not in dashes


@pytest.mark.parametrize("case", ["sscc", "product-gtin", "product-lot", "product-small", "bin"])
def test_layout_keeps_margins_and_boxes_apart(case: str) -> None:
    label, kind, _expected = CASES[case]
    margin = 1.5 if kind in SMALL else 3.0
    boxes = [(e.x, e.y, e.x + e.width, e.y + e.height) for e in label.elements]
    for left, top, right, bottom in boxes:
        assert left >= margin - 1e-9 and top >= margin - 1e-9
        assert right <= label.width - margin + 1e-9 and bottom <= label.height - margin + 1e-9
    for index, first in enumerate(boxes):
        for second in boxes[index + 1:]:
            apart = first[2] <= second[0] or second[2] <= first[0] or first[3] <= second[1] or second[3] <= first[1]
            assert apart, (first, second)
