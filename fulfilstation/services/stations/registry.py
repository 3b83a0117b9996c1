"""Registering this PC as a station and keeping its device URIs in the database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database
from fulfilstation.db.models import Station


@dataclass(frozen=True)
class StationInfo:
    id: int
    name: str
    scanner_uri: str
    scale_uri: str | None
    label_printer_uri: str | None
    document_printer_uri: str | None


def register_station(database: Database, name: str, *, scanner: str, scale: str | None,
                     label_printer: str | None, document_printer: str | None) -> StationInfo:
    """Create the station on first use, else record its current devices and last-seen time.

    Two PCs registering the same new name at once: the unique constraint on
    ``stations.name`` lets one insert win; the loser retries and updates that row.
    """
    from sqlalchemy.exc import IntegrityError

    for _attempt in range(2):
        try:
            with database.unit_of_work() as session:
                station = session.scalar(select(Station).where(Station.name == name))
                if station is None:
                    station = Station(name=name)
                    session.add(station)
                station.scanner_uri = scanner
                station.scale_uri = scale
                station.label_printer_uri = label_printer
                station.document_printer_uri = document_printer
                station.last_seen_at = utcnow()
                session.flush()
                return _info(station)
        except IntegrityError:
            continue
    raise RuntimeError(f"could not register station {name!r}")


def ensure_station(database: Database, name: str) -> StationInfo:
    """The station called ``name``, registered (without devices) if never seen before;
    an existing station's devices are left as they are."""
    with database.unit_of_work() as session:
        station = session.scalar(select(Station).where(Station.name == name))
        if station is not None:
            return _info(station)
    return register_station(database, name, scanner="wedge:", scale=None, label_printer=None, document_printer=None)


def station_info(database: Database, station_id: int) -> StationInfo | None:
    with database.unit_of_work() as session:
        station = session.get(Station, station_id)
        return _info(station) if station is not None else None


def _info(station: Station) -> StationInfo:
    return StationInfo(station.id, station.name, station.scanner_uri, station.scale_uri,
                       station.label_printer_uri, station.document_printer_uri)
