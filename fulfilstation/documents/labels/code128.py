"""What a Code 128 barcode carries, and its symbol characters: one encoding for every renderer.

:class:`Code128Data` is plain text or GS1 element strings ``(AI, value)``; it never holds
printer escapes. :func:`encode` turns it into Code 128 symbol values (start … check), from
which the ZPL renderer writes ``^BC`` field data (``>;`` start C, ``>:`` start B, ``>6``
code B, ``>8`` FNC1) and the PDF renderer draws bars — so both print the same symbol.

Invariants:

* GS1-128 starts with FNC1; an FNC1 follows every element whose AI has no predefined
  length (GS1 General Specifications, figure 7.8.5-2), except the last. A decoder reports
  ``]C1`` and the element strings with ``\\x1d`` at those FNC1s: :meth:`Code128Data.scanned`.
* Only printable ASCII (32–126) is accepted; anything else raises ValueError (a barcode
  never silently drops characters).
* The symbol starts in subset C when that makes it shorter and changes subset at most
  once, C → B, leaving at least two characters after the change. A Zebra prints any subset
  sequence; the single change keeps the ZPL within what every renderer we check against
  handles (zpl-renderer-js mis-encodes ``>5`` and drops a lone last character after an
  invocation code).
"""

from __future__ import annotations

from dataclasses import dataclass

from fulfilstation.domain.gs1 import is_valid_gs1

FNC1 = "\xf1"  # stands for FNC1 inside an encoding stream (as reportlab and zebrash do)
START_B, START_C, CODE_B, FNC1_VALUE = 104, 105, 100, 102
#: AI prefixes with a predefined length (AI included): no FNC1 after them.
PREDEFINED_LENGTH = {"00": 20, "01": 16, "02": 16, "03": 16, "04": 18, "11": 8, "12": 8, "13": 8, "14": 8,
                     "15": 8, "16": 8, "17": 8, "18": 8, "19": 8, "20": 4, "31": 10, "32": 10, "33": 10,
                     "34": 10, "35": 10, "36": 10, "41": 16}
_CHECKED = ("00", "01", "02", "41")  # values ending in a GS1 mod-10 check digit


def _printable(text: str) -> bool:
    return all(" " <= char <= "~" for char in text)


@dataclass(frozen=True)
class Code128Data:
    """Plain Code 128 ``text``, or GS1-128 when ``elements`` (``(AI, value)`` pairs) are given."""

    text: str = ""
    elements: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if bool(self.text) == bool(self.elements):
            raise ValueError("a Code 128 barcode carries either text or GS1 element strings")
        if self.text and not _printable(self.text):
            raise ValueError(f"{self.text!r} cannot be a Code 128 barcode (printable ASCII only)")
        for ai, value in self.elements:
            _check_element(ai, value)

    @classmethod
    def plain(cls, text: str) -> Code128Data:
        return cls(text=text)

    @classmethod
    def gs1(cls, *elements: tuple[str, str]) -> Code128Data:
        return cls(elements=tuple(elements))

    @property
    def is_gs1(self) -> bool:
        return bool(self.elements)

    def stream(self) -> str:
        """The characters to encode, FNC1 as :data:`FNC1`."""
        if not self.elements:
            return self.text
        parts = [FNC1]
        for index, (ai, value) in enumerate(self.elements):
            parts.append(ai + value)
            if ai[:2] not in PREDEFINED_LENGTH and index < len(self.elements) - 1:
                parts.append(FNC1)
        return "".join(parts)

    def scanned(self) -> str:
        """What a scanner or zxing-cpp reports as text (``]C1`` data without the leading FNC1)."""
        return self.stream()[1:].replace(FNC1, "\x1d") if self.elements else self.text

    def caption(self) -> str:
        """Human-readable line: ``(00) 106141411234567897`` or the plain text."""
        return " ".join(f"({ai}) {value}" for ai, value in self.elements) if self.elements else self.text


def _check_element(ai: str, value: str) -> None:
    if not (ai.isdigit() and 2 <= len(ai) <= 4):
        raise ValueError(f"{ai!r} is not a GS1 application identifier")
    if not value or not _printable(value) or len(ai + value) > 48:
        raise ValueError(f"({ai}) {value!r} is not a GS1 element string value")
    length = PREDEFINED_LENGTH.get(ai[:2])
    if length is not None and (len(ai + value) != length or not value.isdigit()):
        raise ValueError(f"({ai}) takes {length - len(ai)} digits, not {value!r}")
    if ai in _CHECKED and not is_valid_gs1(value):
        raise ValueError(f"({ai}) {value} has a wrong check digit")


@dataclass(frozen=True)
class Symbol:
    """Symbol character values: start, data, check (the stop character is implied)."""

    values: tuple[int, ...]
    zpl: str  # ^BC field data in ZPL mode N

    @property
    def modules(self) -> int:
        """Width in modules without quiet zones (11 per character, 13 for the stop)."""
        return 11 * len(self.values) + 13


def encode(data: Code128Data) -> Symbol:
    stream = data.stream()
    run_end, pairs = _subset_c_run(stream)
    c_cost = 1 + (run_end - pairs) + (1 if run_end < len(stream) else 0) + (len(stream) - run_end)
    values: list[int]
    if pairs and c_cost < 1 + len(stream):
        values, zpl = [START_C], [">;"]
        index = 0
        while index < run_end:
            if stream[index] == FNC1:
                values.append(FNC1_VALUE)
                zpl.append(">8")
                index += 1
            else:
                values.append(int(stream[index:index + 2]))
                zpl.append(stream[index:index + 2])
                index += 2
        if run_end < len(stream):
            values.append(CODE_B)
            zpl.append(">6")
    else:
        values, zpl, run_end = [START_B], [">:"], 0
    for char in stream[run_end:]:
        values.append(FNC1_VALUE if char == FNC1 else ord(char) - 32)
        zpl.append({FNC1: ">8", ">": ">0", "^": "><", "~": ">="}.get(char, char))
    check = (values[0] + sum(position * value for position, value in enumerate(values) if position)) % 103
    return Symbol((*values, check), "".join(zpl))


def _subset_c_run(stream: str) -> tuple[int, int]:
    """(end, digit pairs) of the leading run subset C can carry, keeping ≥ 2 characters after it."""
    index, ends = 0, []
    while index < len(stream):
        if stream[index] == FNC1:
            index += 1
        elif len(pair := stream[index:index + 2]) == 2 and pair.isdigit():
            index += 2
            ends.append(index)
        else:
            break
    if len(stream) - index == 1 and ends:  # give the last pair back to subset B
        ends.pop()
        index = ends[-1] if ends else 0
    return index, len(ends)
