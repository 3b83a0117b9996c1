"""A local stand-in for the USPS APIs v3 on 127.0.0.1, for tests only.

It answers the documented request shapes of the endpoints karrio's USPS extension calls:

* ``POST /oauth2/v3/token``: form ``grant_type=client_credentials``, ``client_id``,
  ``client_secret``, ``scope`` → ``{"access_token", "token_type": "Bearer", "issued_at",
  "expires_in", "status": "approved", "scope", "issuer"}``; wrong credentials → 401
  ``{"error": "invalid_client", "error_description": …}`` (OAuth 2.0's shape, as USPS sends).
* ``POST /payments/v3/payment-authorization``: ``{"roles": [{"roleName": "LABEL_OWNER"|"PAYER",
  "CRID", "MID", "accountType", "accountNumber"}]}`` → ``{"paymentAuthorizationToken", "roles"}``.
* ``POST /shipments/v3/options/search``: ``{"pricingOptions": [{"priceType", "paymentAccount"}],
  "originZIPCode", "destinationZIPCode", "packageDescription": {"weight", "length", "width",
  "height", "mailClass", "mailingDate"}}`` → ``{"pricingOptions": [{"shippingOptions": [{"mailClass",
  "rateOptions": [{"commitment", "totalPrice", "totalBasePrice", "rates": [...], "extraServices"}]}]}]}``.
* ``POST /labels/v3/label`` (``X-Payment-Authorization-Token`` needed): ``{"imageInfo": {"imageType":
  "ZPL203DPI"|"ZPL300DPI"|"PDF", "labelType": "4X6LABEL"}, "toAddress", "fromAddress",
  "packageDescription": {"mailClass", "weight", "rateIndicator", "processingCategory", "mailingDate"}}``
  → ``multipart/form-data``: part ``labelMetadata`` (JSON: ``trackingNumber``, ``postage``,
  ``routingInformation``, ``SKU``, ``zone``, ``commitment``) and part ``labelImage`` (the base64
  label, ``filename="labelImage.zpl"``), as USPS sends it.
* ``DELETE /labels/v3/label/{trackingNumber}`` → ``{"trackingNumber", "status": "CANCELED"}``;
  again → 400 "already cancelled".
* ``GET /tracking/v3/tracking/{trackingNumber}?expand=DETAIL`` → ``{"trackingNumber", "status",
  "statusCategory", "mailClass", "expectedDeliveryTimeStamp", "trackingEvents": [...]}`` newest first.
* ``POST /scan-forms/v3/scan-form``: ``{"form": "5630", "imageType": "PDF", "mailingDate",
  "entryFacilityZIPCode", "shipment": {"trackingNumbers": [...]}, "fromAddress"}`` →
  ``{"SCANFormMetadata": {"manifestNumber", "trackingNumbers"}, "SCANFormImage": base64 PDF}``;
  a label already on a SCAN form, voided or unknown is refused.

Bearer tokens from the token call are required on every other route (401 otherwise). Errors are
``{"apiVersion", "error": {"code", "message", "errors": [{"status", "code", "title", "detail"}]}}``.
Ledger: ``labels`` (tracking number → reference, mail class, voided, scan form), ``labels_made``,
``scan_forms``. Routes for the controls: ``token``, ``payment``, ``rate``, ``label``, ``cancel``,
``track``, ``scan_form``. ``set_events(number, status, [...])`` sets a label's tracking.
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from tests.support.carrier_stub import CarrierStub, bearer

#: mail class, product name, base price, price per lb, days
PRODUCTS = (("USPS_GROUND_ADVANTAGE", "USPS Ground Advantage", 5.40, 0.70, 3),
            ("PRIORITY_MAIL", "Priority Mail", 8.70, 1.10, 2),
            ("PRIORITY_MAIL_EXPRESS", "Priority Mail Express", 28.75, 2.40, 1))
BOUNDARY = "usps-stub-boundary-7d2f"


@dataclass
class USPSLabel:
    tracking_number: str
    reference: str | None
    mail_class: str
    image_type: str
    voided: bool = False
    scan_form: str | None = None
    status: str = "Pre-Shipment Info Sent to USPS, USPS Awaiting Item"
    events: list[dict[str, Any]] = field(default_factory=list)


class USPSStub(CarrierStub):
    def __init__(self, client_id: str = "usps-client", client_secret: str = "usps-secret",
                 account_number: str = "1000123456", crid: str = "56982563", mid: str = "902437512") -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.account_number, self.crid, self.mid = account_number, crid, mid
        self.tokens: set[str] = set()
        self.payment_tokens: set[str] = set()
        self.labels: dict[str, USPSLabel] = {}
        self.labels_made = 0
        self.scan_forms: dict[str, list[str]] = {}
        self._ids = itertools.count(1)
        super().__init__()

    @property
    def server_url(self) -> str:
        return self.base_url

    def set_events(self, tracking_number: str, status: str,
                   events: list[tuple[str, str, str, str]]) -> None:
        """``events`` newest first: (eventType, eventCode, ISO timestamp with Z, city)."""
        label = self.labels[tracking_number]
        label.status = status
        label.events = [{"eventType": kind, "eventCode": code, "eventTimestamp": when, "eventCity": city,
                         "eventState": "MA", "eventZIP": "02101", "eventCountry": "US"}
                        for kind, code, when, city in events]

    # ------------------------------------------------------------------ routing

    def route_of(self, method: str, path: str) -> str:
        routes = {("POST", "/oauth2/v3/token"): "token", ("POST", "/payments/v3/payment-authorization"): "payment",
                  ("POST", "/shipments/v3/options/search"): "rate", ("POST", "/labels/v3/label"): "label",
                  ("POST", "/scan-forms/v3/scan-form"): "scan_form"}
        if (method, path) in routes:
            return routes[(method, path)]
        if method == "DELETE" and re.fullmatch(r"/labels/v3/label/\w+", path):
            return "cancel"
        if method == "GET" and re.fullmatch(r"/tracking/v3/tracking/\w+", path):
            return "track"
        return "unknown"

    def answer(self, route: str, method: str, path: str, query: dict[str, str], headers: dict[str, str],
               body: Any) -> tuple[int, Any]:
        if route == "token":
            return self._token(body)
        if route == "unknown":
            return 404, _error("/", "404", "NOT_FOUND", "Not Found", "The resource does not exist.")
        if bearer(headers) not in self.tokens:
            return 401, _error("/", "401", "UNAUTHORIZED", "Unauthorized", "The access token is missing or invalid.")
        if route == "payment":
            return self._payment(body)
        if route == "rate":
            return self._rate(body)
        if route in ("label", "cancel") and headers.get("x-payment-authorization-token") not in self.payment_tokens:
            return 401, _error("/labels/v3", "401", "PAYMENT_TOKEN", "Unauthorized",
                               "A valid X-Payment-Authorization-Token is required.")
        if route == "label":
            return self._label(body)
        if route == "cancel":
            return self._cancel(path.rsplit("/", 1)[1])
        if route == "track":
            return self._track(path.rsplit("/", 1)[1], query)
        return self._scan_form(body)

    # ------------------------------------------------------------------ endpoints

    def _token(self, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict) or body.get("grant_type") != "client_credentials":
            return 400, {"error": "unsupported_grant_type",
                         "error_description": "grant_type must be client_credentials"}
        if (body.get("client_id"), body.get("client_secret")) != (self.client_id, self.client_secret):
            return 401, {"error": "invalid_client", "error_description": "Client authentication failed."}
        token = f"usps-token-{next(self._ids)}"
        with self._lock:
            self.tokens.add(token)
        return 200, {"access_token": token, "token_type": "Bearer", "issued_at": int(time.time() * 1000),
                     "expires_in": 28799, "status": "approved", "scope": body.get("scope", ""),
                     "issuer": "api.usps.com", "client_id": self.client_id}

    def _payment(self, body: Any) -> tuple[int, Any]:
        roles = body.get("roles") if isinstance(body, dict) else None
        names = sorted(str(r.get("roleName")) for r in roles or [] if isinstance(r, dict))
        payer = next((r for r in roles or [] if isinstance(r, dict) and r.get("roleName") == "PAYER"), {})
        if names != ["LABEL_OWNER", "PAYER"] or payer.get("accountNumber") != self.account_number \
                or payer.get("CRID") != self.crid:
            return 400, _error("/payments/v3", "400", "ROLES", "Invalid roles",
                               "LABEL_OWNER and PAYER roles with this account's CRID and account number are required.")
        token = f"usps-payment-{next(self._ids)}"
        with self._lock:
            self.payment_tokens.add(token)
        return 200, {"paymentAuthorizationToken": token, "roles": roles}

    def _rate(self, body: Any) -> tuple[int, Any]:
        package = body.get("packageDescription") if isinstance(body, dict) else None
        missing = [k for k in ("originZIPCode", "destinationZIPCode") if not (body or {}).get(k)]
        if not isinstance(package, dict) or not package.get("weight") or missing:
            return 400, _error("/shipments/v3", "400", "OASValidation", "Bad Request",
                               f"Missing required fields: {', '.join(missing) or 'packageDescription.weight'}")
        asked = package.get("mailClass") or "ALL"
        options = [_shipping_option(mail_class, name, base, per_lb, days, float(package["weight"]))
                   for mail_class, name, base, per_lb, days in PRODUCTS if asked in ("ALL", mail_class)]
        return 200, {"pricingOptions": [{"shippingOptions": options, "priceType": "COMMERCIAL"}]}

    def _label(self, body: Any) -> tuple[int, Any]:
        package = body.get("packageDescription") if isinstance(body, dict) else None
        to = body.get("toAddress") if isinstance(body, dict) else None
        image = str(((body or {}).get("imageInfo") or {}).get("imageType") or "")
        if not isinstance(package, dict) or not package.get("weight") or not package.get("mailClass") \
                or not isinstance(to, dict) or not to.get("ZIPCode") or not to.get("streetAddress") or not image:
            return 400, _error("/labels/v3", "400", "OASValidation", "Bad Request",
                               "toAddress, packageDescription.weight, mailClass and imageInfo.imageType are required.")
        product = next((p for p in PRODUCTS if p[0] == package["mailClass"]), PRODUCTS[0])
        reference = next((r.get("referenceNumber") for r in package.get("customerReference") or []), None)
        with self._lock:
            self.labels_made += 1
            number = f"9205590{next(self._ids):015d}"
            self.labels[number] = USPSLabel(number, reference, product[0], image)
        postage = round(product[2] + product[3] * float(package["weight"]), 2)
        metadata = {"labelAddress": {"streetAddress": to.get("streetAddress"), "city": to.get("city"),
                                     "state": to.get("state"), "ZIPCode": to.get("ZIPCode")},
                    "routingInformation": f"420{to.get('ZIPCode')}", "trackingNumber": number, "postage": postage,
                    "extraServices": [], "zone": "05", "commitment": {"name": f"{product[4]} Days",
                                                                     "scheduleDeliveryDate": "2026-12-10"},
                    "weightUOM": "lb", "weight": package["weight"], "fees": [], "SKU": "DUXP0XXXXC05010",
                    "labelBrokerID": ""}
        return 200, _multipart(metadata, _label_image(number, image), image)

    def _cancel(self, number: str) -> tuple[int, Any]:
        with self._lock:
            label = self.labels.get(number)
            if label is None:
                return 404, _error("/labels/v3", "404", "NOT_FOUND", "Not Found", f"Label {number} was not found.")
            if label.voided:
                return 400, _error("/labels/v3", "400", "ALREADY_CANCELED", "Already canceled",
                                   "The label has already been canceled.")
            label.voided = True
        return 200, {"trackingNumber": number, "status": "CANCELED"}

    def _track(self, number: str, query: dict[str, str]) -> tuple[int, Any]:
        label = self.labels.get(number)
        if label is None:
            return 404, _error("/tracking/v3", "404", "TRACKING_NOT_FOUND", "Not Found",
                               f"The tracking number {number} could not be found.")
        return 200, {"trackingNumber": number, "mailClass": label.mail_class, "status": label.status,
                     "statusCategory": label.status.split(",")[0], "destinationZIP": "02101", "originZIP": "30301",
                     "expectedDeliveryTimeStamp": "2026-12-10T20:00:00Z", "trackingEvents": label.events}

    def _scan_form(self, body: Any) -> tuple[int, Any]:
        numbers = (((body or {}).get("shipment") or {}).get("trackingNumbers") or []) if isinstance(body, dict) else []
        if not numbers or not (body or {}).get("entryFacilityZIPCode") or (body or {}).get("form") != "5630":
            return 400, _error("/scan-forms/v3", "400", "OASValidation", "Bad Request",
                               "form, entryFacilityZIPCode and shipment.trackingNumbers are required.")
        with self._lock:
            bad = [n for n in numbers if n not in self.labels or self.labels[n].voided or self.labels[n].scan_form]
            if bad:
                return 400, _error("/scan-forms/v3", "400", "SCAN_FORM_INELIGIBLE", "Bad Request",
                                   f"Labels not eligible for a SCAN form: {', '.join(bad)}")
            form = f"9475709{next(self._ids):015d}"
            for number in numbers:
                self.labels[number].scan_form = form
            self.scan_forms[form] = list(numbers)
        return 200, {"SCANFormMetadata": {"manifestNumber": form, "trackingNumbers": numbers},
                     "SCANFormImage": base64.b64encode(_pdf(f"PS Form 5630 {form}")).decode()}


def zpl_label(tracking_number: str, *, dpi: int = 203) -> bytes:
    """A 4x6 ZPL label whose Code 128 barcode encodes the tracking number."""
    scale = 1.5 if dpi == 300 else 1.0
    return (f"^XA^CI28^PW{int(812 * scale)}^LL{int(1218 * scale)}^FO40,40^A0N,40,40^FDUSPS GROUND ADVANTAGE^FS"
            f"^FO40,{int(200 * scale)}^BY{2 if dpi == 203 else 3}^BCN,{int(200 * scale)},Y,N,N"
            f"^FD{tracking_number}^FS^XZ").encode()


def _label_image(number: str, image: str) -> str:
    if image.startswith("ZPL"):
        return base64.b64encode(zpl_label(number, dpi=300 if "300" in image else 203)).decode()
    return base64.b64encode(_pdf(f"USPS {number}")).decode()


def _pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas  # noqa: PLC0415 - reportlab is a dependency of the app

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(288, 432))
    page.drawString(20, 400, text)
    page.save()
    return out.getvalue()


def _multipart(metadata: dict[str, Any], label: str, image: str) -> bytes:
    suffix = "zpl" if image.startswith("ZPL") else "pdf"
    return (f"--{BOUNDARY}\r\nContent-Type: application/json\r\n"
            f'Content-Disposition: form-data; name="labelMetadata"\r\n\r\n{json.dumps(metadata)}\r\n'
            f"--{BOUNDARY}\r\nContent-Type: application/{suffix}\r\n"
            f'Content-Disposition: form-data; name="labelImage"; filename="labelImage.{suffix}"\r\n\r\n'
            f"{label}\r\n--{BOUNDARY}--\r\n").encode()


def _shipping_option(mail_class: str, name: str, base: float, per_lb: float, days: int,
                     weight: float) -> dict[str, Any]:
    price = round(base + per_lb * weight, 2)
    return {"mailClass": mail_class, "rateOptions": [{
        "commitment": {"name": f"{days} Days", "scheduleDeliveryDate": f"2026-12-{7 + days:02d}"},
        "totalPrice": price, "totalBasePrice": price, "extraServices": [],
        "rates": [{"SKU": "DUXP0XXXXC05010", "description": f"{name} Machinable Dimensional Rectangular",
                   "priceType": "COMMERCIAL", "price": price, "weight": weight, "fees": [], "mailClass": mail_class,
                   "zone": "05", "productName": name, "processingCategory": "MACHINABLE", "rateIndicator": "DR"}]}]}


def _error(api: str, status: str, code: str, title: str, detail: str) -> dict[str, Any]:
    return {"apiVersion": api, "error": {"code": status, "message": title,
                                         "errors": [{"status": status, "code": code, "title": title,
                                                     "detail": detail}]}}
