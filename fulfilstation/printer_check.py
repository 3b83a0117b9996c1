"""Ask before printing: the station's way to send a label.

A label sent to a printer that is out of paper or has its lid open is not lost on
a Zebra (it waits in the buffer), but the packer has to know *before* the parcel
leaves the bench. :func:`check_then_send` asks first and refuses with the printer's
advice.
"""

from __future__ import annotations

from fulfilstation.ports import DeviceFault, LabelPrinter, PrinterStatus


def check_then_send(
    printer: LabelPrinter, data: bytes, job_name: str = "label"
) -> PrinterStatus:
    """Send ``data`` only if ``printer.status()`` is ready; return that status.

    Raises DeviceFault (``user_message`` = ``PrinterStatus.advice``) and sends nothing
    when a two-way printer reports a condition or does not answer (``NO_ANSWER``).
    One-way printers (``two_way=False``) cannot tell, so the job is sent. Other
    DeviceErrors come from ``send``. Blocking: call from a worker thread.
    """
    status = printer.status()
    if not status.ready:
        raise DeviceFault(
            f"{printer.uri}: label printer not ready ({status.words})",
            user_message=status.advice,
        )
    printer.send(data, job_name)
    return status
