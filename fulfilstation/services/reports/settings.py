"""The reports' site settings (site setting ``reports``): the site's time zone (its day is its
local day), the target time per service-level step, and the hourly cost of packing labour.

Invariants: stored only after checking (an IANA zone that exists, whole positive minutes per
known step, an active ISO 4217 currency — ``domain.money.CURRENCIES`` —, a labour rate from 0
to ``max_labour_rate_major`` an hour in that currency, stored in its minor units); a change is one
transaction with its audit entry ``site.reports_changed`` (through ``store_setting``).
Unset values read as the defaults: this PC's time zone, ``DEFAULT_TARGETS``, no labour cost.

The PC's zone (``machine_zone_name``) is an IANA name that exists, never an exception: ``TZ``
when it names one (``Europe/Berlin``, ``:Europe/Berlin``) or a tz file under a ``zoneinfo``
folder (``:/etc/localtime``, ``/usr/share/zoneinfo/Europe/Berlin``); else the zone the
``/etc/localtime`` symlink points at; else ``UTC`` (Windows, where we do not ship tzlocal; a
POSIX rule such as ``EST5EDT,M3.2.0,M11.1.0`` with no /etc/localtime). A site whose zone was
never stored reads ``zone_from_pc`` True, and every report says so (``zone_notice``): its
days are this PC's days, which another PC may not share.

Threading: blocking (database) where a session or database is taken; call from worker threads.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import SiteSetting
from fulfilstation.domain.money import format_money, is_currency, minor_digits
from fulfilstation.services.actor import Actor
from fulfilstation.services.reports.period import PeriodRefused, zone_named
from fulfilstation.services.site.settings import SiteSettingRefused, store_setting

REPORTS_SETTING = "reports"

#: The service-level steps, in the order an order goes through them: each is the time from
#: the previous event (``received`` → ``ready`` → ``picked`` → ``packed`` → ``shipped``).
STEPS = ("ready", "picked", "packed", "shipped")
STEP_NAMES = {"ready": "Received → ready", "picked": "Ready → picked", "packed": "Picked → packed",
              "shipped": "Packed → shipped"}
DEFAULT_TARGETS = {"ready": 30, "picked": 120, "packed": 60, "shipped": 120}  # minutes
#: The highest hourly labour rate taken, in major units of the site's currency: above it the
#: figure is a slip (cents typed as dollars, a zero too many), not a wage.
MAX_LABOUR_RATE_MAJOR = 1_000
#: Currencies whose unit is worth about a US cent or less (2026): a wage there is thousands of
#: units an hour (¥1,200, ₩10,000, ₫30,000, Rp 25,000), so their ceiling only stops absurd figures.
SMALL_UNIT_CURRENCIES = frozenset({
    "AMD", "ARS", "BIF", "CDF", "CLP", "COP", "DZD", "GNF", "HUF", "IDR", "IQD", "IRR", "ISK", "JPY", "KES",
    "KHR", "KPW", "KRW", "KZT", "LAK", "LBP", "LKR", "MGA", "MMK", "MNT", "MWK", "NGN", "NPR", "PKR", "PYG",
    "RSD", "RWF", "SLE", "SOS", "SSP", "SYP", "TZS", "UGX", "UZS", "VND", "XAF", "XOF", "YER"})
SMALL_UNIT_MAX_LABOUR_RATE_MAJOR = 1_000_000


def max_labour_rate_major(currency: str) -> int:
    """The highest hourly labour rate taken in ``currency``, in its whole units."""
    return SMALL_UNIT_MAX_LABOUR_RATE_MAJOR if currency in SMALL_UNIT_CURRENCIES else MAX_LABOUR_RATE_MAJOR


def max_labour_rate_minor(currency: str) -> int:
    """``max_labour_rate_major`` in the minor units of ``currency``."""
    return max_labour_rate_major(currency) * int(10 ** minor_digits(currency))


LOCALTIME = Path("/etc/localtime")  # the PC's zone on Linux and macOS: a symlink into a zoneinfo folder
#: Subfolders of a zoneinfo folder that hold the same zones again under another variant.
_VARIANTS = ("posix", "right")


def machine_zone_name(environ: Mapping[str, str] | None = None, localtime: Path | None = None) -> str:
    """This PC's IANA time zone name, one ``ZoneInfo`` can load: ``TZ`` when it names a zone
    (or is the path of a zone file), else the zone ``localtime`` (default ``/etc/localtime``)
    links to, else ``UTC``. Never raises."""
    setting = (os.environ if environ is None else environ).get("TZ", "").strip().lstrip(":")
    if setting:
        named = _zone_of_path(Path(setting)) if os.path.isabs(setting) else _loadable(setting)
        if named:
            return named
    return _zone_of_path(LOCALTIME if localtime is None else localtime) or "UTC"


def _loadable(name: str) -> str | None:
    """``name`` when it is an IANA zone this PC knows (not a POSIX rule, not a path outside the zones)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return name


def _zone_of_path(path: Path) -> str | None:
    """The zone a tz file is, by its place under a ``zoneinfo`` folder once links are followed
    (``/usr/share/zoneinfo/America/Chicago`` → America/Chicago); None when it is not there."""
    try:
        parts = path.resolve().parts
    except (OSError, RuntimeError):  # a link loop
        return None
    if "zoneinfo" not in parts:
        return None
    rest = list(parts[len(parts) - parts[::-1].index("zoneinfo"):])
    if rest and rest[0] in _VARIANTS:
        rest = rest[1:]
    return _loadable("/".join(rest)) if rest else None


@dataclass(frozen=True)
class ReportSettings:
    time_zone: str = field(default_factory=machine_zone_name)
    targets: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_TARGETS))  # minutes per STEPS
    labour_rate_minor: int = 0  # packing labour per hour, site currency's minor units
    currency: str = "USD"
    #: True when the site never stored a zone: ``time_zone`` is this PC's (not stored, not compared).
    zone_from_pc: bool = field(default=False, compare=False)

    def as_json(self) -> dict[str, Any]:
        return {"time_zone": self.time_zone, "targets": dict(self.targets),
                "labour_rate_minor": self.labour_rate_minor, "currency": self.currency}


def zone_notice(settings: ReportSettings) -> str:
    """What every report says while the site's zone is not set (``""`` once it is)."""
    if not settings.zone_from_pc:
        return ""
    return (f"Time zone not set: days are {settings.time_zone} days (this PC's). "
            "Set it in Site settings → Reports.")


def report_settings_of(session: Session) -> ReportSettings:
    stored = session.scalar(select(SiteSetting.value).where(SiteSetting.key == REPORTS_SETTING))
    defaults = ReportSettings()
    if not isinstance(stored, dict):
        return replace(defaults, zone_from_pc=True)
    targets = dict(DEFAULT_TARGETS)
    if isinstance(stored.get("targets"), dict):
        targets.update({k: int(v) for k, v in stored["targets"].items() if k in STEPS and isinstance(v, int)})
    zone = stored.get("time_zone")
    rate = stored.get("labour_rate_minor")
    currency = stored.get("currency")
    stored_zone = isinstance(zone, str) and bool(zone)
    return replace(defaults, time_zone=zone if isinstance(zone, str) and stored_zone else defaults.time_zone,
                   zone_from_pc=not stored_zone,
                   targets=targets, labour_rate_minor=rate if isinstance(rate, int) and rate >= 0 else 0,
                   currency=currency if isinstance(currency, str) and len(currency) == 3 else defaults.currency)


def set_report_settings(database: Database, actor: Actor, settings: ReportSettings) -> ReportSettings:
    try:
        zone_named(settings.time_zone)
    except PeriodRefused as refused:
        raise SiteSettingRefused(str(refused)) from refused
    unknown = sorted(set(settings.targets) - set(STEPS))
    if unknown:
        raise SiteSettingRefused(f"Targets are for the steps {', '.join(STEPS)}; not {', '.join(unknown)}.")
    for step, minutes in settings.targets.items():
        if not isinstance(minutes, int) or not 1 <= minutes <= 60 * 24 * 30:
            raise SiteSettingRefused(f"The target for {STEP_NAMES[step]} is whole minutes from 1 to 43200, "
                                     f"not {minutes!r}.")
    currency = settings.currency.strip().upper()
    if not is_currency(currency):
        raise SiteSettingRefused(f"{settings.currency.strip() or 'An empty code'} is not a currency: write its "
                                 "three-letter ISO 4217 code, such as USD, EUR or GBP.")
    if settings.labour_rate_minor < 0:
        raise SiteSettingRefused("The hourly labour rate cannot be negative.")
    ceiling = max_labour_rate_minor(currency)
    if settings.labour_rate_minor > ceiling:
        raise SiteSettingRefused(f"A labour rate of {format_money(settings.labour_rate_minor, currency)} an hour is "
                                 f"more than the {format_money(ceiling, currency)} taken: write the rate per hour "
                                 "in whole units of the currency, such as 18.50.")
    complete = replace(settings, targets={**DEFAULT_TARGETS, **settings.targets}, currency=currency)
    store_setting(database, actor, REPORTS_SETTING, complete.as_json())
    return complete
