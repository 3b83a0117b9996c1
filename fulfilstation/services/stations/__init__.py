"""Stations and their devices (``StationsService``)."""

from fulfilstation.services.stations.registry import StationInfo
from fulfilstation.services.stations.service import StationsService

__all__ = ["StationInfo", "StationsService"]
