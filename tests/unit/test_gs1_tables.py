"""biip is loaded without its company-prefix table, and reads every barcode as before."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from fulfilstation import gs1_tables

ROOT = Path(__file__).resolve().parents[2]

CODES = [
    "7044610873466",  # EAN-13
    "036000291452",  # UPC-A
    "96385074",  # EAN-8
    "00012345600012",  # GTIN-14
    "]C1010703206980498815210526100329",  # GS1-128 with GTIN, expiry and batch
    "0107032069804988152105261003291",
    "]d201095011015300031714070410AB-123",  # GS1 DataMatrix
    "(01)05012345678900(21)SERIAL7",
    "00340123450000000009",  # SSCC
    "]C100340123450000000000",  # SSCC, bad check digit
    "123",
    "ABC-123",
]

READ = """
import json, sys
{setup}
from biip import parse, ParseConfig
from biip.gs1_prefixes import GS1Prefix
import biip.gs1_prefixes as prefixes
out = {{"table": len(json.dumps(prefixes._GS1_COMPANY_PREFIX_TRIE)), "codes": []}}
for code in json.loads(sys.argv[1]):
    try:
        result = parse(code, config=ParseConfig(rcn_region=None))
    except Exception as problem:
        out["codes"].append(["error", type(problem).__name__, str(problem)])
        continue
    gtin = result.gtin
    message = result.gs1_message
    out["codes"].append([
        gtin and [gtin.value, str(gtin.format), gtin.prefix and gtin.prefix.usage, gtin.payload,
                  gtin.check_digit, gtin.as_gtin_14()],
        message and [[s.ai.ai, s.value, str(s.date), s.gtin and s.gtin.value] for s in message.element_strings],
        result.sscc and result.sscc.value,
        sorted(result.errors) if hasattr(result, "errors") else None,
    ])
out["norway"] = GS1Prefix.extract("7044610873466").usage
print(json.dumps(out))
"""


def _read(setup: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", READ.format(setup=setup), json.dumps(CODES)],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    read: dict[str, Any] = json.loads(done.stdout)
    return read


def test_barcodes_read_the_same_without_the_company_prefix_table() -> None:
    shipped = _read("")
    ours = _read("import fulfilstation.domain.scan_codes")
    assert shipped["table"] > 1_000_000, "biip as shipped loads its company-prefix table"
    assert ours["table"] == len("{}"), "our processes load biip without it"
    assert ours["codes"] == shipped["codes"]
    assert ours["norway"] == shipped["norway"] == "GS1 Norway"
    assert any(code[0] for code in ours["codes"]) and any(code[1] for code in ours["codes"])


class _Sourceless(importlib.machinery.SourceFileLoader):
    """A loader without source, as in a frozen bundle."""

    def get_source(self, fullname: str) -> None:
        return None


def _fresh_module(loader_type: type[importlib.machinery.SourceFileLoader]) -> ModuleType:
    import biip

    spec = importlib.machinery.PathFinder.find_spec(gs1_tables.MODULE, list(biip.__path__))
    assert spec is not None and spec.origin
    shipped = loader_type(gs1_tables.MODULE, spec.origin)
    spec.loader = gs1_tables._Loader(shipped)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_source_the_module_loads_as_shipped_and_drops_the_table() -> None:
    module = _fresh_module(_Sourceless)
    assert getattr(module, gs1_tables.TABLE) == {}
    assert module.GS1Prefix.extract("7044610873466").usage == "GS1 Norway"
    assert module.GS1CompanyPrefix.extract("7044610873466") is None


def test_with_source_the_table_is_never_built() -> None:
    module = _fresh_module(importlib.machinery.SourceFileLoader)
    assert getattr(module, gs1_tables.TABLE) == {}
    assert module.GS1Prefix.extract("5012345678900").usage == "GS1 UK"


def test_a_renamed_table_means_the_module_is_compiled_as_shipped() -> None:
    class Other:
        def get_source(self, fullname: str) -> str:
            return "OTHER_TABLE = {'1': 2}\n"

    spec = importlib.machinery.ModuleSpec(gs1_tables.MODULE, None, origin="biip/gs1_prefixes/__init__.py")
    assert gs1_tables._code_without_table(Other(), spec) is None  # type: ignore[arg-type]
