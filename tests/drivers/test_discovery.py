"""Device discovery: listing serial ports and HID devices, proposing URIs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any

import pytest

from drivers.discovery import (
    KNOWN_HID_SCALES,
    HidDeviceInfo,
    ProposedDevice,
    SerialPortInfo,
    list_hid_devices,
    list_serial_ports,
    propose_device_uris,
)
from drivers.uri import parse_device_uri


def hid_entry(
    vid: int, pid: int, usage_page: int, usage: int = 1, **extra: Any
) -> dict[str, Any]:
    return {
        "path": f"/dev/hidraw-{vid:04x}-{pid:04x}-{usage_page:x}".encode(),
        "vendor_id": vid,
        "product_id": pid,
        "serial_number": extra.get("serial_number", ""),
        "release_number": 0x100,
        "manufacturer_string": extra.get("manufacturer", ""),
        "product_string": extra.get("product", ""),
        "usage_page": usage_page,
        "usage": usage,
        "interface_number": 0,
    }


def port(
    device: str, vid: int | None = None, pid: int | None = None
) -> SimpleNamespace:
    """What pyserial's ``comports()`` yields (ListPortInfo's attributes)."""
    return SimpleNamespace(
        device=device,
        description="USB Serial" if vid else "n/a",
        vid=vid,
        pid=pid,
        serial_number="A50285BI" if vid else None,
        manufacturer="FTDI" if vid else None,
    )


def test_lists_serial_ports_with_usb_ids() -> None:
    ports = list_serial_ports(
        lambda: [port("/dev/ttyUSB0", 0x0403, 0x6001), port("/dev/ttyS0")]
    )
    assert [p.port for p in ports] == ["/dev/ttyS0", "/dev/ttyUSB0"]
    assert ports[1] == SerialPortInfo(
        "/dev/ttyUSB0", "USB Serial", 0x0403, 0x6001, "A50285BI", "FTDI"
    )
    assert ports[1].vid_pid == "0403:6001"
    assert ports[0].vid_pid is None


def test_lists_hid_devices() -> None:
    entries = [
        hid_entry(0x0922, 0x8003, 0x8D, 0x20, product="M10 10lb Digital Postal Scale")
    ]
    (device,) = list_hid_devices(lambda: entries)
    assert (device.vid, device.pid, device.usage_page, device.usage) == (
        0x0922,
        0x8003,
        0x8D,
        0x20,
    )
    assert device.product == "M10 10lb Digital Postal Scale"
    assert device.vid_pid == "0922:8003"


def failing() -> Iterable[Mapping[str, Any]]:
    raise OSError("hid_init failed: no backend")


def test_broken_backends_give_empty_lists() -> None:
    assert list_hid_devices(failing) == []
    assert list_serial_ports(failing) == []
    assert (
        propose_device_uris(
            serial_ports=list_serial_ports(failing),
            hid_devices=list_hid_devices(failing),
        )
        == []
    )


def test_real_machine_enumeration_does_not_crash() -> None:
    assert isinstance(list_serial_ports(), list)
    assert isinstance(list_hid_devices(), list)
    for kind, uri, description in propose_device_uris():
        assert kind in ("scale", "scanner")
        assert parse_device_uri(uri).raw == uri
        assert description


@pytest.mark.parametrize(("vid", "pid"), sorted(KNOWN_HID_SCALES))
def test_known_scales_are_proposed(vid: int, pid: int) -> None:
    devices = list_hid_devices(lambda: [hid_entry(vid, pid, 0x8D, 0x20)])
    (proposal,) = propose_device_uris(serial_ports=[], hid_devices=devices)
    assert proposal.kind == "scale"
    assert proposal.uri == f"hid://{vid:04x}:{pid:04x}"
    assert KNOWN_HID_SCALES[(vid, pid)] in proposal.description
    parsed = parse_device_uri(proposal.uri)
    assert (parsed.vid, parsed.pid) == (vid, pid)


def test_unknown_scale_found_by_usage_page() -> None:
    devices = [HidDeviceInfo(0x1234, 0x5678, 0x8D, 0x20, product="Brand X scale")]
    assert propose_device_uris(serial_ports=[], hid_devices=devices) == [
        ProposedDevice(
            "scale", "hid://1234:5678", "USB scale Brand X scale (1234:5678)"
        )
    ]


def test_known_scale_without_usage_page_from_the_backend() -> None:
    devices = [HidDeviceInfo(0x0922, 0x8009, usage_page=0)]
    assert [
        p.uri for p in propose_device_uris(serial_ports=[], hid_devices=devices)
    ] == ["hid://0922:8009"]


def test_scanners_by_usage_page_and_vendor() -> None:
    devices = list_hid_devices(
        lambda: [
            hid_entry(0x0C2E, 0x0B61, 0x8C, 0x02, product="Xenon 1900"),  # HID POS
            hid_entry(
                0x0C2E, 0x0B61, 0x01, 0x06
            ),  # same scanner, its keyboard collection
            hid_entry(
                0x05E0, 0x1200, 0x01, 0x06, product="Symbol LS2208"
            ),  # keyboard mode
            hid_entry(0x05F9, 0x4204, 0x8C, 0x02),  # Datalogic HID POS
            hid_entry(
                0x046D, 0xC31C, 0x01, 0x06, product="Logitech keyboard"
            ),  # a keyboard
            hid_entry(0x046D, 0xC077, 0x01, 0x02),  # a mouse
        ]
    )
    proposals = propose_device_uris(serial_ports=[], hid_devices=devices)
    assert [(p.kind, p.uri) for p in proposals] == [
        ("scanner", "hid://0c2e:0b61"),
        ("scanner", "wedge:"),
        ("scanner", "hid://05f9:4204"),
    ]
    assert "Xenon 1900" in proposals[0].description


def test_identical_devices_get_serial_numbers() -> None:
    devices = [
        HidDeviceInfo(0x0922, 0x8003, 0x8D, 0x20, serial_number="A1"),
        HidDeviceInfo(0x0922, 0x8003, 0x8D, 0x20, serial_number="B 2"),
    ]
    uris = [p.uri for p in propose_device_uris(serial_ports=[], hid_devices=devices)]
    assert uris == ["hid://0922:8003?serial=A1", "hid://0922:8003?serial=B%202"]
    assert [parse_device_uri(u).serial_number for u in uris] == ["A1", "B 2"]


def test_a_device_listed_per_collection_is_proposed_once() -> None:
    same = HidDeviceInfo(0x0922, 0x8003, 0x8D, 0x20, serial_number="A1")
    assert len(propose_device_uris(serial_ports=[], hid_devices=[same, same])) == 1


def test_scanner_in_usb_serial_mode() -> None:
    ports = [
        SerialPortInfo("/dev/ttyACM0", "Honeywell", 0x0C2E, 0x0B6A),
        SerialPortInfo("/dev/ttyS0"),
    ]
    assert propose_device_uris(serial_ports=ports, hid_devices=[]) == [
        ProposedDevice(
            "scanner",
            "serial:///dev/ttyACM0",
            "Honeywell scanner in USB serial mode on /dev/ttyACM0",
        )
    ]


def test_proposals_unpack_as_tuples() -> None:
    ((kind, uri, description),) = propose_device_uris(
        serial_ports=[], hid_devices=[HidDeviceInfo(0x0922, 0x8004, 0x8D)]
    )
    assert (kind, uri) == ("scale", "hid://0922:8004")
    assert "DYMO M25" in description
