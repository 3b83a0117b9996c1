"""End-of-day manifests: close-out, scan forms, documents (``ManifestsService``)."""

from fulfilstation.services.manifests.queries import (
    LabelsPendingRefused,
    ManifestInfo,
    ManifestProblem,
    ManifestRefused,
    OpenGroup,
    PendingLabel,
)
from fulfilstation.services.manifests.service import ClosedManifest, ManifestsService

__all__ = ["ClosedManifest", "LabelsPendingRefused", "ManifestInfo", "ManifestProblem", "ManifestRefused",
           "ManifestsService", "OpenGroup", "PendingLabel"]
