"""What the station says when a known badge is scanned where a badge does nothing: while
signed in and idle, or mid-pack with no refused weight waiting for a manager. A badge is
never called an unknown barcode or a missing order.

Pure: words only (the controller asks ``app.users.badge_holder`` and shows them).
"""

from __future__ import annotations

from fulfilstation.services.actor import Actor
from fulfilstation.services.users import LoginChoice


def badge_words(code: str, holder: LoginChoice, signed_in: Actor, order_number: str | None = None,
                empty_scale: bool = False) -> str:
    """``code`` is ``holder``'s badge, scanned while ``signed_in`` is at the station: idle
    (``order_number`` None) or packing ``order_number``; ``empty_scale``: the last weighing
    was refused because nothing was on the scale."""
    first = holder.full_name.split()[0] if holder.full_name.split() else holder.username
    whose = "your badge" if holder.username == signed_in.username else f"{holder.full_name}'s badge"
    if empty_scale:
        return (f"Nothing is on the scale: put the parcel on it, then press Enter; a manager cannot accept an "
                f"empty scale ({code} is {whose}).")
    if order_number is not None:
        return (f"{code} is {whose}: a badge is needed here only after the scale refused a weight, for a "
                f"manager to accept it. Carry on packing {order_number}.")
    if holder.username == signed_in.username:
        return f"{code} is your badge: you are signed in. Scan an order, or press F2 for the next one."
    return (f"{code} is {whose}: {signed_in.full_name} is signed in here. To sign in as {first}, log out first "
            "(Ctrl+L), then scan the badge. To pack, scan an order or press F2 for the next one.")
