"""Setting up this PC as a station (``StationSetup``): the one door the ``fulfilstation setup``
command and the window's first-run assistant both go through."""

from fulfilstation.services.setup.service import StationSetup
from fulfilstation.services.setup.values import (
    ConnectionCheck,
    SetupLine,
    SetupRefused,
    SetupReport,
    SetupRequest,
)

__all__ = ["ConnectionCheck", "SetupLine", "SetupRefused", "SetupReport", "SetupRequest", "StationSetup"]
