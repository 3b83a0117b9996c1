"""Why a customer sends something back: the fixed list an RMA line's reason comes from.

The codes are stored on ``rma_lines.reason_code`` and counted for reports; the words are
what screens and the RMA slip show. Pure: no I/O.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    "damaged-in-transit": "Damaged in transit",
    "defective": "Defective",
    "wrong-item": "Wrong item sent",
    "not-as-described": "Not as described",
    "no-longer-needed": "No longer needed",
    "arrived-late": "Arrived late",
    "other": "Other",
}


def reason_code(text: str) -> str | None:
    """The code ``text`` names (a code or its words, any case, spaces or dashes), or None."""
    key = "-".join(text.strip().lower().replace("_", " ").split())
    if key in REASONS:
        return key
    for code, words in REASONS.items():
        if "-".join(words.lower().split()) == key:
            return code
    return None


def reason_words(code: str | None) -> str:
    """The words of a reason code (the code itself when it is not on the list)."""
    return REASONS.get(code or "", code or "")
