"""``fulfilstation products …``: the catalogue from the command line.

Reading (no sign-in): ``list [--search TEXT] [--inactive | --all] [--kits | --no-kits]
[--sort sku|name] [--limit N] [--json]`` and ``show SKU [--json]``. Changing (a manager or
an owner signs in: ``--user NAME`` with ``--pin``, ``$FULFIL_PIN``, a job secret or a
prompt): ``add SKU --name …``, ``edit SKU [--field …]``, ``deactivate SKU``, ``reactivate
SKU``, ``barcode add SKU CODE [--pack-quantity N]``, ``barcode remove SKU CODE`` and ``kit
SKU --component SKU:QTY … | --clear``. Each calls one use case of ``app.products``.

Exit status: 0 done; 1 refused (the message says why and what to do); 2 a usage error, a
price that is not one, or no way to sign in. Nothing changes unless the status is 0.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.cli.numbers import whole_number
from fulfilstation.domain.money import format_money, parse_money_minor
from fulfilstation.domain.words import plural
from fulfilstation.services.products import SORTS, BarcodeSpec, ProductChanges, ProductDetail, ProductFields

WHOLE = whole_number(0, 10**9)
MANAGER = "a manager or an owner"
AMOUNTS = (("--weight-g", "weight_g", "weight of one unit, grams"), ("--length-mm", "length_mm", "length, mm"),
           ("--width-mm", "width_mm", "width, mm"), ("--height-mm", "height_mm", "height, mm"),
           ("--reorder-point", "reorder_point", "reorder when available units fall to this"),
           ("--safety-stock", "safety_stock", "units always kept in stock"),
           ("--lead-time-days", "lead_time_days", "days from ordering to arrival, 0 to 365 (default 14)"))
FLAGS = (("--serial-tracked", "serial_tracked", "each unit has a serial number"),
         ("--lot-tracked", "lot_tracked", "units come in lots (with expiry)"),
         ("--hazmat", "hazmat", "dangerous goods"), ("--fragile", "fragile", "handle with care"))
TEXTS = (("--description", "description", "a longer description"), ("--image", "image_path", "image file or URL"),
         ("--hs-code", "hs_code", "Harmonized System code for customs, e.g. 0902.10"),
         ("--country", "country_of_origin", "country of origin, two-letter ISO code, e.g. CN"),
         ("--supplier", "supplier", "who replenishment orders it from"))


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    products = commands.add_parser("products", help="the catalogue: list, show, add and edit products, "
                                   "their barcodes and kits")
    sub = products.add_subparsers(dest="products_command", required=True, metavar="COMMAND")
    listing = sub.add_parser("list", parents=[common], help="products by SKU; search by SKU, name or barcode")
    listing.add_argument("--search", metavar="TEXT", help="part of a SKU or name, or a barcode (scanned or typed)")
    status = listing.add_mutually_exclusive_group()
    status.add_argument("--inactive", dest="status", action="store_const", const="inactive", default="active",
                        help="only inactive products")
    status.add_argument("--all", dest="status", action="store_const", const="all", help="active and inactive")
    kits = listing.add_mutually_exclusive_group()
    kits.add_argument("--kits", dest="kits", action="store_const", const=True, default=None, help="only kits")
    kits.add_argument("--no-kits", dest="kits", action="store_const", const=False, help="no kits")
    listing.add_argument("--sort", choices=SORTS, default="sku", help="order (default: sku)")
    listing.add_argument("--limit", type=whole_number(1, 1_000_000), default=None, help="at most this many")
    listing.add_argument("--json", action="store_true", help="a JSON array (keys in the README)")
    listing.set_defaults(handler=_list)
    show = sub.add_parser("show", parents=[common], help="everything about one product")
    show.add_argument("sku")
    show.add_argument("--json", action="store_true", help="a JSON object (keys in the README)")
    show.set_defaults(handler=_show)
    add = _changing(sub, common, "add", "a new product", _add)
    add.add_argument("--name", required=True, help="the product's name")
    _field_options(add, adding=True)
    add.add_argument("--barcode", action="append", default=[], metavar="CODE[:PACKQTY]",
                     help="a barcode (again for more); :12 after a case GTIN-14 counts 12 units a scan")
    edit = _changing(sub, common, "edit", "change a product's fields (only those given)", _edit)
    edit.add_argument("--sku", dest="new_sku", metavar="NEW_SKU", help="a new SKU")
    edit.add_argument("--name", default=None, help="the product's name")
    _field_options(edit, adding=False)
    _changing(sub, common, "deactivate", "take a product out of the catalogue (history and stock stay)",
              _deactivate)
    _changing(sub, common, "reactivate", "bring a deactivated product back", _reactivate)
    kit = _changing(sub, common, "kit", "make a product a kit of components (replacing any), or --clear", _kit)
    parts = kit.add_mutually_exclusive_group(required=True)
    parts.add_argument("--component", action="append", metavar="SKU:QTY", help="a component and units per kit")
    parts.add_argument("--clear", action="store_true", help="no components: a plain product again")
    _register_barcode(sub, common)


def _register_barcode(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                      common: argparse.ArgumentParser) -> None:
    barcode = sub.add_parser("barcode", help="add or remove a product's barcode")
    codes = barcode.add_subparsers(dest="barcode_command", required=True, metavar="COMMAND")
    add = _changing(codes, common, "add", "give a product a barcode", _barcode_add)
    add.add_argument("code", help="the barcode (UPC, EAN, GTIN-14 or an internal code)")
    add.add_argument("--pack-quantity", type=whole_number(1, 100_000), default=1,
                     help="units one scan counts (a case GTIN-14: its units; default 1)")
    remove = _changing(codes, common, "remove", "take a barcode off a product", _barcode_remove)
    remove.add_argument("code")


def _changing(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser,
              name: str, what: str, handler: Any) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, parents=[common], help=what)
    parser.add_argument("sku", help="the product's SKU")
    sign_in.add_arguments(parser, MANAGER)
    parser.set_defaults(handler=handler)
    return parser


def _field_options(parser: argparse.ArgumentParser, *, adding: bool) -> None:
    for flag, dest, what in AMOUNTS:
        start = (14 if dest == "lead_time_days" else 0) if adding else None
        parser.add_argument(flag, dest=dest, type=WHOLE, default=start, help=what)
    for flag, dest, what in FLAGS:
        parser.add_argument(flag, dest=dest, action=argparse.BooleanOptionalAction, default=False if adding else None,
                            help=what)
    for flag, dest, what in TEXTS:
        parser.add_argument(flag, dest=dest, default=None, help=what + ("" if adding else " ('' clears it)"))
    parser.add_argument("--price", default=None, help="unit price, e.g. 12.50")
    parser.add_argument("--cost", default=None, help="what one unit costs us, e.g. 4.20 (in the price's currency)")
    parser.add_argument("--currency", default=None, help="ISO currency of the price and cost (default USD)")


# ---------------------------------------------------------------------- reading

def _list(args: argparse.Namespace, context: CliContext) -> int:
    page = context.app().products.list(args.search, args.status, args.kits, args.sort, 0, args.limit)
    if args.json:
        print(json.dumps([row.as_json() for row in page.rows], indent=2, ensure_ascii=False))
        return 0
    if not page.rows:
        print("No product matches.")
    for row in page.rows:
        marks = "".join((" [kit]" if row.kit else "", "" if row.active else " [inactive]"))
        print(f"{row.sku:<16} {row.available:>6} avail {row.on_hand:>6} on hand  "
              f"{format_money(row.unit_price_minor, row.currency):>10}  {row.name}{marks}")
    if len(page.rows) < page.total:
        print(f"(first {len(page.rows)} of {plural(page.total, 'product')})")
    return 0


def _show(args: argparse.Namespace, context: CliContext) -> int:
    detail = context.app().products.show(args.sku)
    print(json.dumps(detail.as_json(), indent=2, ensure_ascii=False) if args.json else describe(detail))
    return 0


def describe(detail: ProductDetail) -> str:
    f = detail.fields
    flags = [name for name, on in (("serial-tracked", f.serial_tracked), ("lot-tracked", f.lot_tracked),
                                   ("hazmat", f.hazmat), ("fragile", f.fragile)) if on]
    stock = detail.stock
    lines = [f"{f.sku}  {f.name}{'' if detail.active else '  (inactive)'}",
             f"  Price {format_money(f.unit_price_minor, f.currency)}   Weight {f.weight_g} g   "
             f"Size {f.length_mm} × {f.width_mm} × {f.height_mm} mm",
             f"  Stock: {stock.on_hand} on hand, {stock.reserved} reserved, {stock.available} available"
             + (f" ({stock.elsewhere} in bins that do not sell)" if stock.elsewhere else ""),
             f"  Reorder point {f.reorder_point}, safety stock {f.safety_stock}",
             f"  Supplier {f.supplier or '(not set)'}, lead time {plural(f.lead_time_days, 'day')}, "
             f"cost {format_money(f.cost_minor, f.currency)}"]
    if flags:
        lines.append(f"  {', '.join(flags)}")
    if f.hs_code or f.country_of_origin:
        lines.append(f"  Customs: HS {f.hs_code or '-'}, made in {f.country_of_origin or '-'}")
    if f.description:
        lines.append(f"  {f.description}")
    if f.image_path:
        lines.append(f"  Image: {f.image_path}")
    lines += [f"  Barcode {b.code}" + (f" (pack of {b.pack_quantity})" if b.pack_quantity > 1 else "")
              for b in detail.barcodes]
    lines += [f"  Component {c.quantity} × {c.sku} {c.name} ({c.available} available)" for c in detail.components]
    lines += [f"  Part of kit {k.sku} {k.name} ({k.quantity} per kit)" for k in detail.part_of]
    lines += [f"  Bin {b.bin:<10} {b.on_hand:>5} on hand, {b.reserved} reserved" + (f"  lot {b.lot}" if b.lot else "")
              for b in detail.bins]
    return "\n".join(lines)


# ---------------------------------------------------------------------- changing

def _add(args: argparse.Namespace, context: CliContext) -> int:
    currency = (args.currency or "USD").strip().upper()
    values = {dest: getattr(args, dest) for _flag, dest, _what in (*AMOUNTS, *FLAGS, *TEXTS)}
    fields = ProductFields(sku=args.sku, name=args.name, currency=currency,
                           unit_price_minor=_price(args.price, currency) if args.price is not None else 0,
                           cost_minor=_price(args.cost, currency, "--cost") if args.cost is not None else 0, **values)
    barcodes = [_barcode_spec(text) for text in args.barcode]
    detail = context.app().products.create(sign_in.sign_in(args, context), fields, barcodes)
    print(f"Added {detail.sku} {detail.name}" + (f" with {plural(len(detail.barcodes), 'barcode')}"
                                                  if detail.barcodes else "") + ".")
    return 0


def _edit(args: argparse.Namespace, context: CliContext) -> int:
    app = context.app()
    values = {dest: getattr(args, dest) for _flag, dest, _what in (*AMOUNTS, *FLAGS, *TEXTS)}
    price = cost = None
    if args.price is not None or args.cost is not None:
        currency = (args.currency or app.products.show(args.sku).fields.currency).strip().upper()
        price = _price(args.price, currency) if args.price is not None else None
        cost = _price(args.cost, currency, "--cost") if args.cost is not None else None
    changes = ProductChanges(sku=args.new_sku, name=args.name, unit_price_minor=price, cost_minor=cost,
                             currency=args.currency, **values)
    detail = app.products.edit(sign_in.sign_in(args, context), args.sku, changes)
    print(f"Saved {detail.sku} {detail.name}.")
    return 0


def _deactivate(args: argparse.Namespace, context: CliContext) -> int:
    detail = context.app().products.deactivate(sign_in.sign_in(args, context), args.sku)
    print(f"{detail.sku} {detail.name} is inactive.")
    return 0


def _reactivate(args: argparse.Namespace, context: CliContext) -> int:
    detail = context.app().products.reactivate(sign_in.sign_in(args, context), args.sku)
    print(f"{detail.sku} {detail.name} is active again.")
    return 0


def _kit(args: argparse.Namespace, context: CliContext) -> int:
    components = [] if args.clear else [_component(text) for text in args.component]
    detail = context.app().products.set_components(sign_in.sign_in(args, context), args.sku, components)
    if not detail.components:
        print(f"{detail.sku} {detail.name} is a plain product (no components).")
        return 0
    parts = ", ".join(f"{c.quantity} × {c.sku}" for c in detail.components)
    print(f"{detail.sku} {detail.name} is a kit of {parts}; {detail.stock.available} available.")
    return 0


def _barcode_add(args: argparse.Namespace, context: CliContext) -> int:
    detail = context.app().products.add_barcode(sign_in.sign_in(args, context), args.sku, args.code,
                                                args.pack_quantity)
    pack = f" (a scan counts {args.pack_quantity})" if args.pack_quantity > 1 else ""
    print(f"{args.code.strip()} is now a barcode of {detail.sku} {detail.name}{pack}.")
    return 0


def _barcode_remove(args: argparse.Namespace, context: CliContext) -> int:
    detail = context.app().products.remove_barcode(sign_in.sign_in(args, context), args.sku, args.code)
    print(f"{args.code.strip()} is no longer a barcode of {detail.sku} {detail.name}.")
    return 0


def _price(text: str, currency: str, option: str = "--price") -> int:
    minor = parse_money_minor(text, currency)
    if minor is None:
        what = "a price" if option == "--price" else "an amount"
        raise CommandError(f"{option} {text!r} is not {what} in {currency} (write it like 12.50). Nothing changed.")
    return minor


def _barcode_spec(text: str) -> BarcodeSpec:
    code, _, quantity = text.rpartition(":")
    if code and quantity.isascii() and quantity.isdigit():
        return BarcodeSpec(code, int(quantity))
    return BarcodeSpec(text)


def _component(text: str) -> tuple[str, int]:
    sku, _, quantity = text.rpartition(":")
    if not sku:
        return text, 1
    if not (quantity.strip().isascii() and quantity.strip().isdigit()):
        raise CommandError(f"--component {text!r}: write SKU:QUANTITY, e.g. MUG-01:2. Nothing changed.")
    return sku, int(quantity)
