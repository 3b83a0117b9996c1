"""Cycle counts: ABC classes by shipped value, a schedule proposing today's counts, blind
count sheets, counting by scanning bin then items, variances approved and posted.

Threading: every use case blocks on the database; call them from worker threads.
"""

from fulfilstation.services.counts.refusal import CountsRefused
from fulfilstation.services.counts.rules import CountRules
from fulfilstation.services.counts.service import CountsService
from fulfilstation.services.counts.views import (
    AbcClasses,
    AbcShare,
    Accuracy,
    BinCounted,
    Completed,
    CountedLine,
    CountLineView,
    CountSummary,
    CountView,
    Created,
    PostedLine,
    ProposedLine,
    ScannedItem,
)

__all__ = ["AbcClasses", "AbcShare", "Accuracy", "BinCounted", "Completed", "CountLineView", "CountRules",
           "CountSummary", "CountView", "CountedLine", "CountsRefused", "CountsService", "Created", "PostedLine",
           "ProposedLine", "ScannedItem"]
