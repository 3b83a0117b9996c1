"""Label and document printer drivers.

:func:`open_label_printer` (ZPL label printers):

* ``tcp://HOST[:9100][?timeout=S&status_timeout=S]`` raw TCP, two-way (``~HS`` status)
* ``file:///dev/usb/lp0[?timeout=S]`` device file, one-way
* ``cups://QUEUE[?timeout=S]`` CUPS raw queue via ``lp -o raw``, one-way
* ``win://PRINTER NAME`` Windows spooler, datatype RAW, one-way
* ``dir:///path`` one ``.zpl`` file per job
* ``sim:[?state=ok&dir=/path]`` in-process simulator (demo mode)

:func:`open_document_printer` (PDF): ``pdf:///path`` (store files), ``cups://QUEUE``,
``win://PRINTER NAME[?method=shell|raw]``, ``sim:[?dir=/path]``.

Opening touches no device; errors come from ``send``/``print_pdf``. Send labels through
:func:`fulfilstation.services.printing.check_then_send` so a two-way printer that is not ready refuses first.
"""

from __future__ import annotations

from collections.abc import Mapping

from drivers.printer.cups import CupsDocumentPrinter, CupsLabelPrinter
from drivers.printer.device_file import DeviceFileLabelPrinter
from drivers.printer.directory import DirectoryLabelPrinter, PdfDirectoryPrinter
from drivers.printer.tcp import TcpLabelPrinter
from drivers.printer.windows_spooler import WindowsDocumentPrinter, WindowsLabelPrinter
from drivers.uri import DeviceUri, parse_device_uri
from fulfilstation.ports import DeviceUriError, DocumentPrinter, LabelPrinter

__all__ = [
    "open_document_printer",
    "open_label_printer",
]

LABEL_SCHEMES = ("tcp", "file", "cups", "win", "dir", "sim")
DOCUMENT_SCHEMES = ("pdf", "cups", "win", "sim")


def _params(parsed: DeviceUri, allowed: tuple[str, ...]) -> Mapping[str, str]:
    unknown = sorted(set(parsed.params) - set(allowed))
    if unknown:
        raise DeviceUriError(
            f"printer URI {parsed.raw!r}: unknown parameter(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(allowed) or 'none'}"
        )
    return parsed.params


def _seconds(params: Mapping[str, str], name: str, default: float) -> float:
    text = params.get(name)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 600:
        raise DeviceUriError(f"printer URI parameter {name}={text!r}: seconds, 0..600")
    return value


def _wrong_scheme(uri: str, kind: str, schemes: tuple[str, ...]) -> DeviceUriError:
    return DeviceUriError(
        f"{uri!r} is not a {kind} printer address: use one of "
        + ", ".join(f"{s}:" for s in schemes),
        user_message=f"The {kind} printer address {uri!r} is not understood.",
    )


def open_label_printer(uri: str) -> LabelPrinter:
    """Build the label printer named by ``uri``; DeviceUriError when not understood."""
    parsed = parse_device_uri(uri)
    scheme = parsed.scheme
    if scheme == "tcp" and parsed.host is not None and parsed.port is not None:
        p = _params(parsed, ("timeout", "status_timeout"))
        return TcpLabelPrinter(
            uri,
            parsed.host,
            parsed.port,
            send_timeout=_seconds(p, "timeout", 10.0),
            status_timeout=_seconds(p, "status_timeout", 2.0),
        )
    if scheme == "file":
        p = _params(parsed, ("timeout",))
        return DeviceFileLabelPrinter(
            uri, parsed.path, timeout=_seconds(p, "timeout", 10)
        )
    if scheme == "cups":
        p = _params(parsed, ("timeout",))
        return CupsLabelPrinter(uri, parsed.path, timeout=_seconds(p, "timeout", 30.0))
    if scheme == "win":
        _params(parsed, ())
        return WindowsLabelPrinter(uri, parsed.path)
    if scheme == "dir":
        _params(parsed, ())
        return DirectoryLabelPrinter(uri, parsed.path)
    if scheme == "sim":
        from drivers.sim.printer import (
            SimLabelPrinter,
        )  # late: sim imports this package

        p = _params(parsed, ("state", "dir"))
        return SimLabelPrinter(uri, state=p.get("state", "ok"), out_dir=p.get("dir"))
    raise _wrong_scheme(uri, "label", LABEL_SCHEMES)


def open_document_printer(uri: str) -> DocumentPrinter:
    """Build the document (PDF) printer named by ``uri``; DeviceUriError when not
    understood."""
    parsed = parse_device_uri(uri)
    if parsed.scheme == "pdf":
        _params(parsed, ())
        return PdfDirectoryPrinter(uri, parsed.path)
    if parsed.scheme == "cups":
        p = _params(parsed, ("timeout",))
        return CupsDocumentPrinter(uri, parsed.path, timeout=_seconds(p, "timeout", 60))
    if parsed.scheme == "win":
        method = _params(parsed, ("method",)).get("method", "shell")
        if method not in ("shell", "raw"):
            raise DeviceUriError(f"printer URI {uri!r}: method must be shell or raw")
        return WindowsDocumentPrinter(uri, parsed.path, method=method)
    if parsed.scheme == "sim":
        from drivers.sim.printer import SimDocumentPrinter

        return SimDocumentPrinter(uri, out_dir=_params(parsed, ("dir",)).get("dir"))
    raise _wrong_scheme(uri, "document", DOCUMENT_SCHEMES)
