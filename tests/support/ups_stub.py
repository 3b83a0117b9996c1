"""A local stand-in for UPS's REST APIs on 127.0.0.1, for tests only.

It answers the documented request shapes of the endpoints karrio's UPS extension calls
(UPS Developer Kit, OAuth client credentials; Rating, Shipping, Tracking APIs, version
``v2409``/``v1``):

* ``POST /security/v1/oauth/token``: HTTP Basic ``client_id:client_secret``, form body
  ``grant_type=client_credentials`` → ``{"token_type": "Bearer", "access_token", "issued_at"
  (ms), "expires_in" (s), "status": "approved"}``; wrong credentials → 401
  ``{"response": {"errors": [{"code": "10401", "message": "ClientId is Invalid"}]}}``.
* ``POST /api/rating/{version}/Shop`` (and ``/Rate``): ``{"RateRequest": {"Shipment": {"Shipper",
  "ShipTo", "Package": [...]}}}`` → ``{"RateResponse": {"Response", "RatedShipment": [...]}}``, one
  RatedShipment per service (03 Ground, 02 2nd Day Air, 01 Next Day Air) priced by billable
  weight, with ``TimeInTransit`` since ``additionalinfo=timeintransit`` is asked.
* ``POST /api/shipments/{version}/ship``: ``{"ShipmentRequest": {"Shipment": {"Shipper":
  {"ShipperNumber"}, "PaymentInformation", "Service": {"Code"}, "Package": [...]},
  "LabelSpecification": {"LabelImageFormat": {"Code": "ZPL"|"GIF"|"PNG"}}}}`` →
  ``ShipmentResponse.ShipmentResults`` with ``ShipmentIdentificationNumber``, ``ShipmentCharges``
  and one ``PackageResults`` entry per package (``TrackingNumber``, ``ShippingLabel.GraphicImage``
  base64: real ZPL whose Code 128 encodes the tracking number, or a PNG image).
* ``DELETE /api/shipments/{version}/void/cancel/{ShipmentIdentificationNumber}`` →
  ``VoidShipmentResponse`` (Status 1 Voided); again → 400 error 190117 "already voided".
* ``GET /api/track/v1/details/{inquiryNumber}`` → ``trackResponse.shipment[0].package[0]``
  with ``activity`` newest first; unknown number → 404 error TW0001.

Every ``/api/`` request needs ``Authorization: Bearer <token from the token call>`` (else 401
error 250002). Errors are ``{"response": {"errors": [{"code", "message"}]}}`` as UPS sends.
Ledger: ``labels`` (tracking number → shipment id, reference, voided), ``shipments``,
``labels_made``. Test controls are the ``CarrierStub`` ones; routes: ``token``, ``rate``,
``ship``, ``void``, ``track``. ``set_activity(number, [...])`` sets a parcel's tracking.
"""

from __future__ import annotations

import base64
import io
import itertools
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any

from tests.support.carrier_stub import CarrierStub, basic_auth, bearer

SERVICES = (("03", "UPS Ground", 1.10, 4), ("02", "UPS 2nd Day Air", 2.35, 2), ("01", "UPS Next Day Air", 3.90, 1))


@dataclass
class UPSLabel:
    shipment_id: str
    tracking_number: str
    reference: str | None
    service: str
    voided: bool = False
    activity: list[dict[str, Any]] = field(default_factory=list)


class UPSStub(CarrierStub):
    def __init__(self, client_id: str = "ups-client", client_secret: str = "ups-secret",
                 account_number: str = "A1B2C3") -> None:
        self.client_id, self.client_secret, self.account_number = client_id, client_secret, account_number
        self.tokens: set[str] = set()
        self.labels: dict[str, UPSLabel] = {}
        self.shipments: dict[str, list[str]] = {}
        self.labels_made = 0
        self._ids = itertools.count(1)
        super().__init__()

    @property
    def server_url(self) -> str:
        return self.base_url

    def set_activity(self, tracking_number: str, activity: list[tuple[str, str, str, str, str, str]]) -> None:
        """``activity`` newest first: (type, description, code, YYYYMMDD, HHMMSS, city)."""
        self.labels[tracking_number].activity = [
            {"location": {"address": {"city": city, "stateProvince": "GA", "countryCode": "US", "country": "US"}},
             "status": {"type": kind, "description": text, "code": code, "statusCode": "003"},
             "date": date, "time": hhmmss} for kind, text, code, date, hhmmss, city in activity]

    # ------------------------------------------------------------------ routing

    def route_of(self, method: str, path: str) -> str:
        if method == "POST" and path == "/security/v1/oauth/token":
            return "token"
        if method == "POST" and re.fullmatch(r"/api/rating/v\d+/(Shop|Rate)", path):
            return "rate"
        if method == "POST" and re.fullmatch(r"/api/shipments/v\d+/ship", path):
            return "ship"
        if method == "DELETE" and re.fullmatch(r"/api/shipments/v\d+/void/cancel/[^/]+", path):
            return "void"
        if method == "GET" and re.fullmatch(r"/api/track/v1/details/[^/]+", path):
            return "track"
        return "unknown"

    def answer(self, route: str, method: str, path: str, query: dict[str, str], headers: dict[str, str],
               body: Any) -> tuple[int, Any]:
        if route == "token":
            return self._token(headers, body)
        if route == "unknown":
            return 404, _error("404", "Resource not found")
        if bearer(headers) not in self.tokens:
            return 401, _error("250002", "Invalid Authentication Information.")
        if route == "rate":
            return self._rate(body, shop=path.endswith("/Shop"))
        if route == "ship":
            return self._ship(body)
        if route == "void":
            return self._void(path.rsplit("/", 1)[1])
        return self._track(path.rsplit("/", 1)[1], query)

    # ------------------------------------------------------------------ endpoints

    def _token(self, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict) or body.get("grant_type") != "client_credentials":
            return 400, _error("10400", "Invalid/Missing grant_type")
        if basic_auth(headers) != (self.client_id, self.client_secret):
            return 401, _error("10401", "ClientId is Invalid")
        token = f"ups-token-{next(self._ids)}"
        with self._lock:
            self.tokens.add(token)
        return 200, {"token_type": "Bearer", "issued_at": str(int(time.time() * 1000)), "client_id": self.client_id,
                     "access_token": token, "expires_in": "14399", "status": "approved"}

    def _rate(self, body: Any, *, shop: bool) -> tuple[int, Any]:
        shipment = _get(body, "RateRequest", "Shipment")
        missing = _missing(shipment, ("Shipper", "Address", "PostalCode"), ("ShipTo", "Address", "PostalCode"),
                           ("ShipTo", "Address", "CountryCode"))
        packages = _packages(shipment)
        if missing or not packages or any(_get(p, "PackageWeight", "Weight") is None for p in packages):
            return 400, _error("111057", f"Missing or invalid field: {missing or 'Package/PackageWeight/Weight'}")
        weight = sum(_billable_lb(p) for p in packages)
        asked = None if shop else _get(shipment, "Service", "Code")  # Shop rates every service
        rated = [_rated(code, name, per_lb, days, weight) for code, name, per_lb, days in SERVICES
                 if asked in (None, code)]
        return 200, {"RateResponse": {"Response": _ok(), "RatedShipment": rated}}

    def _ship(self, body: Any) -> tuple[int, Any]:
        request = _get(body, "ShipmentRequest")
        shipment = _get(request, "Shipment")
        missing = _missing(shipment, ("Shipper", "ShipperNumber"), ("Shipper", "Address", "PostalCode"),
                           ("ShipTo", "Address", "PostalCode"), ("Service", "Code"), ("PaymentInformation",))
        packages = _packages(shipment)
        if missing or not packages:
            return 400, _error("120100", f"Missing or invalid field: {missing or 'Package'}")
        if _get(shipment, "Shipper", "ShipperNumber") != self.account_number:
            return 400, _error("120412", "A shipper number is required and must be associated with the UserId.")
        image = str(_get(request, "LabelSpecification", "LabelImageFormat", "Code") or "GIF").upper()
        with self._lock:
            self.labels_made += 1
            serial = next(self._ids)
            shipment_id = f"1ZSTUB{self.account_number[:6]}{serial:08d}"
            numbers = [shipment_id if i == 0 else f"1ZSTUB{self.account_number[:6]}{serial:06d}{i:02d}"
                       for i in range(len(packages))]
            reference = _get(request, "Request", "TransactionReference", "CustomerContext")
            for number in numbers:
                self.labels[number] = UPSLabel(shipment_id, number, reference, str(_get(shipment, "Service", "Code")))
                self.set_activity(number, [("M", "Shipper created a label, UPS has not received the package yet.",
                                            "MP", time.strftime("%Y%m%d"), "080000", "ATLANTA")])
            self.shipments[shipment_id] = numbers
        weight = sum(_billable_lb(p) for p in packages)
        per_lb = next((s[2] for s in SERVICES if s[0] == _get(shipment, "Service", "Code")), 1.5)
        total = _money(8.0 + per_lb * weight)
        forms = _get(shipment, "ShipmentServiceOptions", "InternationalForms")
        if forms is not None:
            problem = _customs_problem(forms)
            if problem:
                return 400, _error("120541", problem)
        invoice = {"Form": {"Code": "01", "Description": "Commercial Invoice", "Image": {
            "ImageFormat": {"Code": "PDF", "Description": "PDF"},
            "GraphicImage": base64.b64encode(_invoice_pdf(shipment_id)).decode()}}} if forms is not None else {}
        return 200, {"ShipmentResponse": {"Response": _ok(), "ShipmentResults": {**invoice,
            "ShipmentCharges": {"TransportationCharges": total, "ServiceOptionsCharges": _money(0),
                                "TotalCharges": total},
            "BillingWeight": {"UnitOfMeasurement": {"Code": "LBS"}, "Weight": f"{math.ceil(weight):.1f}"},
            "ShipmentIdentificationNumber": shipment_id,
            "PackageResults": [{"TrackingNumber": n, "ServiceOptionsCharges": _money(0), "ShippingLabel": {
                "ImageFormat": {"Code": image, "Description": image}, "GraphicImage": _label(n, image)}}
                for n in numbers]}}}

    def _void(self, shipment_id: str) -> tuple[int, Any]:
        with self._lock:
            numbers = self.shipments.get(shipment_id)
            if numbers is None:
                return 400, _error("190100", "No shipment found within the allowed void period")
            if all(self.labels[n].voided for n in numbers):
                return 400, _error("190117", "The shipment has already been voided.")
            for number in numbers:
                self.labels[number].voided = True
        return 200, {"VoidShipmentResponse": {"Response": _ok(), "SummaryResult": {
            "Status": {"Code": "1", "Description": "Voided"}}}}

    def _track(self, number: str, query: dict[str, str]) -> tuple[int, Any]:
        label = self.labels.get(number)
        if label is None:
            return 404, _error("TW0001", "Tracking Information Not Found")
        return 200, {"trackResponse": {"shipment": [{"inquiryNumber": number, "package": [{
            "trackingNumber": number, "deliveryDate": [{"type": "DEL", "date": "20261209"}],
            "activity": label.activity, "packageCount": 1}]}]}}


def zpl_label(tracking_number: str) -> bytes:
    """A 4x6 ZPL label whose Code 128 barcode encodes the tracking number (UPS prints the
    1Z number in Code 128 under the routing barcodes)."""
    return (f"^XA^CI28^PW812^LL1218^FO40,40^A0N,40,40^FDUPS GROUND^FS"
            f"^FO40,120^A0N,30,30^FDTRACKING #: {tracking_number}^FS"
            f"^FO60,200^BY2^BCN,220,Y,N,N^FD{tracking_number}^FS^XZ").encode()


def _label(tracking_number: str, image: str) -> str:
    if image == "ZPL":
        return base64.b64encode(zpl_label(tracking_number)).decode()
    from PIL import Image, ImageDraw  # noqa: PLC0415 - only for image labels

    picture = Image.new("L", (1200, 800), 255)
    ImageDraw.Draw(picture).text((40, 40), f"UPS {tracking_number}", fill=0)
    out = io.BytesIO()
    picture.save(out, "PNG" if image == "PNG" else "GIF")
    return base64.b64encode(out.getvalue()).decode()


def _customs_problem(forms: dict[str, Any]) -> str:
    """UPS refuses an international shipment whose invoice lines lack a commodity code,
    an origin country or a value."""
    products = forms.get("Product") or []
    if isinstance(products, dict):
        products = [products]
    if not products:
        return "InternationalForms/Product is required for a commercial invoice."
    for product in products:
        if not product.get("CommodityCode") or not product.get("OriginCountryCode") \
                or not _get(product, "Unit", "Value"):
            return "Each Product needs a CommodityCode, an OriginCountryCode and a Unit/Value."
    return ""


def _invoice_pdf(shipment_id: str) -> bytes:
    from reportlab.pdfgen import canvas  # noqa: PLC0415 - reportlab is a dependency of the app

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, f"COMMERCIAL INVOICE {shipment_id}")
    page.save()
    return out.getvalue()


def _rated(code: str, name: str, per_lb: float, days: int, weight: float) -> dict[str, Any]:
    total = _money(8.0 + per_lb * weight)
    return {"Service": {"Code": code, "Description": name}, "RatedShipmentAlert": [],
            "BillingWeight": {"UnitOfMeasurement": {"Code": "LBS"}, "Weight": f"{math.ceil(weight):.1f}"},
            "TransportationCharges": total, "BaseServiceCharge": total, "ServiceOptionsCharges": _money(0),
            "ItemizedCharges": [], "TotalCharges": total,
            "TimeInTransit": {"ServiceSummary": {"Service": {"Description": name}, "EstimatedArrival": {
                "BusinessDaysInTransit": str(days), "Arrival": {"Date": "20261210", "Time": "230000"}}}}}


def _billable_lb(package: dict[str, Any]) -> float:
    weight = float(_get(package, "PackageWeight", "Weight") or 0)
    unit = str(_get(package, "PackageWeight", "UnitOfMeasurement", "Code") or "LBS").upper()
    return weight * 2.20462 if unit == "KGS" else weight


def _packages(shipment: Any) -> list[dict[str, Any]]:
    packages = _get(shipment, "Package")
    if isinstance(packages, dict):
        return [packages]
    return [p for p in packages or [] if isinstance(p, dict)]


def _money(amount: float) -> dict[str, str]:
    return {"CurrencyCode": "USD", "MonetaryValue": f"{amount:.2f}"}


def _ok() -> dict[str, Any]:
    return {"ResponseStatus": {"Code": "1", "Description": "Success"}}


def _error(code: str, message: str) -> dict[str, Any]:
    return {"response": {"errors": [{"code": code, "message": message}]}}


def _get(node: Any, *path: str) -> Any:
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _missing(node: Any, *paths: tuple[str, ...]) -> str:
    return ", ".join("/".join(p) for p in paths if _get(node, *p) in (None, ""))
