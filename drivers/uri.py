"""Device URIs: parse them into parts, and build serial ones back.

Every device of a station is named by one URI string (see ARCHITECTURE.md, "Devices").
This module understands their *syntax* only; each driver decides what a URI means to
it. Pure functions, no I/O, safe to call from any thread.

Invariants of a parsed :class:`DeviceUri`:

* ``scheme`` is lower case and one of :data:`SCHEMES`;
* ``serial:`` URIs carry only the parameters in :data:`SERIAL_PARAMS`, each with an
  allowed value (checked when parsing, so a stored URI fails early and clearly);
* ``hid:`` URIs carry ``vid`` and ``pid`` and at most the ``serial`` parameter;
* ``tcp:`` URIs carry ``host`` and ``port`` (9100, raw printing, when omitted);
* for ``serial``, ``file``, ``dir``, ``pdf``, ``cups`` and ``win`` the device path or
  queue name is in ``path``, percent-decoded (``serial:///COM3`` gives ``COM3``).

Errors are :class:`DeviceUriError` whose message names the offending part and what is
allowed there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from fulfilstation.ports import DeviceUriError

SCHEMES = ("wedge", "sim", "serial", "hid", "tcp", "file", "cups", "win", "dir", "pdf")
SERIAL_PARAMS = ("protocol", "baud", "bytesize", "parity", "stopbits", "capacity")
HID_PARAMS = ("serial", "capacity")
SCALE_PROTOCOLS = ("mt-sics", "nci", "toledo")
BAUD_RATES = (300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
DEFAULT_TCP_PORT = 9100

Parity = Literal["N", "E", "O"]
_BYTESIZES: dict[str, Literal[7, 8]] = {"7": 7, "8": 8}
_PARITIES: dict[str, Parity] = {"N": "N", "E": "E", "O": "O"}
_STOPBITS: dict[str, Literal[1, 2]] = {"1": 1, "2": 2}

#: (baudrate, bytesize, parity, stopbits) used when a serial URI leaves them out.
PROTOCOL_DEFAULTS: dict[
    str | None, tuple[int, Literal[7, 8], Parity, Literal[1, 2]]
] = {
    "mt-sics": (9600, 8, "N", 1),
    "nci": (9600, 7, "E", 1),
    "toledo": (9600, 7, "E", 1),
    None: (9600, 8, "N", 1),
}

_WINDOWS_PORT = re.compile(
    r"/((?:COM\d+)|(?:\\\\\.\\.+)|(?:[A-Za-z]:.*))", re.IGNORECASE
)
_HID_IDS = re.compile(r"([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4})")


@dataclass(frozen=True, slots=True)
class DeviceUri:
    """One parsed device URI. ``raw`` is the text as given; ``params`` the query."""

    scheme: str
    path: str = ""
    host: str | None = None
    port: int | None = None
    vid: int | None = None
    pid: int | None = None
    serial_number: str | None = None
    params: dict[str, str] = field(default_factory=dict, hash=False)
    raw: str = ""


@dataclass(frozen=True, slots=True)
class SerialSettings:
    """How to open a serial port. ``protocol`` is None for devices without one."""

    port: str
    baudrate: int = 9600
    bytesize: Literal[7, 8] = 8
    parity: Parity = "N"
    stopbits: Literal[1, 2] = 1
    protocol: str | None = None

    def to_uri(self) -> str:
        """This port and every setting, spelled out, as a ``serial:`` URI."""
        return format_serial_uri(
            self.port,
            protocol=self.protocol,
            baudrate=self.baudrate,
            bytesize=self.bytesize,
            parity=self.parity,
            stopbits=self.stopbits,
        )


def parse_device_uri(uri: str) -> DeviceUri:
    """Split ``uri`` into its parts; raise DeviceUriError when it is not understood."""
    text = uri.strip()
    scheme, colon, rest = text.partition(":")
    scheme = scheme.lower()
    if not colon or scheme not in _BODY_PARSERS:
        raise DeviceUriError(
            f"unknown device URI {uri!r}: it must start with one of "
            + ", ".join(f"{s}:" for s in SCHEMES),
            user_message=f"The device address {uri!r} is not understood.",
        )
    body, _, query = rest.partition("?")
    params = _parse_query(query, uri)
    parts = _BODY_PARSERS[scheme](body, uri)
    if scheme == "hid":
        _check_names(params, HID_PARAMS, uri)
        parts["serial_number"] = params.get("serial") or None
    parsed = DeviceUri(scheme=scheme, params=params, raw=uri, **parts)
    if scheme == "serial":
        _settings_from(parsed)  # validates every parameter now
    return parsed


def serial_settings(uri: str | DeviceUri) -> SerialSettings:
    """The port settings a ``serial:`` URI asks for, with the protocol's defaults."""
    parsed = parse_device_uri(uri) if isinstance(uri, str) else uri
    if parsed.scheme != "serial":
        raise DeviceUriError(
            f"not a serial URI: {parsed.raw!r} (expected serial:///PORT)"
        )
    return _settings_from(parsed)


def scale_capacity(uri: str | DeviceUri) -> int | None:
    """The capacity a scale URI declares (``capacity=30kg``, ``capacity=60lb``) in grams,
    None when it declares none. DeviceUriError for a capacity that is not a weight."""
    parsed = uri if isinstance(uri, DeviceUri) else parse_device_uri(uri)
    text = parsed.params.get("capacity")
    if text is None:
        return None
    from fulfilstation.domain.units import parse_weight

    try:
        grams = parse_weight(text)
    except ValueError:
        grams = 0
    if grams <= 0:
        raise DeviceUriError(
            f"scale URI {parsed.raw!r}: parameter 'capacity' must be a weight above zero "
            f"with its unit, like capacity=30kg or capacity=60lb (got {text!r})"
        )
    return grams


def format_serial_uri(
    port: str,
    *,
    protocol: str | None = None,
    baudrate: int | None = None,
    bytesize: int | None = None,
    parity: str | None = None,
    stopbits: int | None = None,
) -> str:
    """Build a ``serial:`` URI; only the given settings are written. Validated."""
    values = {
        "protocol": protocol,
        "baud": baudrate,
        "bytesize": bytesize,
        "parity": parity,
        "stopbits": stopbits,
    }
    query = "&".join(f"{k}={v}" for k, v in values.items() if v is not None)
    path = quote(port, safe="/:\\")
    uri = f"serial://{path}" if path.startswith("/") else f"serial:///{path}"
    uri = f"{uri}?{query}" if query else uri
    serial_settings(uri)
    return uri


# --------------------------------------------------------------------------- helpers


def _parse_query(query: str, uri: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name in params:
            raise DeviceUriError(f"device URI {uri!r}: parameter {name!r} given twice")
        params[name] = value
    return params


def _check_names(params: dict[str, str], allowed: tuple[str, ...], uri: str) -> None:
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise DeviceUriError(
            f"device URI {uri!r}: unknown parameter {', '.join(map(repr, unknown))}; "
            f"allowed: {', '.join(allowed)}"
        )


def _choice(
    params: dict[str, str], name: str, choices: dict[str, Any], uri: str
) -> Any:
    value = params[name]
    key = value.upper() if name == "parity" else value.lower()
    if key not in choices:
        raise DeviceUriError(
            f"serial URI {uri!r}: parameter {name!r} must be one of "
            f"{', '.join(map(str, choices))} (got {value!r})"
        )
    return choices[key]


def _settings_from(parsed: DeviceUri) -> SerialSettings:
    params, uri = parsed.params, parsed.raw
    _check_names(params, SERIAL_PARAMS, uri)
    protocol: str | None = None
    if "protocol" in params:
        protocol = _choice(params, "protocol", {p: p for p in SCALE_PROTOCOLS}, uri)
    baud, bytesize, parity, stopbits = PROTOCOL_DEFAULTS[protocol]
    if "baud" in params:
        baud = _choice(params, "baud", {str(b): b for b in BAUD_RATES}, uri)
    if "bytesize" in params:
        bytesize = _choice(params, "bytesize", _BYTESIZES, uri)
    if "parity" in params:
        parity = _choice(params, "parity", _PARITIES, uri)
    if "stopbits" in params:
        stopbits = _choice(params, "stopbits", _STOPBITS, uri)
    return SerialSettings(parsed.path, baud, bytesize, parity, stopbits, protocol)


def _split_authority(body: str, uri: str) -> tuple[str, str]:
    if not body.startswith("//"):
        raise DeviceUriError(f"device URI {uri!r}: expected '//' after the scheme")
    authority, slash, path = body[2:].partition("/")
    return unquote(authority), unquote(slash + path)


def _opaque(body: str, uri: str) -> dict[str, Any]:
    return {"path": unquote(body.removeprefix("//"))}


def _named(body: str, uri: str) -> dict[str, Any]:
    name = unquote(body.removeprefix("//"))
    if not name.strip():
        raise DeviceUriError(
            f"device URI {uri!r}: the printer or queue name is missing"
        )
    return {"path": name}


def _pathlike(body: str, uri: str) -> dict[str, Any]:
    if not body.startswith("//"):
        path = unquote(body)
    else:
        authority, path = _split_authority(body, uri)
        if authority and authority.lower() != "localhost":
            if path:
                raise DeviceUriError(
                    f"device URI {uri!r}: host {authority!r} is not allowed here; "
                    "write three slashes, e.g. serial:///dev/ttyUSB0"
                )
            path = authority  # serial://COM3
    windows = _WINDOWS_PORT.fullmatch(path)
    path = windows.group(1) if windows else path
    if not path:
        raise DeviceUriError(f"device URI {uri!r}: the path is missing")
    return {"path": path}


def _hid(body: str, uri: str) -> dict[str, Any]:
    authority, path = _split_authority(body, uri)
    ids = _HID_IDS.fullmatch(authority)
    if not ids or path.strip("/"):
        raise DeviceUriError(
            f"HID URI {uri!r}: expected hid://VID:PID in hex, e.g. hid://0922:8003"
        )
    return {"vid": int(ids.group(1), 16), "pid": int(ids.group(2), 16)}


def _tcp(body: str, uri: str) -> dict[str, Any]:
    _split_authority(body, uri)
    try:
        split = urlsplit(body)
        port = split.port
    except ValueError as exc:
        raise DeviceUriError(f"TCP URI {uri!r}: bad port ({exc})") from exc
    if not split.hostname or split.path.strip("/"):
        raise DeviceUriError(f"TCP URI {uri!r}: expected tcp://HOST:PORT")
    return {"host": split.hostname, "port": DEFAULT_TCP_PORT if port is None else port}


_BODY_PARSERS: dict[str, Callable[[str, str], dict[str, Any]]] = {
    "wedge": _opaque,
    "sim": _opaque,
    "serial": _pathlike,
    "hid": _hid,
    "tcp": _tcp,
    "file": _pathlike,
    "cups": _named,
    "win": _named,
    "dir": _pathlike,
    "pdf": _pathlike,
}
