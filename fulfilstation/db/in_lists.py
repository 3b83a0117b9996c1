"""Splitting a long list of values for ``column IN (…)``: every engine bounds a statement's
bound parameters (SQLite 32,766), and an import's 30,000 order ids must not reach it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")

IN_LIMIT = 500  # values per IN (…): far under every engine's bound-parameter limit


def in_batches(values: Iterable[T]) -> list[list[T]]:
    """``values`` (in their order) in lists of at most ``IN_LIMIT``."""
    listed = list(values)
    return [listed[start:start + IN_LIMIT] for start in range(0, len(listed), IN_LIMIT)]
