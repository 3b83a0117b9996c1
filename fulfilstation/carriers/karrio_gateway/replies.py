"""karrio's unified results (``karrio.core.models``) as the port's values.

Labels: karrio hands one base64 document for the whole shipment (several parcels' labels
bundled: ZPL formats one after another, PDF pages one after another). The port wants one
label per parcel, so a bundle is split back: ZPL at each ``^XZ`` (one format per label),
PDF page by page, when the count matches the tracking numbers; otherwise the bundle stays
whole as the first label. Times without a zone are taken as UTC (karrio gives carriers'
local times without one).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import importlib
import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fulfilstation.carriers.gateway import (
    CarrierDocument,
    CarrierLabel,
    CarrierManifest,
    CarrierProblem,
    LabelFormat,
    LiveRate,
    TrackingEvent,
    TrackingState,
    TrackingStatus,
)
from fulfilstation.carriers.karrio_gateway.requests import to_minor

#: karrio's normalised tracking statuses (karrio.core.units.TrackingStatus) → ours.
STATES = {
    "pending": TrackingState.PENDING, "picked_up": TrackingState.IN_TRANSIT, "in_transit": TrackingState.IN_TRANSIT,
    "ready_for_pickup": TrackingState.IN_TRANSIT, "out_for_delivery": TrackingState.OUT_FOR_DELIVERY,
    "delivered": TrackingState.DELIVERED, "on_hold": TrackingState.EXCEPTION,
    "delivery_failed": TrackingState.EXCEPTION, "delivery_delayed": TrackingState.EXCEPTION,
    "return_to_sender": TrackingState.RETURNED, "cancelled": TrackingState.UNKNOWN, "unknown": TrackingState.UNKNOWN}
_ZPL_END = re.compile(rb"\^XZ", re.IGNORECASE)


def live_rate(carrier: str, rate: Any, service_names: Mapping[str, str]) -> LiveRate:
    """``service_names``: karrio's service code → the carrier's name for it (plugin metadata)."""
    currency = str(rate.currency or "USD").upper()
    code = str(rate.service)
    return LiveRate(carrier_code=carrier, service_code=code,
                    service_name=service_name(code, (rate.meta or {}).get("service_name"), service_names),
                    cost_minor=to_minor(rate.total_charge, currency), currency=currency,
                    transit_days=_int(rate.transit_days), estimated_delivery=_date(rate.estimated_delivery))


def service_name(code: str, given: Any, names: Mapping[str, str]) -> str:
    """A person's name for a service: the carrier's own (``UPS Ground``), else what karrio
    said when it is not the code itself, else the code in words."""
    if names.get(code):
        return names[code]
    if given and str(given) != code:
        return str(given)
    return " ".join(w.upper() if len(w) <= 4 and w.isalpha() and w == code.split("_")[0] else w.capitalize()
                    for w in code.split("_"))


def label(details: Any, *, parcels: int, currency: str, cost: tuple[int, str] | None) -> CarrierLabel:
    """A ``CarrierLabel`` from karrio's ``ShipmentDetails``. ``cost`` (minor, currency) is the
    carrier's charge read from its replies, used when karrio's result has no ``selected_rate``
    or merged separate per-parcel shipments (``meta.shipment_identifiers``), which drops it."""
    meta = details.meta or {}
    merged = [str(i) for i in meta.get("shipment_identifiers") or () if i]
    numbers = tuple(str(n) for n in (meta.get("tracking_numbers") or [details.tracking_number]) if n)
    if not numbers:
        raise CarrierProblem("The carrier made a shipment but sent no tracking number.")
    fmt = _format(details.label_type)
    raw = _decode(details.docs.label, "label")
    labels = split_labels(raw, fmt, len(numbers) if len(numbers) > 1 else parcels)
    numbers = _in_label_order(numbers, labels)
    rate = details.selected_rate
    insurance = 0
    if rate is not None and rate.total_charge is not None and len(merged) <= 1:
        currency = str(rate.currency or currency).upper()
        cost_minor = to_minor(rate.total_charge, currency)
        insurance = sum(to_minor(c.amount, currency) for c in rate.extra_charges or ()
                        if "insur" in str(c.name or "").lower())
    elif cost is not None:
        cost_minor, currency = cost
    else:
        cost_minor = 0
    documents = []
    if details.docs.invoice:
        invoice = _decode(details.docs.invoice, "invoice")
        documents.append(CarrierDocument("commercial_invoice", invoice, LabelFormat.PDF))
    for doc in details.docs.extra_documents or ():
        content = getattr(doc, "base64", None)
        if content:
            documents.append(CarrierDocument(str(doc.category), _decode(content, str(doc.category)),
                                             _format(doc.format)))
    # Separate carrier shipments (one per parcel) are voided together: their ids travel as one.
    external = ",".join(dict.fromkeys([str(details.shipment_identifier), *merged])) if len(merged) > 1 \
        else str(details.shipment_identifier or numbers[0])
    return CarrierLabel(external_id=external, tracking_numbers=numbers, labels=labels, label_format=fmt,
                        cost_minor=cost_minor, currency=currency, insurance_minor=insurance,
                        documents=tuple(documents))


def _in_label_order(numbers: tuple[str, ...], labels: tuple[bytes, ...]) -> tuple[str, ...]:
    """karrio's merge of per-parcel shipments keeps the labels in parcel order but the
    tracking numbers in a set's order: put each number with the label that prints it (found
    in the label's text), when every label names exactly one; otherwise leave the order."""
    if len(numbers) < 2 or len(labels) != len(numbers):
        return numbers
    ordered = []
    for document in labels:
        text = re.sub(rb"[\s-]", b"", document)
        found = [n for n in numbers if n.encode() in text]
        if len(found) != 1:
            return numbers
        ordered.append(found[0])
    return tuple(ordered) if len(set(ordered)) == len(numbers) else numbers


def split_labels(raw: bytes, fmt: LabelFormat, count: int) -> tuple[bytes, ...]:
    """One document per parcel when the bundle splits into exactly ``count`` parts."""
    if count <= 1:
        return (raw,)
    if fmt is LabelFormat.ZPL:
        parts, start = [], 0
        for match in _ZPL_END.finditer(raw):
            parts.append(raw[start:match.end()].strip() + b"\n")
            start = match.end()
        return tuple(parts) if len(parts) == count else (raw,)
    if fmt is LabelFormat.PDF:
        pages = _pdf_pages(raw)
        return pages if len(pages) == count else (raw,)
    return (raw,)


def tracking(details: Any) -> TrackingStatus:
    events = tuple(sorted((_event(e) for e in details.events or ()), key=lambda e: e.occurred_at, reverse=True))
    state = STATES.get(str(details.status or ""), TrackingState.UNKNOWN)
    if details.delivered:
        state = TrackingState.DELIVERED
    elif state is TrackingState.UNKNOWN and events:
        state = TrackingState.IN_TRANSIT
    elif state is TrackingState.IN_TRANSIT and not events:
        state = TrackingState.PENDING  # karrio's default for a status it cannot place; nothing was scanned yet
    delivered_at = None
    if state is TrackingState.DELIVERED and events:
        delivered = [e for e in events if "deliver" in e.description.lower() and "out for" not in e.description.lower()]
        delivered_at = (delivered or list(events))[0].occurred_at
    info = details.info
    estimated = _date(details.estimated_delivery) or _date(getattr(info, "expected_delivery", None))
    return TrackingStatus(tracking_number=str(details.tracking_number), state=state, events=events,
                          delivered_at=delivered_at, estimated_delivery=estimated)


def manifest(details: Any) -> CarrierManifest:
    meta = details.meta or {}
    document = details.doc.manifest if details.doc is not None else None
    external = details.id or meta.get("manifestNumber") or meta.get("manifest_id") or meta.get("id") or ""
    content = _decode(document, "manifest") if document else None
    return CarrierManifest(external_id=str(external), document=content,
                           document_format=LabelFormat.PDF if content else None)


def _event(event: Any) -> TrackingEvent:
    when = _datetime(event.timestamp) or _datetime(f"{event.date or ''}T{event.time or '00:00'}")
    return TrackingEvent(occurred_at=when or dt.datetime(1970, 1, 1, tzinfo=dt.UTC), code=str(event.code or ""),
                         description=str(event.description or ""), location=event.location or None)


def _format(name: Any) -> LabelFormat:
    text = str(name or "PDF").upper()
    if "ZPL" in text:
        return LabelFormat.ZPL
    if text in ("PNG", "JPG", "JPEG", "GIF"):
        return LabelFormat.PNG
    return LabelFormat.PDF


def _decode(data: str | None, what: str) -> bytes:
    if not data:
        raise CarrierProblem(f"The carrier's reply has no {what} document.")
    try:
        return base64.b64decode(data, validate=False)
    except (binascii.Error, ValueError):
        raise CarrierProblem(f"The carrier's {what} document could not be read (not base64).") from None


def _pdf_pages(raw: bytes) -> tuple[bytes, ...]:
    try:
        pypdf: Any = importlib.import_module("PyPDF2")  # karrio's own dependency
        reader = pypdf.PdfReader(io.BytesIO(raw))
        pages = []
        for page in reader.pages:
            writer = pypdf.PdfWriter()
            writer.add_page(page)
            out = io.BytesIO()
            writer.write(out)
            pages.append(out.getvalue())
        return tuple(pages)
    except Exception:  # an unreadable bundle stays whole
        return (raw,)


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    text = str(value)[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _datetime(value: Any) -> dt.datetime | None:
    if not value:
        return None
    text = str(value).replace("Z", "+00:00")
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def first_or_none(items: Sequence[Any] | None) -> Any:
    return items[0] if items else None
