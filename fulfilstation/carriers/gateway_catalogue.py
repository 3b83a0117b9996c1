"""What gateways there are, which carriers each reaches, the settings an account of one needs,
and the ``CarrierGateway`` of one account: the seam between carrier set-up (the use cases in
``services/carriers``) and the gateways themselves (``karrio_gateway``, EasyPost).

``GatewayCatalogue`` is a port (``services.context.Ports.gateways``): the composition root
fills it with ``KarrioCatalogue`` (karrio's own settings schema, the extensions installed on
this PC), tests with the same over local stub servers.

Invariants:

* A carrier's fields come from the gateway's own settings schema, never from a list of ours:
  a new karrio extension brings its fields with it.
* ``secret`` fields (keys, passwords, client secrets) are only ever handed to a gateway and
  to the keyring, never to the database, an audit entry, a message or a log.
* A carrier whose extension is not installed is named with the command that adds it
  (``ExtensionMissing.install``); an unknown one raises ``UnknownCarrier`` listing the known.

Threading: every call is blocking and thread-safe; no state kept between calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from fulfilstation.carriers.gateway import CarrierGateway

KARRIO = "karrio"
GATEWAYS = (KARRIO,)  # gateways an account can be added through here (EasyPost: 'carriers add-easypost')


@dataclass(frozen=True)
class SettingField:
    """One field of a carrier account's settings, from the gateway's schema. ``kind`` is
    ``text``, ``number`` or ``bool``; ``default`` as text (None: no default); ``choices``:
    the only values it takes (none: any)."""

    name: str
    label: str
    required: bool
    secret: bool
    kind: str = "text"
    default: str | None = None
    help: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class CarrierChoice:
    """A carrier a gateway reaches; ``installed``: its extension is on this PC, else
    ``install`` is the command that adds it."""

    gateway: str
    carrier: str  # the gateway's name: "ups", "usps", "fedex" …
    label: str  # as people say it: "UPS"
    installed: bool
    install: str


class UnknownCarrier(LookupError):
    def __init__(self, gateway: str, carrier: str, known: tuple[str, ...]) -> None:
        super().__init__(f"{gateway} has no carrier {carrier!r}")
        self.gateway, self.carrier, self.known = gateway, carrier, known


class ExtensionMissing(LookupError):
    def __init__(self, gateway: str, carrier: str, install: str) -> None:
        super().__init__(f"the {gateway} extension for {carrier} is not installed")
        self.gateway, self.carrier, self.install = gateway, carrier, install


class GatewayCatalogue(Protocol):
    def carriers(self, gateway: str) -> tuple[CarrierChoice, ...]:
        """Every carrier ``gateway`` knows, installed or not; UnknownCarrier for an unknown gateway."""
        ...

    def fields(self, gateway: str, carrier: str) -> tuple[SettingField, ...]:
        """The settings an account of ``carrier`` takes; UnknownCarrier, ExtensionMissing."""
        ...

    def gateway(self, gateway: str, carrier: str, settings: Mapping[str, str], secrets: Mapping[str, str],
                timeout_s: float) -> CarrierGateway:
        """The account's gateway (may raise ``CarrierProblem`` for settings the SDK refuses)."""
        ...


