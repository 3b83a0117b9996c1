"""``fulfilstation import products`` and ``export products`` on both engines: the problems,
then exactly one last line; exit 0, or 1 with rejections or a file that cannot be read;
export → import changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from fulfilstation.cli import run
from fulfilstation.db.database import Database
from tests.db.test_cli import plain
from tests.db.test_product_import import SHOPIFY

SIGN_IN = ("--user", "manager", "--pin", "2222")


def fulfil(database: Database, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = run([*args, "--db", plain(database.engine.url)])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_import_prints_each_problem_then_one_summary_line(seeded_database: Database, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "products_export_1.csv"
    file.write_bytes(SHOPIFY)
    code, lines, _err = fulfil(seeded_database, capsys, "import", "products", str(file), "--dry-run", *SIGN_IN)
    assert code == 1
    assert lines[-2:] == ["dry run: nothing was changed", "imported 7, updated 0, rejected 3"]
    code, lines, _err = fulfil(seeded_database, capsys, "import", "products", str(file), "--format", "shopify",
                               *SIGN_IN)
    assert code == 1
    assert lines[-1] == "imported 7, updated 0, rejected 3"
    assert [line for line in lines if line.startswith("line 14")] == [
        "line 14: the variant of gift-set has no SKU (Variant SKU is blank); the SKU is how products are matched: "
        "give the variant one in Shopify and export again"]
    assert any(line.startswith("line 13 (SCARF-WL): warning: imported without its barcode") for line in lines)


def test_a_clean_file_exits_0_and_export_imports_back_unchanged(seeded_database: Database, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "catalogue.csv"
    code, lines, _err = fulfil(seeded_database, capsys, "export", "products", "--out", str(out))
    assert code == 0 and lines == [f"wrote 45 products to {out}"]  # the demo's 44 and its kit
    code, lines, _err = fulfil(seeded_database, capsys, "import", "products", str(out), *SIGN_IN)
    assert code == 0
    assert lines[-1] == "imported 0, updated 0, rejected 0"


def test_a_file_that_cannot_be_read_is_one_error_line(seeded_database: Database, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = fulfil(seeded_database, capsys, "import", "products", str(tmp_path / "missing.csv"), *SIGN_IN)
    assert (code, lines) == (1, [])
    assert err.startswith("error: ") and "no such file" in err and len(err.splitlines()) == 1
    (tmp_path / "photo.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    code, lines, err = fulfil(seeded_database, capsys, "import", "products", str(tmp_path / "photo.csv"), *SIGN_IN)
    assert (code, lines) == (1, [])
    assert err.startswith("error: The file cannot be imported: this is not a text file")


def test_a_packer_is_refused(seeded_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "p.csv"
    file.write_bytes(b"sku,name\nX-1,X\n")
    code, lines, err = fulfil(seeded_database, capsys, "import", "products", str(file), "--user", "packer",
                              "--pin", "1111")
    assert (code, lines) == (1, [])
    assert "only a manager or an owner can import products" in err
