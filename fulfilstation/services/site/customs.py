"""The site's customs settings (site setting ``customs``, an owner's): the contents type
declared (merchandise by default), the incoterm (DDU by default: the recipient pays duties;
DAP, DDP …), who signs the declaration, and the value up to which a CN22 is enough (a CN23
above it), in a currency of the site's choosing.

Also the ship-from country customs compares with (``ship_from_country_of``): the country of
the site's ship-from address, None while it is not set (then nothing is held for customs).

Invariants: the stored value is always the whole ``CustomsTerms`` (JSON); a hand-edited or
missing row reads as the defaults, field by field. Each change is one transaction with its
audit entry ``site.customs_changed`` (``settings.store_setting``). A refusal changes nothing.

Threading: blocking (database); call from worker threads or the CLI.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.carriers.customs import CONTENTS_TYPES, INCOTERMS, CustomsTerms
from fulfilstation.db.database import Database
from fulfilstation.db.models import SiteSetting
from fulfilstation.domain.money import is_currency
from fulfilstation.services.actor import Actor
from fulfilstation.services.site.settings import SiteSettingRefused, store_setting

CUSTOMS_SETTING = "customs"
_DEFAULT = CustomsTerms()


def terms_from_json(value: Any) -> CustomsTerms:
    """The stored terms; anything missing or unusable is the default."""
    if not isinstance(value, dict):
        return _DEFAULT
    contents = value.get("contents_type")
    incoterm = value.get("incoterm")
    signer = value.get("signer")
    limit = value.get("cn22_limit_minor")
    currency = value.get("cn22_currency")
    return CustomsTerms(
        contents_type=contents if contents in CONTENTS_TYPES else _DEFAULT.contents_type,
        incoterm=incoterm if incoterm in INCOTERMS else _DEFAULT.incoterm,
        signer=signer.strip() or None if isinstance(signer, str) else None,
        cn22_limit_minor=limit if isinstance(limit, int) and limit >= 0 else _DEFAULT.cn22_limit_minor,
        cn22_currency=currency if isinstance(currency, str) and is_currency(currency) else _DEFAULT.cn22_currency)


def customs_terms_of(session: Session) -> CustomsTerms:
    """The site's customs terms (the defaults when never set)."""
    return terms_from_json(session.scalar(select(SiteSetting.value).where(SiteSetting.key == CUSTOMS_SETTING)))


def ship_from_country_of(session: Session) -> str | None:
    """The ship-from address's country (ISO alpha-2, upper case), None while not set."""
    value = session.scalar(select(SiteSetting.value).where(SiteSetting.key == "ship_from"))
    country = value.get("country") if isinstance(value, dict) else None
    return country.strip().upper() or None if isinstance(country, str) else None


def checked_terms(terms: CustomsTerms) -> CustomsTerms:
    """``terms`` tidied (codes upper/lower case, signer stripped), or SiteSettingRefused saying what to fix."""
    contents = terms.contents_type.strip().lower()
    incoterm = terms.incoterm.strip().upper()
    currency = terms.cn22_currency.strip().upper()
    if contents not in CONTENTS_TYPES:
        raise SiteSettingRefused(f"The customs contents type is one of {', '.join(CONTENTS_TYPES)}, "
                                 f"not {terms.contents_type!r}.")
    if incoterm not in INCOTERMS:
        raise SiteSettingRefused(f"The incoterm is one of {', '.join(INCOTERMS)}, not {terms.incoterm!r}.")
    if not 0 <= terms.cn22_limit_minor <= 100_000_000:
        raise SiteSettingRefused(f"The CN22 limit is between 0 and 1000000.00, not {terms.cn22_limit_minor} "
                                 "(minor units).")
    if not is_currency(currency):
        raise SiteSettingRefused(f"The CN22 limit's currency is an ISO 4217 code such as USD or EUR, not "
                                 f"{terms.cn22_currency!r}.")
    signer = (terms.signer or "").strip() or None
    if signer is not None and len(signer) > 100:
        raise SiteSettingRefused("The customs signer's name is at most 100 characters.")
    return CustomsTerms(contents, incoterm, signer, terms.cn22_limit_minor, currency)


def set_customs(database: Database, actor: Actor, terms: CustomsTerms) -> CustomsTerms:
    """Store ``terms`` whole (audited as ``site.customs_changed``)."""
    tidy = checked_terms(terms)
    store_setting(database, actor, CUSTOMS_SETTING, asdict(tidy))
    return tidy
