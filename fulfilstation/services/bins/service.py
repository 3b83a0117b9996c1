"""``BinsService``: lay out the warehouse's bins (an owner's job) and look them up.

Use cases (``EDIT_BINS``: owners): ``add``, ``edit``, ``deactivate`` (refused while the bin
holds stock, saying how many units of what), ``reactivate``, ``import_bins`` (CSV; see
``importing``). Queries (anyone signed in): ``list`` (walking order; by zone, kind,
active), ``show`` (one bin and its stock), ``codes`` (the bins a label run prints).

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence

from fulfilstation.db.database import Database
from fulfilstation.domain.roles import Permission
from fulfilstation.imports import ImportProgress, ImportReport
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.bins.editing import add_bin, edit_bin, set_active
from fulfilstation.services.bins.fields import BinFields
from fulfilstation.services.bins.importing import import_bins
from fulfilstation.services.bins.queries import list_bins, show_bin
from fulfilstation.services.bins.views import BinDetail, BinInfo, BinsRefused


class BinsService(AreaService):
    # -- use cases

    @use_case(Permission.EDIT_BINS, "lay out bins")
    def add(self, actor: Actor, fields: BinFields) -> BinInfo:
        """A new, active bin; BinsRefused for a bad field or a code another bin has."""
        return add_bin(self.database, actor, fields)

    @use_case(Permission.EDIT_BINS, "lay out bins")
    def edit(self, actor: Actor, code: str, fields: BinFields) -> BinInfo:
        """The bin of ``code`` with every field of ``fields`` (a changed code needs new labels)."""
        return edit_bin(self.database, actor, code, fields)

    @use_case(Permission.EDIT_BINS, "lay out bins")
    def deactivate(self, actor: Actor, code: str) -> BinInfo:
        """The bin is no longer used; refused while it holds stock (the message says what)."""
        return set_active(self.database, actor, code, False)

    @use_case(Permission.EDIT_BINS, "lay out bins")
    def reactivate(self, actor: Actor, code: str) -> BinInfo:
        return set_active(self.database, actor, code, True)

    @use_case(Permission.EDIT_BINS, "import bins")
    def import_bins(self, actor: Actor, data: bytes, dry_run: bool = False,
                    progress: ImportProgress | None = None) -> ImportReport:
        """The bins of a CSV file (``importing``): valid rows in one transaction, broken rows
        reported by line; BinsRefused when the file cannot be read at all."""
        return import_bins(self.database, actor, data, dry_run, progress)

    # -- queries

    def list(self, zone: str | None = None, kind: str | None = None, active: bool | None = None) -> list[BinInfo]:
        """Bins in walking order (pick sequence, then code), each with the units it holds."""
        return list_bins(self.database, zone=zone, kind=kind, active=active)

    def show(self, code: str) -> BinDetail:
        """One bin with its stock; BinsRefused ``no-bin`` for an unknown code."""
        return show_bin(self.database, code)

    def codes(self, codes: Sequence[str] = (), zone: str | None = None) -> builtins.list[BinInfo]:
        """The bins named by ``codes`` (in that order; an unknown one is refused), else the
        active bins of ``zone``, else every active bin — in walking order."""
        return select_bins(self.database, codes, zone)


def select_bins(database: Database, codes: Sequence[str] = (), zone: str | None = None) -> list[BinInfo]:
    if codes:
        every = list_bins(database)
        exact = {b.code: b for b in every}
        folded = {b.code.lower(): b for b in every}
        wanted = [code.strip() for code in dict.fromkeys(codes)]
        chosen_bins = [exact.get(code) or folded.get(code.lower()) for code in wanted]
        missing = [code for code, found in zip(wanted, chosen_bins, strict=True) if found is None]
        if missing:
            raise BinsRefused("no-bin", f"There is no bin {', '.join(repr(code) for code in missing)}: check the "
                              "codes (bins list shows them).")
        return [found for found in chosen_bins if found is not None]
    chosen = list_bins(database, zone=zone, active=True)
    if zone and not chosen:
        raise BinsRefused("no-bin", f"Zone {zone!r} has no active bin: check the zone (bins list shows them).")
    return chosen
