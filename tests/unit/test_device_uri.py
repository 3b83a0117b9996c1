"""Device URI parsing (drivers/uri.py): every scheme, serial settings, and errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.uri import (
    BAUD_RATES,
    DeviceUri,
    SerialSettings,
    format_serial_uri,
    parse_device_uri,
    serial_settings,
)
from fulfilstation.ports import DeviceUriError


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("wedge:", {"scheme": "wedge", "path": ""}),
        ("sim:", {"scheme": "sim", "params": {}}),
        ("sim:?protocol=nci", {"scheme": "sim", "params": {"protocol": "nci"}}),
        ("serial:///dev/ttyUSB0", {"scheme": "serial", "path": "/dev/ttyUSB0"}),
        ("serial:///COM3?baud=9600", {"path": "COM3", "params": {"baud": "9600"}}),
        ("serial://COM12", {"path": "COM12"}),
        ("hid://0922:8003", {"scheme": "hid", "vid": 0x0922, "pid": 0x8003}),
        (
            "hid://0c2e:0B61?serial=AB%2012",
            {"vid": 0x0C2E, "pid": 0x0B61, "serial_number": "AB 12"},
        ),
        ("tcp://10.0.0.7:9100", {"scheme": "tcp", "host": "10.0.0.7", "port": 9100}),
        ("tcp://printer.local", {"host": "printer.local", "port": 9100}),
        ("tcp://[::1]:9101", {"host": "::1", "port": 9101}),
        ("file:///dev/usb/lp0", {"scheme": "file", "path": "/dev/usb/lp0"}),
        ("cups://Zebra_ZD421", {"scheme": "cups", "path": "Zebra_ZD421"}),
        (
            "win://ZDesigner ZD421-203dpi",
            {"scheme": "win", "path": "ZDesigner ZD421-203dpi"},
        ),
        ("win://HP%20LaserJet", {"path": "HP LaserJet"}),
        ("dir:///path/for/files", {"scheme": "dir", "path": "/path/for/files"}),
        ("pdf:///path", {"scheme": "pdf", "path": "/path"}),
        ("dir:///C:/Labels", {"path": "C:/Labels"}),
        ("SERIAL:///dev/ttyS0", {"scheme": "serial", "path": "/dev/ttyS0"}),
    ],
)
def test_parses_every_scheme(uri: str, expected: dict[str, object]) -> None:
    parsed = parse_device_uri(uri)
    assert parsed.raw == uri
    for name, value in expected.items():
        assert getattr(parsed, name) == value, name


def test_device_uri_is_a_frozen_dataclass() -> None:
    parsed = parse_device_uri("hid://0922:8003")
    assert isinstance(parsed, DeviceUri)
    with pytest.raises(AttributeError):
        parsed.scheme = "tcp"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("uri", "settings"),
    [
        (
            "serial:///dev/ttyUSB0?protocol=toledo",
            ("/dev/ttyUSB0", 9600, 7, "E", 1, "toledo"),
        ),
        (
            "serial:///dev/ttyUSB0?protocol=nci",
            ("/dev/ttyUSB0", 9600, 7, "E", 1, "nci"),
        ),
        (
            "serial:///dev/ttyUSB0?protocol=mt-sics",
            ("/dev/ttyUSB0", 9600, 8, "N", 1, "mt-sics"),
        ),
        (
            "serial:///dev/ttyACM0?baud=115200",
            ("/dev/ttyACM0", 115200, 8, "N", 1, None),
        ),
        (
            "serial:///COM3?protocol=nci&baud=4800&bytesize=8&parity=n&stopbits=2",
            ("COM3", 4800, 8, "N", 2, "nci"),
        ),
        (
            "serial:///dev/ttyUSB0?protocol=MT-SICS&baud=9600&bytesize=8&parity=N",
            ("/dev/ttyUSB0", 9600, 8, "N", 1, "mt-sics"),
        ),
        (
            "serial:///dev/ttyS1?parity=O&bytesize=7",
            ("/dev/ttyS1", 9600, 7, "O", 1, None),
        ),
    ],
)
def test_serial_settings_with_protocol_defaults(
    uri: str, settings: tuple[object, ...]
) -> None:
    assert serial_settings(uri) == SerialSettings(*settings)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("uri", "named", "allowed"),
    [
        ("serial:///dev/ttyUSB0?speed=9600", "'speed'", "baud"),
        ("serial:///dev/ttyUSB0?protocol=sics", "'protocol'", "mt-sics, nci, toledo"),
        ("serial:///dev/ttyUSB0?baud=9601", "'baud'", "9600"),
        ("serial:///dev/ttyUSB0?bytesize=6", "'bytesize'", "7, 8"),
        ("serial:///dev/ttyUSB0?parity=M", "'parity'", "N, E, O"),
        ("serial:///dev/ttyUSB0?stopbits=3", "'stopbits'", "1, 2"),
        ("serial:///dev/ttyUSB0?baud=", "'baud'", "115200"),
        ("hid://0922:8003?interface=1", "'interface'", "serial"),
    ],
)
def test_bad_parameters_name_the_parameter_and_allowed_values(
    uri: str, named: str, allowed: str
) -> None:
    with pytest.raises(DeviceUriError) as caught:
        parse_device_uri(uri)
    assert named in str(caught.value)
    assert allowed in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "uri",
    [
        "",
        "nonsense",
        "usb://0922:8003",
        "hid://0922",
        "hid://xyz:8003",
        "hid://12345:1",
        "tcp://",
        "tcp://host:notaport",
        "tcp://host:70000",
        "cups://",
        "win://",
        "serial://",
        "serial://somehost/dev/ttyUSB0",
        "serial:///dev/ttyUSB0?baud=9600&baud=4800",
    ],
)
def test_rejects_malformed_uris(uri: str) -> None:
    with pytest.raises(DeviceUriError):
        parse_device_uri(uri)


def test_serial_settings_refuses_other_schemes() -> None:
    with pytest.raises(DeviceUriError, match="not a serial URI"):
        serial_settings("hid://0922:8003")


def test_serial_settings_accepts_a_parsed_uri() -> None:
    parsed = parse_device_uri("serial:///dev/ttyUSB1?protocol=nci")
    assert serial_settings(parsed).bytesize == 7


def test_format_serial_uri_writes_only_given_settings() -> None:
    assert format_serial_uri("/dev/ttyUSB0") == "serial:///dev/ttyUSB0"
    assert (
        format_serial_uri("COM3", protocol="toledo") == "serial:///COM3?protocol=toledo"
    )
    assert (
        format_serial_uri(
            "/dev/ttyUSB0", protocol="mt-sics", baudrate=9600, bytesize=8, parity="N"
        )
        == "serial:///dev/ttyUSB0?protocol=mt-sics&baud=9600&bytesize=8&parity=N"
    )


def test_format_serial_uri_validates() -> None:
    with pytest.raises(DeviceUriError, match="'parity'"):
        format_serial_uri("/dev/ttyUSB0", parity="X")


def test_settings_round_trip_through_their_uri() -> None:
    settings = SerialSettings("COM7", 4800, 7, "O", 2, "nci")
    assert serial_settings(settings.to_uri()) == settings
    odd = SerialSettings(
        "/dev/serial/by-id/usb-FTDI_FT232R_A50285BI-if00 port0", protocol="toledo"
    )
    assert serial_settings(odd.to_uri()) == odd


@given(
    port=st.sampled_from(["/dev/ttyUSB0", "COM3", "COM12", "/dev/tty.usbserial-A1"]),
    protocol=st.none() | st.sampled_from(["mt-sics", "nci", "toledo"]),
    baudrate=st.none() | st.sampled_from(BAUD_RATES),
    bytesize=st.none() | st.sampled_from([7, 8]),
    parity=st.none() | st.sampled_from(["N", "E", "O"]),
    stopbits=st.none() | st.sampled_from([1, 2]),
)
def test_format_then_parse_keeps_every_given_setting(
    port: str,
    protocol: str | None,
    baudrate: int | None,
    bytesize: int | None,
    parity: str | None,
    stopbits: int | None,
) -> None:
    uri = format_serial_uri(
        port,
        protocol=protocol,
        baudrate=baudrate,
        bytesize=bytesize,
        parity=parity,
        stopbits=stopbits,
    )
    settings = serial_settings(uri)
    assert settings.port == port
    assert settings.protocol == protocol
    for given_value, parsed in [
        (baudrate, settings.baudrate),
        (bytesize, settings.bytesize),
        (parity, settings.parity),
        (stopbits, settings.stopbits),
    ]:
        assert given_value is None or given_value == parsed
