"""The fields a karrio carrier account needs, read from karrio's own settings class.

Every karrio extension declares its connection settings as an attrs class
(``PluginMetadata.Settings``: UPS has client_id, client_secret, account_number …; FedEx
api_key, secret_key …). ``settings_fields`` lists them for the account form and the CLI,
the way karrio's own ``references.connection_fields`` does (same exclusions, same type
names), plus what that leaves implicit: a label, whether the value is a secret (karrio's
``sensitive`` field metadata, else the name: key, secret, password, token, pin, client id),
and the choices of an enum field. ``karrio_settings`` turns a stored account (non-secret
settings + secrets from the keyring) back into the keyword arguments of that class, with
values coerced to the field's type; a missing required field is a ``CarrierProblem``.
"""

from __future__ import annotations

import enum
import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fulfilstation.carriers.gateway import CarrierProblem
from fulfilstation.carriers.karrio_gateway.extensions import plugin

#: karrio's own settings that are not account fields (karrio.references.COMMON_FIELDS, less
#: test_mode, which a warehouse does set), and the free-form dicts.
_NOT_FIELDS = frozenset({"id", "carrier_id", "carrier_name", "services", "metadata", "config"})
_SECRET_NAME = re.compile(r"key|secret|password|passwd|token|pin\b|^pin|client_id|license", re.IGNORECASE)
_WORDS = {"id": "ID", "api": "API", "url": "URL", "mid": "MID", "crid": "CRID", "sso": "SSO", "eori": "EORI",
          "ioss": "IOSS", "vat": "VAT", "dhl": "DHL", "ups": "UPS", "usps": "USPS", "fedex": "FedEx"}
#: Settings of ours, not karrio's: ``server_url`` points the account at another API host
#: (a sandbox proxy, the tests' local stubs); ``config`` is karrio's connection config dict.
OWN_SETTINGS = ("server_url",)


@dataclass(frozen=True)
class SettingField:
    """One field of a carrier account. ``type``: string, boolean, integer, float, object."""

    name: str
    label: str
    type: str
    required: bool
    secret: bool
    default: Any = None
    choices: tuple[str, ...] = ()


def settings_fields(carrier: str) -> tuple[SettingField, ...]:
    """The account fields of ``carrier`` in karrio's order; CarrierProblem when its
    extension is missing (naming the install command)."""
    meta = plugin(carrier)
    attr = _attrs()
    fields = []
    for field in attr.fields(meta.Settings):
        if field.name in _NOT_FIELDS:
            continue
        if field.name == "account_country_code" and not getattr(meta, "has_intl_accounts", False) \
                and field.default is not attr.NOTHING:
            continue
        fields.append(_describe(field))
    return tuple(fields)


def karrio_settings(carrier: str, settings: Mapping[str, Any], secrets: Mapping[str, str]) -> dict[str, Any]:
    """The keyword arguments of ``carrier``'s karrio Settings class from an account's
    ``settings`` and ``secrets`` (secrets win); unknown names are left out."""
    meta = plugin(carrier)
    attr = _attrs()
    values: dict[str, Any] = {}
    missing = []
    for field in attr.fields(meta.Settings):
        raw = secrets.get(field.name, settings.get(field.name))
        if field.name == "config" and raw is None:
            continue
        if raw is None or raw == "":
            if field.default is attr.NOTHING:
                missing.append(_describe(field).label)
            continue
        values[field.name] = _coerce(field, raw)
    if missing:
        raise CarrierProblem(f"The {getattr(meta, 'label', carrier)} account is missing: {', '.join(missing)}. "
                             "Edit the carrier account and fill them in.")
    return values


def secret_names(carrier: str) -> tuple[str, ...]:
    return tuple(f.name for f in settings_fields(carrier) if f.secret)


def _attrs() -> Any:
    """attrs (karrio's settings classes are attrs classes; it comes with karrio)."""
    return importlib.import_module("attr")


def _describe(field: Any) -> SettingField:
    attr = _attrs()
    kind = field.type
    choices: tuple[str, ...] = ()
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        choices = tuple(member.name for member in kind)
    default = None if field.default is attr.NOTHING else field.default
    if isinstance(default, enum.Enum):
        default = default.name
    return SettingField(
        name=field.name, label=_label(field.name), type=_type_name(kind), required=field.default is attr.NOTHING,
        secret=bool((field.metadata or {}).get("sensitive")) or bool(_SECRET_NAME.search(field.name)),
        default=default if isinstance(default, str | int | float | bool) else None, choices=choices)


def _label(name: str) -> str:
    words = [w for w in re.split(r"_+", name) if w]
    shown = [_WORDS.get(w.lower(), w if w.isupper() else w.lower()) for w in words]
    if shown and shown[0].islower():
        shown[0] = shown[0].capitalize()
    return " ".join(shown)


def _type_name(kind: Any) -> str:
    if kind is bool or kind == "bool":
        return "boolean"
    if kind is int or kind == "int":
        return "integer"
    if kind is float or kind == "float":
        return "float"
    if kind is dict or kind == "dict" or (isinstance(kind, type) and hasattr(kind, "__attrs_attrs__")):
        return "object"
    return "string"


def _coerce(field: Any, raw: Any) -> Any:
    kind = _type_name(field.type)
    try:
        if kind == "boolean":
            return raw if isinstance(raw, bool) else str(raw).strip().lower() in ("1", "true", "yes", "on")
        if kind == "integer":
            return int(raw)
        if kind == "float":
            return float(raw)
    except (TypeError, ValueError):
        raise CarrierProblem(f"The account setting {_label(field.name)} must be a number, not {raw!r}.") from None
    if kind == "object":
        return dict(raw) if isinstance(raw, Mapping) else raw
    return str(raw) if not isinstance(raw, str) else raw
