"""``ManifestsService``: end-of-day close-out (a manager's or owner's), scan forms, and the
documents of closed manifests.

Documents are only ever built from a committed manifest (nothing physical before the
commit): ``close`` commits, asks an EasyPost account for its scan form after the commit,
then builds the PDF of what was stored. Printing or writing files is the entry point's
job (a ``DocumentPrinter`` in the window, files in the CLI).

Threading: every method blocks (database, PDF building, EasyPost): call from worker
threads. Safe from many stations at once (``close`` is settled in the database).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection
from dataclasses import dataclass

from fulfilstation.documents.manifest_csv import build_manifest_csv
from fulfilstation.documents.manifest_pdf import build_manifest_pdf
from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.manifests.close import close_manifest
from fulfilstation.services.manifests.queries import (
    ManifestInfo,
    ManifestRefused,
    OpenGroup,
    find_manifest,
    manifest_sheet,
    open_shipments,
    past_manifests,
)
from fulfilstation.services.manifests.scan_form import attach_scan_form, record_scan_form
from fulfilstation.services.site.settings import paper_size

__all__ = ["ClosedManifest", "ManifestInfo", "ManifestRefused", "ManifestsService", "OpenGroup"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClosedManifest:
    """A manifest just closed (committed) and its PDF, ready to show, print or save. The PDF
    is made after the commit: if that fails, ``pdf`` is None and ``pdf_problem`` says so and
    how to make it again (the manifest stays closed)."""

    info: ManifestInfo
    pdf: bytes | None
    pdf_problem: str | None = None


class ManifestsService(AreaService):
    # -- queries

    def open_shipments(self, carrier_code: str | None = None) -> list[OpenGroup]:
        """Shipments not yet on a manifest, per carrier account."""
        return open_shipments(self.database, carrier_code)

    def past(self, carrier_code: str | None = None) -> list[ManifestInfo]:
        return past_manifests(self.database, carrier_code)

    def find(self, number: str) -> ManifestInfo:
        """The closed manifest ``number``; ManifestRefused when there is none."""
        return find_manifest(self.database, number)

    def pdf(self, manifest_id: int) -> bytes:
        """The manifest's PDF on the site's paper size; a reprint shows exactly what was closed."""
        with self.database.unit_of_work() as session:
            paper = paper_size(session)
        return build_manifest_pdf(manifest_sheet(self.database, manifest_id), page_size=paper)

    def csv(self, manifest_id: int) -> bytes:
        return build_manifest_csv(manifest_sheet(self.database, manifest_id))

    # -- use cases

    @use_case(Permission.CLOSE_MANIFEST, "close a manifest")
    def close(self, actor: Actor, carrier_code: str, account: int | str | None = None,
              date: dt.date | None = None, confirmed_printed: Collection[int] = ()) -> ClosedManifest:
        """Close the carrier account's day (one transaction), then for an EasyPost account ask
        for its scan form, then build the PDF from what was committed. A missing scan form is
        not raised but told in ``info.scan_form_problem``. Refused (``LabelsPendingRefused``,
        listing them) while a shipment to be taken is label-pending, unless its id is in
        ``confirmed_printed`` (the actor confirms its label is on the parcel: audited)."""
        info = close_manifest(self.database, actor, carrier_code, account, date, now=self._context.ports.clock.now(),
                              make_adapter=self._context.ports.carrier_adapters,
                              confirmed_printed=confirmed_printed, make_gateway=self._context.ports.carrier_gateways)
        try:
            return ClosedManifest(info, self.pdf(info.id))
        except Exception as exc:  # the manifest is committed: never report the close itself as failed
            log.exception("the PDF of manifest %s", info.number)
            return ClosedManifest(info, None, f"Manifest {info.number} is closed, but its PDF could not be made "
                                  f"({type(exc).__name__}). Make it again with Reprint, or: fulfilstation manifest "
                                  f"reprint {info.number} --out FILE.pdf")

    @use_case(Permission.CLOSE_MANIFEST, "make a manifest's scan form")
    def attach_scan_form(self, actor: Actor, manifest_id: int) -> ManifestInfo:
        """Make the missing EasyPost scan form of a closed manifest (nothing is called when it
        has one); the result's ``scan_form_problem`` says why it is still missing, if it is."""
        return attach_scan_form(self.database, actor, manifest_id, make_adapter=self._context.ports.carrier_adapters,
                                make_gateway=self._context.ports.carrier_gateways)

    @use_case(Permission.CLOSE_MANIFEST, "record a manifest's scan form")
    def record_scan_form(self, actor: Actor, manifest_id: int, form_id: str,
                         form_url: str | None = None) -> ManifestInfo:
        """Record a scan form found by hand in the EasyPost dashboard (after a timeout)."""
        return record_scan_form(self.database, actor, manifest_id, form_id, form_url)
