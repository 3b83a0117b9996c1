"""``ManifestServices``: what the manager's Manifests view may call, bound to one database.

Threading: every method blocks (database, PDF building): call them from worker threads,
never the GUI thread. The object holds no mutable state and is shared safely. Results are
frozen dataclasses or bytes; refusals are ``ManifestRefused`` whose text is meant for the
manager. Printing is the view's job, through the ``DocumentPrinter`` port on a worker thread.
Documents are only ever built from a committed manifest (nothing physical before the commit).
An EasyPost manifest's scan form is asked for after the close commits (``close``) and can be
asked for again (``attach_scan_form``); a missing one is reported in ``scan_form_problem``.
"""

from __future__ import annotations

from dataclasses import dataclass

from fulfilstation.db.database import Database
from fulfilstation.documents.manifest_csv import build_manifest_csv
from fulfilstation.documents.manifest_pdf import build_manifest_pdf
from fulfilstation.services.manifests import close as manifests
from fulfilstation.services.manifests.close import ManifestInfo, ManifestRefused, OpenGroup

__all__ = ["ClosedManifest", "ManifestInfo", "ManifestRefused", "ManifestServices", "OpenGroup"]


@dataclass(frozen=True)
class ClosedManifest:
    """A manifest just closed (committed) and its PDF, ready to show or print."""

    info: ManifestInfo
    pdf: bytes


class ManifestServices:
    def __init__(self, database: Database, station_id: int | None = None) -> None:
        self._database = database
        self._station_id = station_id

    def open_shipments(self, carrier_code: str | None = None) -> list[OpenGroup]:
        return manifests.open_shipments(self._database, carrier_code)

    def past(self, carrier_code: str | None = None) -> list[ManifestInfo]:
        return manifests.past_manifests(self._database, carrier_code)

    def close(self, carrier_code: str, account_id: int | None = None, user_id: int | None = None) -> ClosedManifest:
        """Close today's manifest of the account (one transaction), for EasyPost accounts ask
        for the scan form, then build the PDF from what was committed. Raises
        ManifestRefused (nothing to close, not a manager …); a missing scan form is not
        raised but told in ``info.scan_form_problem``."""
        info = manifests.close_manifest(self._database, carrier_code, account_id, user_id=user_id,
                                        station_id=self._station_id)
        return ClosedManifest(info, self.pdf(info.id))

    def attach_scan_form(self, manifest_id: int, user_id: int | None = None) -> ManifestInfo:
        """Make the missing EasyPost scan form of a closed manifest (nothing is called when it
        has one). The result's ``scan_form_problem`` says why it is still missing, if it is."""
        return manifests.attach_scan_form(self._database, manifest_id, user_id=user_id,
                                          station_id=self._station_id)

    def pdf(self, manifest_id: int) -> bytes:
        """The manifest's PDF on the site's paper size; a reprint shows exactly what was closed."""
        sheet = manifests.manifest_sheet(self._database, manifest_id)
        return build_manifest_pdf(sheet, page_size=manifests.paper_size(self._database))

    def csv(self, manifest_id: int) -> bytes:
        return build_manifest_csv(manifests.manifest_sheet(self._database, manifest_id))
