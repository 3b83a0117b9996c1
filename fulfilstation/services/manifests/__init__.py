"""End-of-day manifests: close-out, scan forms, documents (``ManifestsService``)."""

from fulfilstation.services.manifests.queries import ManifestInfo, ManifestProblem, ManifestRefused, OpenGroup
from fulfilstation.services.manifests.service import ClosedManifest, ManifestsService

__all__ = ["ClosedManifest", "ManifestInfo", "ManifestProblem", "ManifestRefused", "ManifestsService", "OpenGroup"]
