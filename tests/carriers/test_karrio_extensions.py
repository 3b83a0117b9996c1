"""Which carriers are installed, the words for a missing one, the account fields read from
karrio's own settings classes, and the label type asked of each carrier for a printer's dpi."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fulfilstation.carriers.gateway import CarrierProblem, LabelFormat
from fulfilstation.carriers.karrio_gateway import (
    EXTRAS,
    SettingField,
    install_command,
    installed_carriers,
    karrio_gateway_for,
    settings_fields,
)
from fulfilstation.carriers.karrio_gateway.labels import label_type_for
from fulfilstation.carriers.karrio_gateway.settings_schema import karrio_settings
from tests.carriers.conftest import require_extension

ROOT = Path(__file__).resolve().parents[2]


def test_the_test_carriers_are_installed() -> None:
    for carrier in ("ups", "usps", "fedex"):
        require_extension(carrier)
    assert {"ups", "usps", "fedex"} <= set(installed_carriers())


def test_a_missing_extension_names_the_command_that_adds_it() -> None:
    missing = next((c for c in EXTRAS if c not in installed_carriers()), None)
    if missing is None:
        pytest.skip("every carrier extra is installed here")

    with pytest.raises(CarrierProblem) as problem:
        karrio_gateway_for(missing, {}, {})

    assert f'pip install "fulfilstation[{missing}]"' in problem.value.message


def test_a_karrio_carrier_without_an_extra_is_named_by_its_package() -> None:
    assert install_command("tnt") == 'pip install "fulfilstation[karrio]" "karrio.tnt"'
    assert install_command("fedex") == 'pip install "fulfilstation[fedex]"'
    with pytest.raises(CarrierProblem, match=r'"karrio\.no_such_post"'):
        karrio_gateway_for("no_such_post", {}, {})


def test_without_karrio_at_all_the_problem_says_how_to_install_it() -> None:
    script = ("import sys; sys.modules['karrio'] = sys.modules['attr'] = None\n"
              "from fulfilstation.carriers.karrio_gateway import installed_carriers, karrio_gateway_for\n"
              "from fulfilstation.carriers.gateway import CarrierProblem\n"
              "assert installed_carriers() == ()\n"
              "try:\n    karrio_gateway_for('ups', {}, {})\nexcept CarrierProblem as e:\n    print(e.message)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)

    assert 'pip install "fulfilstation[karrio]"' in result.stdout
    assert 'pip install "fulfilstation[ups]"' in result.stdout


def test_ups_account_fields_come_from_karrios_settings_class() -> None:
    require_extension("ups")

    assert settings_fields("ups") == (
        SettingField("client_id", "Client ID", "string", required=True, secret=True),
        SettingField("client_secret", "Client secret", "string", required=True, secret=True),
        SettingField("account_number", "Account number", "string", required=False, secret=False),
        SettingField("account_country_code", "Account country code", "string", required=False, secret=False),
        SettingField("test_mode", "Test mode", "boolean", required=False, secret=False, default=False),
    )


def test_usps_fields_include_its_choices_and_ids() -> None:
    require_extension("usps")
    fields = {f.name: f for f in settings_fields("usps")}

    assert list(fields) == ["client_id", "client_secret", "account_number", "account_type", "manifest_MID", "CRID",
                            "MID", "test_mode"]  # no account country: USPS accounts are US ones
    assert fields["account_type"].choices == ("EPS", "PERMIT", "METER") and fields["account_type"].default == "EPS"
    assert (fields["CRID"].label, fields["manifest_MID"].label) == ("CRID", "Manifest MID")
    assert [f.name for f in fields.values() if f.secret] == ["client_id", "client_secret"]


def test_fedex_fields_mark_every_key_secret() -> None:
    require_extension("fedex")
    fields = {f.name: f for f in settings_fields("fedex")}

    assert [n for n, f in fields.items() if f.secret] == ["api_key", "secret_key", "track_api_key",
                                                         "track_secret_key"]
    assert fields["api_key"].label == "API key" and not fields["account_number"].secret


def test_stored_values_become_karrios_settings_with_types_and_secrets() -> None:
    require_extension("ups")

    values = karrio_settings("ups", {"account_number": "A1", "test_mode": "true", "nickname": "ignored"},
                             {"client_id": "id", "client_secret": "s"})

    assert values == {"client_id": "id", "client_secret": "s", "account_number": "A1", "test_mode": True}
    with pytest.raises(CarrierProblem, match="missing: Client ID, Client secret"):
        karrio_settings("ups", {"account_number": "A1"}, {})


@pytest.mark.parametrize(("carrier", "fmt", "dpi", "expected"), [
    ("ups", LabelFormat.ZPL, 203, "ZPL"),
    ("ups", LabelFormat.ZPL, 300, "PDF"),  # UPS sends ZPL at 203 dpi only
    ("ups", LabelFormat.PDF, 203, "PDF"),
    ("usps", LabelFormat.ZPL, 203, "ZPL"),
    ("usps", LabelFormat.ZPL, 300, "ZPL300DPI"),
    ("usps", LabelFormat.PNG, 203, "PNG"),
    ("fedex", LabelFormat.ZPL, 203, "ZPL"),
])
def test_label_type_for_the_printer(carrier: str, fmt: LabelFormat, dpi: int, expected: str) -> None:
    require_extension(carrier)

    assert label_type_for(carrier, fmt, dpi) == expected
