"""Hypothesis strategies for CSV files as people bring them, and worse.

``csv_files(columns)`` draws the bytes of a file whose header mixes the importer's own
column names (in any case, repeated, missing) with strangers, whose cells are the values
that break parsers (signs, exponents, NaN, huge numbers, impossible dates, quotes,
delimiters, newlines, control characters, very long text), written with any delimiter,
quoted properly or not at all, in UTF-8 (with a BOM or not), UTF-16, Windows-1252 or
broken bytes, sometimes cut short or with noise spliced in. Pure: used by the fuzz tests
of every importer (``tests/unit/test_fuzz_imports.py``, ``tests/db/test_fuzz_imports_db.py``).
"""

from __future__ import annotations

import codecs
import csv
import io

from hypothesis import strategies as st

#: Cells that have broken (or could break) a number, date, flag or code parser.
NASTY_CELLS = (
    "", " ", "0", "-0", "1", "-1", "+1", "1.5", "1,5", "1.234,56", "1,234.56", "1e3", "1E-7", "1e400", "-1e400",
    "NaN", "nan", "inf", "-Infinity", "Infinity", "sNaN", "0x10", "١٢٣", "²", "½", "99999999999999999999999999",
    "9" * 400, "0.0000000000000000000001", "$8.42", "€1.000,00", "12 kg", "3 lb", "oz", "x5", "A x 0", "SKU x 99999",
    "2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "31/12/2026", "2026-01-01T25:00:00", "yesterday",
    "yes", "no", "TRUE", "maybe", "pickable", "storage", "staging", "returns", "cancelled", "on-hold", "open",
    "USD", "usd", "ZZZ", "€", "US", "XX", "\u0000", "\x1d", "\t", "\r", "\n", '"', '""', "'", ",", ";",
    "=cmd|' /C calc'!A0", "<script>", "Ω≈ç√", "🙂", "\ufeff", "\u202e", "a" * 70_000,
)

#: Cells a real file holds, so that many drawn rows get past the first check and deeper.
PLAUSIBLE_CELLS = (
    "SKU-1", "SKU-2", "A-01-1", "W-1", "PO-1", "#1001", "1001", "1", "2", "12", "250", "0.5", "9.99", "19.00",
    "Alice Smith", "1 Main St", "Springfield", "62701", "10115", "US", "DE", "IL", "2026-01-05",
    "2026-01-05 10:00:00 -0500", "paid", "yes", "no", "pickable", "g", "kg", "lb", "active", "USD", "Widget",
    "widget", "Default Title", "012345678905", "4006381333931", "Z", "5", "004-005", "006", "ACME", "alice@example.com",
)

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
nasty_cells = st.one_of(st.sampled_from(NASTY_CELLS), _TEXT, st.integers(-10**12, 10**12).map(str),
                        st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str))
plausible_cells = st.sampled_from(PLAUSIBLE_CELLS)


def _header_names(columns: tuple[str, ...]) -> st.SearchStrategy[str]:
    known = st.sampled_from(columns)
    return st.one_of(known, known.map(str.upper), known.map(lambda c: f" {c} "), _TEXT)


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8", "surrogatepass")
    if encoding == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    return text.encode(encoding, "replace")


@st.composite
def csv_files(draw: st.DrawFn, columns: tuple[str, ...], max_rows: int = 6) -> bytes:
    """The bytes of a CSV file with some of ``columns`` (see the module docstring)."""
    shape = draw(st.sampled_from(["writer", "writer", "writer", "writer", "joined", "binary"]))
    if shape == "binary":
        return draw(st.binary(max_size=300))
    headers = draw(st.lists(_header_names(columns), min_size=0, max_size=len(columns) + 2))
    if draw(st.integers(0, 9)) < 7:  # the importer's own columns, all of them, so rows get parsed
        headers = [*columns, *headers[:draw(st.integers(0, 2))]]
    width = max(len(headers), 1)
    tame = draw(st.integers(0, 10))  # out of 10 cells, how many are plausible
    cell = st.integers(1, 10).flatmap(lambda n: plausible_cells if n <= tame else nasty_cells)
    if draw(st.booleans()):  # rows as wide as the header, as an export writes them
        row = st.lists(cell, min_size=width, max_size=width)
    else:
        row = st.lists(cell, min_size=0, max_size=width + 2)
    rows = draw(st.lists(row, max_size=max_rows))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    if shape == "writer":
        buffer = io.StringIO()
        quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
        writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting,
                            lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
        writer.writerow(headers)
        writer.writerows(rows)
        text = buffer.getvalue()
    else:  # cells joined as they are: stray quotes, delimiters inside cells, ragged rows
        text = "\n".join(delimiter.join(row) for row in [headers, *rows])
    data = _encode(text, draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])))
    damage = draw(st.sampled_from(["none", "none", "none", "none", "none", "cut", "splice", "huge"]))
    if damage == "cut" and data:
        data = data[:draw(st.integers(0, len(data) - 1))]
    elif damage == "splice":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    elif damage == "huge":  # a field longer than the csv module's limit (131,072 characters)
        data += b'\n"' + b"x" * 140_000 + b'"\n'
    return data
