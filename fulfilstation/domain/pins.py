"""Hashing of PINs and badge codes. Pure functions; the clear values are never stored.

* A PIN is hashed with scrypt and a random salt: ``scrypt$n$r$p$salt_hex$hash_hex``; the
  parameters travel with the hash so they can be raised later without breaking old ones.
* A badge code must be found by a single indexed look-up, so it is stored as a keyed
  SHA-256 digest (deterministic, unique), not a salted hash.
"""

from __future__ import annotations

import hashlib
import hmac
import os

_N, _R, _P = 2**14, 8, 1
_BADGE_KEY = b"FulfilStation badge v1"


def hash_pin(pin: str) -> str:
    if not pin:
        raise ValueError("a PIN cannot be empty")
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str | None) -> bool:
    """Whether ``pin`` is the PIN ``stored`` was made from; False (never an exception) for a
    missing or damaged hash. Constant-time comparison."""
    if not stored or not pin:
        return False
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt" or not (n.isdigit() and r.isdigit() and p.isdigit()) or int(n) > 2**20:
        return False  # a damaged hash (or one whose cost would exhaust memory) matches nothing
    try:
        digest = hashlib.scrypt(pin.encode("utf-8", "surrogatepass"), salt=bytes.fromhex(salt_hex), n=int(n),
                                r=int(r), p=int(p), dklen=32)
    except ValueError:  # salt not hex, n not a power of two, r·p too large
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


def badge_digest(badge: str) -> str:
    return hmac.new(_BADGE_KEY, badge.strip().encode(), hashlib.sha256).hexdigest()


PIN_DIGITS = (4, 12)


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be a PIN (None when it can): 4 to 12 digits, not one digit repeated."""
    low, high = PIN_DIGITS
    if not pin.isdigit() or not low <= len(pin) <= high:
        return f"A PIN is {low} to {high} digits (a keypad types it fast)."
    if len(set(pin)) == 1:
        return "A PIN of one digit repeated is too easy to guess: choose another."
    return None
