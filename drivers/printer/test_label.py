"""A ZPL test label (4 x 6 in) for ``fulfilstation devices print-test URI``.

Pure: builds bytes, sends nothing. The label holds a title, the station name, the time,
the resolution, and a Code 128 barcode sized to fit the label width. Text fields use
``^FH`` hex escapes so ``^``, ``~`` and ``_`` in names cannot break the format, and
``^CI28`` so any Unicode text prints.
"""

from __future__ import annotations

import datetime as dt

SUPPORTED_DPI = (203, 300, 600)
_MARGIN = 40  # dots at 203 dpi


def _field(text: str) -> str:
    """Field data made safe for ``^FH^FD``: control characters dropped, specials hex."""
    clean = "".join(c for c in text if c.isprintable())
    return clean.replace("_", "_5F").replace("^", "_5E").replace("~", "_7E")


def _code128_modules(data: str) -> int:
    """Code 128 subset B width in modules: start, data, check (11 each), stop (13)."""
    return 11 * (len(data) + 2) + 13


def _barcode(data: str, width: int, scale: float, y: int) -> str:
    margin = round(_MARGIN * scale)
    modules = _code128_modules(data)
    module = max(1, min(round(3 * scale), (width - 2 * margin) // modules))
    x = max(0, (width - module * modules) // 2)
    height = round(200 * scale)
    return f"^BY{module},3,{height}^FO{x},{y}^BCN,{height},Y,N,N^FD{data}^FS"


def _text(x: int, y: int, size: int, width: int, text: str) -> str:
    return f"^FO{x},{y}^A0N,{size},{size}^FB{width},1,0,L^FH^FD{_field(text)}^FS"


def build_test_label(
    dpi: int = 203,
    text: str = "FulfilStation test label",
    *,
    station: str = "",
    when: dt.datetime | None = None,
    barcode: str | None = None,
) -> bytes:
    """One ``^XA…^XZ`` 4 x 6 in label; ``barcode`` defaults to ``FSTEST`` + the time.

    Raises ValueError for an unsupported ``dpi`` or a barcode that is not printable
    ASCII without ``^``/``~``.
    """
    if dpi not in SUPPORTED_DPI:
        raise ValueError(f"dpi must be one of {SUPPORTED_DPI}, not {dpi}")
    when = when or dt.datetime.now().astimezone()
    data = barcode if barcode is not None else f"FSTEST{when:%y%m%d%H%M%S}"
    if not data or not all(32 <= ord(c) < 127 and c not in "^~" for c in data):
        raise ValueError(
            f"barcode data must be printable ASCII without ^ or ~: {data!r}"
        )
    scale = dpi / 203
    width, height = round(4 * dpi), round(6 * dpi)
    margin, inner = round(_MARGIN * scale), width - 2 * round(_MARGIN * scale)

    def at(value: int) -> int:
        return round(value * scale)

    lines = [
        "^XA",
        "^CI28",
        f"^PW{width}",
        f"^LL{height}",
        "^LH0,0",
        f"^FO{at(20)},{at(20)}^GB{width - 2 * at(20)},{height - 2 * at(20)},{at(4)}^FS",
        _text(margin, at(80), at(56), inner, text),
        _text(margin, at(200), at(40), inner, f"Station: {station or '-'}"),
        _text(margin, at(260), at(40), inner, f"Time: {when:%Y-%m-%d %H:%M:%S %z}"),
        _text(
            margin, at(320), at(40), inner, f"{dpi} dpi, 4 x 6 in ({width} x {height})"
        ),
        _barcode(data, width, scale, at(460)),
        _text(margin, at(1000), at(30), inner, "If you can read this, printing works."),
        "^PQ1",
        "^XZ",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
