"""A local stand-in for the EasyPost API (``/v2``) on 127.0.0.1, for tests only.

It follows EasyPost's documented JSON shapes for what FulfilStation uses:
``POST /v2/shipments`` (body ``{"shipment": {...}}``, answers a Shipment with ``rates``; with
``is_return: true`` a return shipment, its ``to_address`` and ``from_address`` swapped as
EasyPost documents),
``GET /v2/shipments/:id``, ``POST /v2/shipments/:id/buy`` (body ``{"rate": {"id": …}}``,
answers the Shipment with ``selected_rate``, ``postage_label`` and ``tracking_code``),
``POST /v2/shipments/:id/refund`` (the Shipment with ``refund_status``) and
``POST /v2/scan_forms`` (body ``{"scan_form": {"shipments": [{"id": …}]}}``, a ScanForm;
as EasyPost documents, a shipment goes on one scan form only: a second request naming a
shipment already on a form is refused with ``SCAN_FORM.CREATE.FAILURE``; ``scan_forms``
keeps every form made).
``POST /v2/trackers`` (body ``{"tracker": {"tracking_code", "carrier"}}``, a Tracker: as EasyPost
documents, the tracker already made for that code is answered again, else a new one —
``trackers`` keeps them by code; ``status``, ``status_detail``, ``est_delivery_date`` and
``tracking_details`` oldest first, each ``{"object": "TrackingDetail", "message", "status",
"status_detail", "datetime", "source", "tracking_location": {...}}``; a code that is neither
a label the stub sold nor one given ``scan`` is refused ``TRACKER.CODE.INVALID``).
Errors are ``{"error": {"code", "message", "errors"}}`` with EasyPost's HTTP statuses.
Label files are served from ``/files/<shipment id>.zpl`` (EasyPost serves them from its
own file host). A bearer key other than ``api_key`` gets a 401.

Test controls: ``delay(route, seconds)`` makes the next request to a route *do its work*
and then answer late (past the client's timeout); ``fail(route, status, code, message)``
makes the next one answer an error; ``bad_zips`` refuses those destination ZIPs.
``purchases`` counts labels sold; EasyPost sells at most one per shipment. ``scan(code,
status, at, …)`` adds a carrier scan to a tracking code's history; ``malformed("tracker")``
makes the next tracker answer a body that is not a Tracker.

``StubKeyring`` lets a command-line subprocess find the stub's key: run it with
``PYTHON_KEYRING_BACKEND=tests.support.easypost_stub.StubKeyring`` and the secrets in
``FULFIL_STUB_KEYRING`` (JSON ``{"name": "secret"}``).
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

from keyring.backend import KeyringBackend

from tests.support.stub_server import StubServer

RATES = [("USPS", "GroundAdvantage", "6.95", 3), ("USPS", "Priority", "9.85", 2), ("UPS", "Ground", "12.40", 4)]


class EasyPostStub(StubServer):
    base_path = "/v2"

    def __init__(self, api_key: str = "EZTKtest_stub_key") -> None:
        self.api_key = api_key
        self.shipments: dict[str, dict[str, Any]] = {}
        self.purchases = 0
        self.requests: list[tuple[str, str, dict[str, Any]]] = []
        self.bad_zips: set[str] = set()
        self.scan_forms: dict[str, dict[str, Any]] = {}
        self.trackers: dict[str, dict[str, Any]] = {}
        self.scans: dict[str, list[dict[str, Any]]] = {}
        self._malformed: set[str] = set()
        self._delays: dict[str, float] = {}
        self._failures: dict[str, tuple[int, str, str]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._serve(_handler(self))

    def delay(self, route: str, seconds: float) -> None:
        """``route``: ``create``, ``retrieve``, ``buy``, ``refund``, ``scan_form`` or ``tracker``."""
        self._delays[route] = seconds

    def take_delay(self, route: str) -> float:
        with self._lock:
            return self._delays.pop(route, 0.0)

    def fail(self, route: str, status: int, code: str, message: str) -> None:
        self._failures[route] = (status, code, message)

    def scan(self, code: str, status: str, at: str, *, detail: str = "", message: str | None = None,
             city: str | None = None, state: str | None = None, est_delivery: str | None = None) -> None:
        """A carrier scan of ``code`` at ``at`` (ISO 8601 with ``Z``), EasyPost's ``status``."""
        with self._lock:
            self.scans.setdefault(code, []).append({
                "object": "TrackingDetail", "message": message or status.replace("_", " ").capitalize(),
                "description": "", "status": status, "status_detail": detail or "status_update", "datetime": at,
                "source": "USPS", "carrier_code": "", "tracking_location": {
                    "object": "TrackingLocation", "city": city, "state": state, "country": None, "zip": None}})
            if est_delivery is not None:
                self.trackers.setdefault(code, {})["est_delivery_date"] = est_delivery

    def malformed(self, route: str) -> None:
        self._malformed.add(route)

    def count(self, route: str) -> int:
        return sum(1 for r, _path, _body in self.requests if r == route)

    # ------------------------------------------------------------------ routes

    def handle(self, method: str, path: str, body: dict[str, Any]) -> tuple[int, Any, str]:
        parts = [p for p in path.split("?")[0].split("/") if p]
        if method == "GET" and parts[:1] == ["files"]:
            return self._file(parts[1])
        route = _route(method, parts)
        with self._lock:
            self.requests.append((route, path, body))
            failure = self._failures.pop(route, None)
            if failure is not None:
                return failure[0], _error(failure[1], failure[2]), route
            if route in self._malformed:
                self._malformed.discard(route)
                return 200, ["not", "a", "tracker"], route
            status, answer = self._answer(route, parts, body)
        return status, answer, route

    def _answer(self, route: str, parts: list[str], body: dict[str, Any]) -> tuple[int, Any]:
        if route == "create":
            return self._create(body.get("shipment", {}))
        if route == "scan_form":
            return self._scan_form(body.get("scan_form", body))
        if route == "tracker":
            return self._tracker(body.get("tracker", body))
        shipment = self.shipments.get(parts[2]) if len(parts) > 2 else None
        if shipment is None:
            return 404, _error("NOT_FOUND", "The requested resource could not be found.")
        if route == "retrieve":
            return 200, shipment
        if route == "buy":
            return self._buy(shipment, body)
        if route == "refund":
            if shipment["postage_label"] is None:
                return 422, _error("SHIPMENT.REFUND.UNAVAILABLE", "This shipment has no postage to refund.")
            shipment["refund_status"] = "submitted"
            return 200, shipment
        return 404, _error("NOT_FOUND", "The requested resource could not be found.")

    def _create(self, params: dict[str, Any]) -> tuple[int, Any]:
        to = params.get("to_address", {})
        if to.get("zip") in self.bad_zips:
            return 422, _error("ADDRESS.VERIFY.FAILURE", "Unable to verify address.",
                               [{"field": "address", "message": "Address not found"}])
        if not params.get("parcel", {}).get("weight"):
            return 422, _error("PARCEL.WEIGHT.MISSING", "Missing required parameter: weight")
        sid = f"shp_{next(self._ids):032x}"
        to_address, from_address = to, params.get("from_address", {})
        if params.get("is_return"):  # EasyPost swaps the outbound addresses of a return shipment
            to_address, from_address = from_address, to_address
        rates = [{"id": f"rate_{sid[4:]}{i}", "object": "Rate", "mode": "test", "service": service,
                  "carrier": carrier, "rate": rate, "currency": "USD", "delivery_days": days, "shipment_id": sid,
                  "carrier_account_id": "ca_stub"} for i, (carrier, service, rate, days) in enumerate(RATES)]
        self.shipments[sid] = {
            "id": sid, "object": "Shipment", "mode": "test", "reference": params.get("reference"),
            "status": "unknown", "to_address": {"object": "Address", **to_address},
            "from_address": {"object": "Address", **from_address}, "is_return": bool(params.get("is_return")),
            "parcel": {"object": "Parcel", **params.get("parcel", {})}, "options": params.get("options", {}),
            "rates": rates, "selected_rate": None, "postage_label": None, "tracking_code": None,
            "refund_status": None, "messages": []}
        return 201, self.shipments[sid]

    def _buy(self, shipment: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
        if shipment["postage_label"] is not None:
            return 422, _error("SHIPMENT.POSTAGE.EXISTS", "This shipment already has postage.")
        rate = next((r for r in shipment["rates"] if r["id"] == body.get("rate", {}).get("id")), None)
        if rate is None:
            return 422, _error("SHIPMENT.RATE.INVALID", "The rate does not belong to this shipment.")
        self.purchases += 1
        sid, fmt = shipment["id"], str(shipment["options"].get("label_format", "PNG")).upper()
        shipment.update(selected_rate=rate, tracking_code=f"9400100000000{self.purchases:09d}", postage_label={
            "id": f"pl_{sid[4:]}", "object": "PostageLabel", "label_file_type": "application/zpl",
            "label_url": f"{self.base_url[:-3]}/files/{sid}.{fmt.lower()}",
            "label_zpl_url": f"{self.base_url[:-3]}/files/{sid}.zpl" if fmt == "ZPL" else None})
        return 200, shipment

    def _scan_form(self, params: dict[str, Any]) -> tuple[int, Any]:
        ids = [s.get("id") for s in params.get("shipments", [])]
        chosen = [self.shipments.get(i) for i in ids]
        if not ids or any(s is None or s["tracking_code"] is None for s in chosen):
            return 422, _error("SCAN_FORM.INVALID", "Every shipment on a scan form must have postage.")
        taken = [i for i in ids if any(i in form["shipment_ids"] for form in self.scan_forms.values())]
        if taken:
            return 422, _error("SCAN_FORM.CREATE.FAILURE", f"Unable to create manifest. {len(taken)} of the "
                               f"specified shipments are already on a scan form: {', '.join(taken)}")
        sf = f"sf_{next(self._ids):032x}"
        form = {"id": sf, "object": "ScanForm", "status": "created", "message": None,
                "tracking_codes": [s["tracking_code"] for s in chosen if s], "batch_id": f"batch_{sf[3:]}",
                "form_url": f"{self.base_url[:-3]}/files/{sf}.pdf", "form_file_type": None,
                "address": chosen[0]["from_address"] if chosen[0] else None}
        self.scan_forms[sf] = {**form, "shipment_ids": list(ids)}
        return 201, form

    def _tracker(self, params: dict[str, Any]) -> tuple[int, Any]:
        code = str(params.get("tracking_code") or "")
        sold = any(s["tracking_code"] == code for s in self.shipments.values())
        if not code or not (sold or code in self.scans or code in self.trackers):
            return 422, _error("TRACKER.CODE.INVALID", "Invalid tracking code.",
                               [{"field": "tracking_code", "message": "not a known tracking code"}])
        tracker = self.trackers.setdefault(code, {})
        if "id" not in tracker:
            tracker.update(id=f"trk_{next(self._ids):032x}", created_at="2026-12-01T00:00:00Z")
        details = sorted(self.scans.get(code, []), key=lambda d: str(d["datetime"]))
        status = details[-1]["status"] if details else "unknown"
        tracker.update(object="Tracker", mode="test", tracking_code=code, status=status,
                       status_detail=details[-1]["status_detail"] if details else None,
                       carrier=params.get("carrier") or "USPS", tracking_details=details, signed_by=None,
                       weight=None, shipment_id=None, public_url=f"https://track.easypost.com/{tracker['id']}",
                       fees=[])
        tracker.setdefault("est_delivery_date", None)
        return 201, dict(tracker)

    def _file(self, name: str) -> tuple[int, Any, str]:
        shipment = self.shipments.get(name.split(".")[0])
        if shipment is None or shipment["tracking_code"] is None:
            return 404, b"", "file"
        zpl = f"^XA^FO50,50^BCN,100,Y,N,N^FD{shipment['tracking_code']}^FS^XZ"
        return 200, zpl.encode(), "file"


def _route(method: str, parts: list[str]) -> str:
    if parts[:2] == ["v2", "shipments"]:
        if method == "POST" and len(parts) == 2:
            return "create"
        if method == "GET" and len(parts) == 3:
            return "retrieve"
        if method == "POST" and len(parts) == 4 and parts[3] in ("buy", "refund"):
            return parts[3]
    if parts[:2] == ["v2", "scan_forms"] and method == "POST":
        return "scan_form"
    if parts[:2] == ["v2", "trackers"] and method == "POST" and len(parts) == 2:
        return "tracker"
    return "unknown"


def _error(code: str, message: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "errors": errors or []}}


def _handler(stub: EasyPostStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else {}
            if not self.path.startswith("/files/") and self.headers.get("Authorization") != f"Bearer {stub.api_key}":
                self._send(401, _error("APIKEY.INACTIVE", "This api key is no longer active."))
                return
            status, answer, route = stub.handle(method, self.path, body)
            seconds = stub.take_delay(route)
            if seconds:
                time.sleep(seconds)  # the work is done; the answer comes too late
            self._send(status, answer)

        def _send(self, status: int, answer: Any) -> None:
            data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if not isinstance(answer, bytes) else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass

    return Handler


class StubKeyring(KeyringBackend):
    """A keyring backend for subprocesses under test: secrets from ``FULFIL_STUB_KEYRING``."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        secrets: dict[str, str] = json.loads(os.environ.get("FULFIL_STUB_KEYRING") or "{}")
        return secrets.get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NotImplementedError("the stub keyring is read-only")

    def delete_password(self, service: str, username: str) -> None:
        raise NotImplementedError("the stub keyring is read-only")
