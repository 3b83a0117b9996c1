"""Words for counts: ``plural(1, "shipment")`` is "1 shipment", ``plural(3, "box")`` is "3 boxes".

Every count the window, the CLI or a document shows goes through ``plural`` (or ``noun``
when the number is written elsewhere), so "1 shipments" never appears. Pure; no state.
"""

from __future__ import annotations

_IRREGULAR = {"person": "people", "is": "are", "was": "were", "this": "these"}


def noun(count: int, singular: str, many: str | None = None) -> str:
    """``singular`` when ``count`` is 1 (or -1), else its plural (``many`` if given)."""
    if abs(count) == 1:
        return singular
    return many if many is not None else _plural_of(singular)


def plural(count: int, singular: str, many: str | None = None) -> str:
    """The count and the noun that agrees with it: "1 order", "0 orders", "2 boxes"."""
    return f"{count} {noun(count, singular, many)}"


def _plural_of(word: str) -> str:
    head, _, last = word.rpartition(" ")
    prefix = f"{head} " if head else ""
    lower = last.lower()
    if lower in _IRREGULAR:
        return prefix + _IRREGULAR[lower]
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return f"{prefix}{last}es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return f"{prefix}{last[:-1]}ies"
    return f"{prefix}{last}s"
