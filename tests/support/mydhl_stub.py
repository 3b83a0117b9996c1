"""A local stand-in for DHL Express's MyDHL API address check on 127.0.0.1, for tests only.

Only what the address check needs: ``GET /address-validate?type=delivery&countryCode=…
&postalCode=…&cityName=…&strictValidation=true`` with HTTP Basic auth (the MyDHL API's
username and password) → ``{"warnings": [], "address": [{"countryCode", "postalCode", "cityName",
"serviceArea": {"code", "description"}}]}`` with the city as DHL spells it. A postal code DHL does
not know in that country → 404 in MyDHL's problem shape ``{"instance", "detail", "title",
"message", "status"}``; wrong credentials → 401 in the same shape. ``places`` holds the known
(country, postal code) → city; routes for the controls: ``validate``.
"""

from __future__ import annotations

from typing import Any

from tests.support.carrier_stub import CarrierStub, basic_auth


class MyDHLStub(CarrierStub):
    def __init__(self, username: str = "dhl-user", password: str = "dhl-pass") -> None:
        self.username, self.password = username, password
        self.places: dict[tuple[str, str], str] = {("US", "02101"): "BOSTON", ("DE", "53113"): "BONN"}
        super().__init__()

    @property
    def server_url(self) -> str:
        return self.base_url

    def route_of(self, method: str, path: str) -> str:
        return "validate" if (method, path) == ("GET", "/address-validate") else "unknown"

    def answer(self, route: str, method: str, path: str, query: dict[str, str], headers: dict[str, str],
               body: Any) -> tuple[int, Any]:
        if basic_auth(headers) != (self.username, self.password):
            return 401, _problem(401, "Unauthorized", "Invalid credentials")
        if route == "unknown":
            return 404, _problem(404, "Not Found", "The requested resource does not exist")
        missing = [k for k in ("type", "countryCode", "postalCode") if not query.get(k)]
        if missing:
            return 400, _problem(400, "Bad request", f"Missing query parameters: {', '.join(missing)}")
        key = (query["countryCode"].upper(), query["postalCode"].replace(" ", ""))
        city = self.places.get(key)
        if city is None or (query.get("strictValidation") == "true" and query.get("cityName")
                            and query["cityName"].upper() != city):
            return 404, _problem(404, "Not Found", f"1001: The requested postal code {query['postalCode']} "
                                                   f"was not found in {query['countryCode']}")
        return 200, {"warnings": [], "address": [{"countryCode": key[0], "postalCode": key[1], "cityName": city,
                                                  "serviceArea": {"code": city[:3], "description": city.title()}}]}


def _problem(status: int, title: str, detail: str) -> dict[str, Any]:
    return {"instance": "/mydhlapi/address-validate", "detail": detail, "title": title, "message": title,
            "status": str(status)}
