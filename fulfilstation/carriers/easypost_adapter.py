"""EasyPost through its official SDK (``easypost`` ≥ 9), behind a small typed surface:
create a shipment, buy its label in ZPL, refund it, make the end-of-day scan form, and track
shipments (EasyPost's Tracker API: ``track`` answers the carrier port's ``TrackingStatus``).

Invariants:

* The API key comes from the OS keyring (``CarrierAccount.keyring_name``, see
  ``adapter_for``). Only the SDK client holds it; it is never put in a message, a repr or
  a log line.
* The API base URL is configurable (``CarrierAccount.settings["api_base"]``): tests point
  it at a stub on 127.0.0.1; the default is EasyPost's production URL.
* ``buy`` looks before it buys: a shipment that already has postage is returned as it is,
  and a refused purchase is checked again (another station may have bought it). It never
  retries by itself. EasyPost sells one label per shipment, so a retry with the same
  EasyPost shipment id can never pay twice.
* Every failure is an ``EasyPostProblem`` whose message a warehouse user can act on;
  ``uncertain`` says EasyPost may have acted although no answer came (a timeout): look
  before acting again.

Units sent to EasyPost: weight in ounces, dimensions in inches, each rounded *up* to a
tenth (factors from :mod:`fulfilstation.domain.units`). Prices come back as decimal strings in
major units and are kept as integer minor units (two decimals).
"""

from __future__ import annotations

import functools
import math
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from easypost.easypost_client import EasyPostClient
from easypost.errors.general.easypost_error import EasyPostError

from fulfilstation.carriers.easypost_errors import EasyPostProblem, describe
from fulfilstation.carriers.easypost_tracking import tracking_status
from fulfilstation.carriers.gateway import CarrierProblem, TrackingStatus
from fulfilstation.credentials import KeyringUnavailable, SecretStore
from fulfilstation.domain.units import GRAMS_PER_OUNCE, MM_PER_INCH

DEFAULT_API_BASE = "https://api.easypost.com/v2"

Fetch = Callable[[str, int], bytes]
"""``fetch(url, timeout_s) -> bytes``: downloads a label file."""


@dataclass(frozen=True)
class Address:
    name: str
    street1: str
    city: str
    zip: str
    country: str
    street2: str | None = None
    state: str | None = None
    company: str | None = None
    phone: str | None = None
    email: str | None = None

    def as_params(self) -> dict[str, str]:
        return {key: value for key, value in vars(self).items() if value}


@dataclass(frozen=True)
class LabelRequest:
    reference: str  # our idempotency key, kept by EasyPost as the shipment's reference
    from_address: Address
    to_address: Address
    weight_g: int
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    carrier_account_id: str | None = None  # EasyPost ``ca_…``; None: every account of the key
    is_return: bool = False  # a return: the addresses as outbound, EasyPost swaps them (``is_return``)

    def parcel(self) -> dict[str, float]:
        parcel = {"weight": _tenth_up(self.weight_g / GRAMS_PER_OUNCE)}
        if self.length_mm and self.width_mm and self.height_mm:
            sides = {"length": self.length_mm, "width": self.width_mm, "height": self.height_mm}
            parcel |= {side: _tenth_up(mm / MM_PER_INCH) for side, mm in sides.items()}
        return parcel


@dataclass(frozen=True)
class PurchasedLabel:
    easypost_id: str
    tracking_code: str
    carrier: str
    service: str
    cost_minor: int
    currency: str
    label_zpl: bytes


@dataclass(frozen=True)
class ScanForm:
    easypost_id: str
    status: str
    form_url: str | None
    tracking_codes: tuple[str, ...]


class EasyPostAdapter:
    """Blocking calls to EasyPost; each waits at most ``timeout_s`` for an answer."""

    def __init__(self, api_key: str, *, api_base: str = DEFAULT_API_BASE, timeout_s: int = 30,
                 fetch: Fetch | None = None) -> None:
        self._client = EasyPostClient(api_key, api_base=api_base, timeout=timeout_s)
        self.api_base = api_base
        self.timeout_s = timeout_s
        self._fetch = fetch or _download

    def __repr__(self) -> str:
        return f"EasyPostAdapter(api_base={self.api_base!r})"  # never the key

    def create_shipment(self, request: LabelRequest) -> str:
        """A new EasyPost shipment (nothing is bought yet); returns its ``shp_…`` id."""
        params: dict[str, Any] = {"reference": request.reference, "to_address": request.to_address.as_params(),
                                  "from_address": request.from_address.as_params(), "parcel": request.parcel(),
                                  "options": {"label_format": "ZPL"}}
        if request.carrier_account_id:
            params["carrier_accounts"] = [request.carrier_account_id]
        if request.is_return:
            params["is_return"] = True
        shipment = self._call("create the shipment", lambda: self._client.shipment.create(**params).to_dict())
        return _text(shipment, "id")

    def find_label(self, easypost_id: str) -> PurchasedLabel | None:
        """The label already bought for this EasyPost shipment, if any."""
        return self._label(self._retrieve(easypost_id))

    def buy(self, easypost_id: str, carrier: str, service: str) -> PurchasedLabel:
        """Buy ``carrier``/``service`` for the shipment, unless it already has postage."""
        shipment = self._retrieve(easypost_id)
        bought = self._label(shipment)
        if bought is not None:
            return bought
        rate = _rate(shipment, carrier, service)
        try:
            shipment = self._call(f"buy the {carrier} {service} label", lambda: self._client.shipment.buy(
                easypost_id, rate={"id": rate}).to_dict())
        except EasyPostProblem as problem:
            if problem.uncertain:
                raise
            bought = self.find_label(easypost_id)  # a refusal because it was bought meanwhile
            if bought is None:
                raise
            return bought
        label = self._label(shipment)
        if label is None:
            raise EasyPostProblem("EasyPost accepted the purchase but returned no label. Try again: the label will "
                                  "be fetched, not bought again.", uncertain=True)
        return label

    def refund(self, easypost_id: str) -> str:
        """Ask for the label's money back; returns EasyPost's ``refund_status``."""
        shipment = self._call("refund the label", lambda: self._client.shipment.refund(easypost_id).to_dict())
        return str(shipment.get("refund_status") or "submitted")

    def scan_form(self, easypost_ids: list[str]) -> ScanForm:
        """The end-of-day form the driver scans for every listed (bought) shipment."""
        form = self._call("make the scan form", lambda: self._client.scan_form.create(
            shipments=[{"id": i} for i in easypost_ids]).to_dict())
        return ScanForm(_text(form, "id"), str(form.get("status") or ""), form.get("form_url"),
                        tuple(str(code) for code in form.get("tracking_codes") or ()))

    def track(self, tracking_numbers: Sequence[str], carrier: str | None = None) -> list[TrackingStatus]:
        """The status of each number (``carrier``: EasyPost's carrier name, e.g. ``USPS``).

        One ``POST /trackers`` per number: EasyPost answers the tracker it already has for
        that code (trackers are not duplicated), else a new one. A number EasyPost refuses
        (``TRACKER.*``: an unknown or malformed code) is left out; any other failure of EasyPost itself or of the
        connection raises ``CarrierProblem`` (the carrier port's error) for the whole batch."""
        statuses = []
        for number in tracking_numbers:
            params: dict[str, Any] = {"tracking_code": number}
            if carrier:
                params["carrier"] = carrier
            try:
                tracker = self._call("track a shipment", functools.partial(self._create_tracker, params))
            except EasyPostProblem as problem:
                if (problem.code or "").upper().startswith("TRACKER."):
                    continue  # EasyPost's refusal of this number (TRACKER.CODE.INVALID …)
                raise CarrierProblem(problem.message, uncertain=problem.uncertain) from None
            try:
                statuses.append(tracking_status(tracker, number))
            except (KeyError, TypeError, ValueError) as exc:
                raise CarrierProblem(f"EasyPost answered a tracker that cannot be read ({type(exc).__name__}): "
                                     "try again later.") from None
        return statuses

    def _create_tracker(self, params: dict[str, Any]) -> dict[str, Any]:
        return _object(self._client.tracker.create(**params))

    def _retrieve(self, easypost_id: str) -> dict[str, Any]:
        return self._call("look up the shipment", lambda: self._client.shipment.retrieve(easypost_id).to_dict())

    def _label(self, shipment: Mapping[str, Any]) -> PurchasedLabel | None:
        label, rate = shipment.get("postage_label"), shipment.get("selected_rate")
        if not isinstance(label, dict) or not shipment.get("tracking_code") or not isinstance(rate, dict):
            return None
        url = label.get("label_zpl_url") or (label.get("label_url") if "zpl" in str(
            label.get("label_file_type", "")).lower() else None)
        if not url:
            raise EasyPostProblem("EasyPost has the label but not in ZPL: set the label format of this carrier "
                                  "account to ZPL.")
        try:
            data = self._fetch(str(url), self.timeout_s)
        except OSError as exc:
            raise EasyPostProblem(f"The label was bought but could not be downloaded ({type(exc).__name__}). "
                                  "Try again: it will be downloaded, not bought again.") from None
        return PurchasedLabel(_text(shipment, "id"), str(shipment["tracking_code"]), str(rate.get("carrier")),
                              str(rate.get("service")), _minor(str(rate.get("rate", "0"))),
                              str(rate.get("currency") or "USD"), data)

    def _call(self, action: str, call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        try:
            return call()
        except EasyPostError as exc:
            raise describe(exc, action, self.timeout_s) from None


def adapter_for(account_name: str, keyring_name: str | None, settings: Mapping[str, Any],
                store: SecretStore | None = None, fetch: Fetch | None = None) -> EasyPostAdapter:
    """The adapter of a carrier account: its key from the OS keyring, its options from the
    account's settings (``api_base``, ``timeout_s``)."""
    where = (f'Store it on this computer with: fulfilstation carriers set-key "{account_name}" (it is kept in this '
             "computer's password store).")
    if not keyring_name:
        raise EasyPostProblem(f"The carrier account {account_name} has no API key set up. {where}")
    try:
        key = (store or SecretStore()).get(keyring_name)
    except KeyringUnavailable as exc:
        raise EasyPostProblem(str(exc)) from None
    if not key:
        raise EasyPostProblem(f"No EasyPost API key is stored for {account_name}. {where}")
    return EasyPostAdapter(key, api_base=str(settings.get("api_base") or DEFAULT_API_BASE),
                           timeout_s=int(settings.get("timeout_s") or 30), fetch=fetch)


def _rate(shipment: Mapping[str, Any], carrier: str, service: str) -> str:
    rates = [r for r in shipment.get("rates") or () if isinstance(r, dict)]
    for rate in rates:
        if str(rate.get("carrier", "")).lower() == carrier.lower() and str(rate.get("service", "")) == service:
            return str(rate["id"])
    offered = ", ".join(f"{r.get('carrier')} {r.get('service')}" for r in rates) or "none"
    raise EasyPostProblem(f"EasyPost offers no {carrier} {service} rate for this parcel (offered: {offered}). "
                          "Check the service code of this service, or let a manager choose another service.")


def _object(answer: object) -> dict[str, Any]:
    """An SDK object as a dict; an answer that is no object (a malformed reply) is a problem."""
    to_dict = getattr(answer, "to_dict", None)
    data = to_dict() if callable(to_dict) else None
    if not isinstance(data, dict):
        raise EasyPostProblem("EasyPost answered something that is not what was asked for: try again later.")
    return data


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise EasyPostProblem(f"EasyPost answered without a {key}: try again later.", uncertain=True)
    return value


def _minor(amount: str) -> int:
    return int((Decimal(amount) * 100).to_integral_value(ROUND_HALF_UP))


def _tenth_up(value: float) -> float:
    return math.ceil(round(value * 10, 6)) / 10


def _download(url: str, timeout_s: int) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise OSError(f"not a web address: {url[:40]}")
    with urllib.request.urlopen(url, timeout=timeout_s) as response:  # noqa: S310 - scheme checked above
        data: bytes = response.read()
        return data
