"""The demo catalogue, people, boxes and carriers as plain data (no database here)."""

from __future__ import annotations

from dataclasses import dataclass

from fulfilstation.domain.gs1 import with_check_digit


@dataclass(frozen=True)
class DemoProduct:
    sku: str
    name: str
    weight_g: int
    size_mm: tuple[int, int, int]
    price_minor: int
    case_quantity: int = 0  # >0: the product also has a case GTIN-14 counting this many
    lot_tracked: bool = False
    serial_tracked: bool = False
    fragile: bool = False
    hazmat: bool = False


# (sku, name, weight g, (l, w, h) mm, price in cents, case qty, flags)
_PRODUCTS: list[DemoProduct] = [
    DemoProduct("MUG-CER-350", "Ceramic Mug 350 ml, Slate", 380, (120, 90, 100), 1490, 12, fragile=True),
    DemoProduct("MUG-ENA-300", "Enamel Camp Mug 300 ml", 190, (110, 85, 80), 1290, 24),
    DemoProduct("BTL-SS-750", "Stainless Water Bottle 750 ml", 340, (75, 75, 265), 2490, 12),
    DemoProduct("BTL-GL-500", "Glass Bottle with Sleeve 500 ml", 420, (70, 70, 230), 1990, fragile=True),
    DemoProduct("TEA-EARL-100", "Earl Grey Loose Tea 100 g", 130, (80, 50, 140), 890, 20, lot_tracked=True),
    DemoProduct("TEA-SEN-100", "Sencha Green Tea 100 g", 125, (80, 50, 140), 1090, 20, lot_tracked=True),
    DemoProduct("COF-ESP-250", "Espresso Beans 250 g", 270, (90, 60, 180), 1190, 12, lot_tracked=True),
    DemoProduct("COF-FIL-1K", "Filter Coffee 1 kg", 1040, (130, 90, 260), 2890, 6, lot_tracked=True),
    DemoProduct("VIT-D3-90", "Vitamin D3 Capsules, 90", 95, (55, 55, 100), 1490, 24, lot_tracked=True),
    DemoProduct("VIT-MAG-60", "Magnesium Tablets, 60", 110, (55, 55, 100), 1290, 24, lot_tracked=True),
    DemoProduct("SOAP-LAV-100", "Lavender Bar Soap 100 g", 115, (85, 55, 30), 690, 48),
    DemoProduct("SOAP-OAT-100", "Oatmeal Bar Soap 100 g", 115, (85, 55, 30), 690, 48),
    DemoProduct("CNDL-CED-200", "Cedar Candle in Tin 200 g", 310, (85, 85, 70), 1890, 12),
    DemoProduct("CNDL-FIG-300", "Fig Candle in Glass 300 g", 560, (90, 90, 100), 2990, 6, fragile=True),
    DemoProduct("NB-A5-DOT", "Notebook A5 Dotted", 290, (210, 148, 15), 1490, 20),
    DemoProduct("NB-A5-LIN", "Notebook A5 Lined", 290, (210, 148, 15), 1490, 20),
    DemoProduct("NB-A6-POC", "Pocket Notebook A6, 3-pack", 240, (148, 105, 20), 1190, 20),
    DemoProduct("PEN-GEL-BLK", "Gel Pen 0.5 mm, Black", 12, (145, 12, 12), 250, 50),
    DemoProduct("PEN-FTN-NAV", "Fountain Pen, Navy", 38, (140, 15, 15), 3490),
    DemoProduct("INK-BLU-50", "Bottled Ink Blue 50 ml", 140, (55, 55, 70), 1290, 12, fragile=True),
    DemoProduct("SOCK-WL-M", "Merino Hiking Socks, M", 80, (220, 100, 20), 1890, 24),
    DemoProduct("SOCK-WL-L", "Merino Hiking Socks, L", 85, (230, 100, 20), 1890, 24),
    DemoProduct("CAP-CTN-OLV", "Cotton Cap, Olive", 95, (260, 190, 120), 2190),
    DemoProduct("BEANIE-GRY", "Knit Beanie, Grey", 110, (220, 200, 30), 1990),
    DemoProduct("TOTE-CNV-NAT", "Canvas Tote Bag", 230, (380, 300, 10), 1690, 25),
    DemoProduct("TWL-TEA-2PK", "Linen Tea Towels, 2-pack", 180, (250, 160, 20), 1890),
    DemoProduct("CUT-BRD-OAK", "Oak Cutting Board", 1150, (400, 250, 20), 4490),
    DemoProduct("KNF-PAR-90", "Paring Knife 9 cm", 70, (200, 40, 20), 2290, serial_tracked=False),
    DemoProduct("GRN-PEP-WD", "Wooden Pepper Grinder", 260, (60, 60, 200), 2790),
    DemoProduct("SPC-SMK-PAP", "Smoked Paprika 80 g", 95, (50, 50, 110), 590, 24, lot_tracked=True),
    DemoProduct("HNY-WLD-340", "Wildflower Honey 340 g", 480, (75, 75, 105), 1290, 12, lot_tracked=True, fragile=True),
    DemoProduct("OIL-OLV-500", "Olive Oil 500 ml", 820, (60, 60, 290), 1890, 12, lot_tracked=True, fragile=True),
    DemoProduct("LAMP-LED-DSK", "LED Desk Lamp", 900, (300, 160, 120), 5990, serial_tracked=True),
    DemoProduct("SPK-BT-MINI", "Mini Bluetooth Speaker", 260, (95, 95, 60), 3990, serial_tracked=True),
    DemoProduct("HP-WL-OVR", "Wireless Over-Ear Headphones", 310, (200, 180, 90), 8990, serial_tracked=True),
    DemoProduct("CBL-USBC-1M", "USB-C Cable 1 m", 35, (120, 80, 20), 990, 50),
    DemoProduct("CHG-USBC-30W", "USB-C Charger 30 W", 75, (60, 45, 35), 2490, 20, serial_tracked=True),
    DemoProduct("PWR-BNK-10K", "Power Bank 10,000 mAh", 210, (100, 65, 25), 3490, serial_tracked=True, hazmat=True),
    DemoProduct("BAT-AA-8PK", "AA Batteries, 8-pack", 190, (110, 70, 20), 790, 24, hazmat=True),
    DemoProduct("PUZ-1000-MAP", "Puzzle 1000 pcs, Old Map", 720, (270, 190, 60), 2490, 8),
    DemoProduct("GAME-CRD-FAM", "Family Card Game", 230, (130, 95, 40), 1590, 12),
    DemoProduct("YOGA-MAT-6", "Yoga Mat 6 mm", 1450, (610, 150, 150), 3990),
    DemoProduct("BAND-RES-SET", "Resistance Bands Set", 330, (180, 120, 50), 2290, 10),
    DemoProduct("PLANT-POT-12", "Terracotta Plant Pot 12 cm", 640, (125, 125, 110), 990, 8, fragile=True),
]

@dataclass(frozen=True)
class DemoKit:
    """A kit: sold as one product, packed as its components (``(sku, per kit)``)."""

    sku: str
    name: str
    price_minor: int
    size_mm: tuple[int, int, int]
    components: tuple[tuple[str, int], ...]


# Kits come after the products (their GTINs follow the products'); SO-10002 orders the first.
DEMO_KITS: list[DemoKit] = [
    DemoKit("GIFT-TEA-SET", "Tea Time Gift Set", 3290, (200, 150, 110),
            (("MUG-CER-350", 1), ("TEA-EARL-100", 1), ("TEA-SEN-100", 1))),
]
KIT_ORDER = 1  # the demo order (0-based: SO-10002) that also orders the first kit


DEMO_COMPANY_PREFIX = "0614141"  # GS1 US-style company prefix; with item refs below -> GTIN-13


def demo_products() -> list[DemoProduct]:
    return list(_PRODUCTS)


def unit_gtin(index: int) -> str:
    """The product's unit GTIN as 14 digits (an EAN-13/UPC-A behind a leading zero)."""
    return "0" + with_check_digit(f"{DEMO_COMPANY_PREFIX}{index + 1:05d}")


def case_gtin(index: int) -> str:
    """The case GTIN-14: indicator digit 1 before the unit GTIN's first 12 digits."""
    return with_check_digit("1" + unit_gtin(index)[1:13])


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    pin: str
    badge: str


DEMO_USERS = [
    DemoUser("packer", "Pat Packer", "packer", "1111", "BADGE-0001"),
    DemoUser("packer2", "Sam Second", "packer", "4444", "BADGE-0004"),
    DemoUser("manager", "Morgan Manager", "manager", "2222", "BADGE-0002"),
    DemoUser("owner", "Olive Owner", "owner", "3333", "BADGE-0003"),
]

# code, name, inner l/w/h mm, tare g, max g, cost cents
DEMO_BOXES = [
    ("BOX-POLY-S", "Poly mailer S", (250, 180, 30), 15, 2000, 18),
    ("BOX-MAIL-A5", "Cardboard mailer A5", (230, 170, 50), 85, 3000, 45),
    ("BOX-S", "Box S 20x15x10", (200, 150, 100), 150, 10000, 55),
    ("BOX-M", "Box M 30x20x15", (300, 200, 150), 260, 20000, 80),
    ("BOX-L", "Box L 40x30x20", (400, 300, 200), 420, 25000, 120),
    ("BOX-XL", "Box XL 60x40x30", (600, 400, 300), 780, 30000, 210),
]

SHIP_FROM = {
    "name": "Demo Goods Warehouse",
    "line1": "1200 Industrial Pkwy, Unit 4",
    "city": "Columbus",
    "region": "OH",
    "postal_code": "43219",
    "country": "US",
    "phone": "+1 614 555 0100",
}


#: Who the demo buys each product family from (by the SKU's first word) and its lead time in days.
_SUPPLIERS: dict[str, tuple[str, int]] = {
    **dict.fromkeys(("MUG", "BTL", "CUT", "KNF", "TWL"), ("Harbour Homeware Ltd", 21)),
    **dict.fromkeys(("TEA", "COF", "HNY", "SPC", "OIL", "GRN", "VIT"), ("Green Leaf Foods", 10)),
    **dict.fromkeys(("BAT", "CBL", "CHG", "HP", "PWR", "SPK", "LAMP"), ("Volt Electronics Co", 35)),
    **dict.fromkeys(("NB", "PEN", "INK", "GAME", "PUZ"), ("Paper & Play Supplies", 14)),
    **dict.fromkeys(("SOCK", "BEANIE", "CAP", "BAND", "TOTE", "YOGA"), ("Northwind Textiles", 28)),
    **dict.fromkeys(("CNDL", "SOAP", "PLANT"), ("Meadow Craft Goods", 7)),
}


def demo_supplier(sku: str) -> tuple[str | None, int]:
    """The demo product's supplier and lead time in days (None and 14 when its family has none)."""
    return _SUPPLIERS.get(sku.split("-", 1)[0], (None, 14))


#: HS code (6 digits, dotted) and country of origin by SKU prefix: every demo product can be
#: declared to customs, so the demo's orders abroad (CA, DE, JP) are packed, not held.
_CUSTOMS = {"MUG": ("6912.00", "PT"), "BTL": ("7323.93", "CN"), "TEA": ("0902.40", "IN"), "COF": ("0901.21", "CO"),
            "VIT": ("2106.90", "US"), "SOAP": ("3401.11", "FR"), "CNDL": ("3406.00", "US"), "NB": ("4820.10", "DE"),
            "PEN": ("9608.10", "JP"), "INK": ("3215.90", "JP"), "SOCK": ("6115.94", "PT"), "CAP": ("6505.00", "VN"),
            "BEANIE": ("6505.00", "CN"), "TOTE": ("4202.22", "IN"), "TWL": ("6302.51", "LT"), "CUT": ("4419.90", "US"),
            "KNF": ("8211.92", "DE"), "GRN": ("8210.00", "DK"), "SPC": ("0904.22", "ES"), "HNY": ("0409.00", "US"),
            "OIL": ("1509.20", "IT"), "LAMP": ("9405.21", "CN"), "SPK": ("8518.22", "CN"), "HP": ("8518.30", "CN"),
            "CBL": ("8544.42", "CN"), "CHG": ("8504.40", "CN"), "PWR": ("8507.60", "CN"), "BAT": ("8506.10", "CN"),
            "PUZ": ("9504.90", "DE"), "GAME": ("9504.40", "US"), "YOGA": ("9506.91", "TW"), "BAND": ("9506.91", "CN"),
            "PLANT": ("6912.00", "IT"), "GIFT": ("9505.90", "US")}


def demo_customs(sku: str) -> tuple[str, str]:
    """The demo product's HS code and country of origin (by its SKU's first part)."""
    return _CUSTOMS.get(sku.split("-", 1)[0], ("9999.99", "US"))


def demo_cost_minor(price_minor: int) -> int:
    """What one unit costs the demo shop: 45 % of its price, in whole cents."""
    return price_minor * 45 // 100
