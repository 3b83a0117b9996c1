"""Bins from CSV on SQLite and PostgreSQL, as files really come: a BOM, ``;``, duplicate
codes, bad kinds and sequences; valid rows in, broken rows reported by line, nothing
half-written, and a second import of the same file changes nothing."""

from __future__ import annotations

import codecs

import pytest
from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, StockLevel
from fulfilstation.services.bins import BinsRefused
from fulfilstation.services.refused import NotAllowed
from tests.support.app import app_for, sign_in

GOOD = (b"code,zone,aisle,bay,level,pick_sequence,kind,active\n"
        b"W-01-1,W,W,01,1,5010,pickable,yes\n"
        b"W-01-2,W,W,01,2,5020,storage,yes\n"
        b"W-STAGE,DOCK,,,,0,staging,no\n")


def bins_in(database: Database, zone_like: str = "W%") -> dict[str, tuple[object, ...]]:
    with database.unit_of_work() as session:
        return {row.code: (row.zone, row.aisle, row.bay, row.level, row.pick_sequence, row.kind, row.active)
                for row in session.scalars(select(Bin).where(Bin.code.like(zone_like)))}


def test_a_good_file_goes_in_and_again_changes_nothing(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    seen: list[tuple[int, int]] = []
    report = app.bins.import_bins(owner, GOOD, progress=lambda done, total: seen.append((done, total)))
    assert report.summary() == "imported 3, updated 0, rejected 0" and not report.problems
    assert seen[-1] == (3, 3)
    assert bins_in(seeded_database) == {"W-01-1": ("W", "W", "01", "1", 5010, "pickable", True),
                                        "W-01-2": ("W", "W", "01", "2", 5020, "storage", True),
                                        "W-STAGE": ("DOCK", None, None, None, 0, "staging", False)}
    again = app.bins.import_bins(owner, GOOD)
    assert again.summary() == "imported 0, updated 0, rejected 0" and again.unchanged == 3


def test_bom_semicolons_and_changed_fields_update_by_code(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    app.bins.import_bins(owner, GOOD)
    changed = codecs.BOM_UTF8 + (b"Code;Kind;Pick_Sequence\r\n"
                                 b"W-01-1;storage;5010\r\n"  # kind changed
                                 b"W-01-2;storage;5020\r\n"  # same
                                 b"W-NEW;returns;7\r\n")
    report = app.bins.import_bins(owner, changed)
    assert report.summary() == "imported 1, updated 1, rejected 0"
    found = bins_in(seeded_database)
    assert found["W-01-1"] == ("W", "W", "01", "1", 5010, "storage", True)  # columns not in the file kept
    assert found["W-NEW"] == ("", None, None, None, 7, "returns", True)


def test_broken_rows_are_reported_by_line_and_the_rest_goes_in(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    data = (b"code,zone,pick_sequence,kind,colour\n"
            b"V-1,V,10,pickable,red\n"
            b"V-2,V,ten,pickable,\n"
            b"V-3,V,30,shelf,\n"
            b"V-1,V,40,storage,\n"
            b"\"V-4\nX\",V,50,pickable,\n"
            b",V,60,pickable,\n"
            b"V-5,V,70,Receiving,\n")
    report = app.bins.import_bins(owner, data)
    assert report.summary() == "imported 2, updated 0, rejected 5"
    described = [problem.describe() for problem in report.problems]
    assert described[0] == "line 3 (V-2): pick_sequence 'ten' is not a whole number (0, 10, 120 …)"
    assert described[1].startswith("line 4 (V-3): kind 'shelf' is not a bin kind: use one of pickable, storage")
    assert described[2] == "line 5 (V-1): bin V-1 is already on line 2 of this file"
    assert described[3].startswith("line 6 (V-4\nX): bin code 'V-4\\nX' may hold only")
    assert described[4] == "line 8: the bin code is blank"
    assert any("colour" in note for note in report.notes)
    assert set(bins_in(seeded_database, "V-%")) == {"V-1", "V-5"}
    assert bins_in(seeded_database, "V-5")["V-5"][5] == "receiving"


def test_a_dry_run_changes_nothing_and_reports_the_same(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    report = app.bins.import_bins(owner, GOOD, dry_run=True)
    assert report.summary() == "imported 3, updated 0, rejected 0" and report.dry_run
    assert bins_in(seeded_database) == {}


def test_a_bin_holding_stock_is_not_made_inactive_by_a_file(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    with seeded_database.unit_of_work() as session:
        code = session.scalar(select(Bin.code).join(StockLevel, StockLevel.bin_id == Bin.id)
                              .where(StockLevel.on_hand > 0).order_by(Bin.code).limit(1))
    data = f"code,active,level\n{code},no,9\nW-9,yes,1\n".encode()
    report = app.bins.import_bins(owner, data)
    assert report.summary() == "imported 1, updated 0, rejected 1"
    assert f"bin {code} holds" in report.problems[0].reason and report.problems[0].line == 2
    assert app.bins.show(str(code)).bin.active and app.bins.show(str(code)).bin.level != "9"


def test_a_file_that_is_not_a_bins_file_is_refused_whole(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    with seeded_database.unit_of_work() as session:
        before = session.scalar(select(func.count()).select_from(Bin))
    with pytest.raises(BinsRefused, match="no 'code' column"):
        app.bins.import_bins(owner, b"sku,name\nA,B\n")
    with pytest.raises(BinsRefused, match="cannot be read"):
        app.bins.import_bins(owner, b"code,zone\n\"A-1,Z\n")
    with pytest.raises(NotAllowed):
        app.bins.import_bins(sign_in(app, "manager"), GOOD)
    with seeded_database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Bin)) == before


def test_a_code_that_differs_only_in_case_is_rejected_naming_the_bin(seeded_database: Database) -> None:
    """``w-01-1`` beside ``W-01-1`` would be two bins that every scan (matched ignoring case)
    confuses: the row is rejected, naming the bin or the earlier line; nothing is added."""
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    app.bins.import_bins(owner, GOOD)
    report = app.bins.import_bins(owner, b"code,zone\nw-01-1,W\nW-TWIN,W\nw-twin,W\n")
    assert report.summary() == "imported 1, updated 0, rejected 2"
    rejected = {problem.line: problem.reason for problem in report.rejections}
    assert "differs from bin W-01-1 only in upper and lower case" in rejected[2] and "write it as W-01-1" in rejected[2]
    assert "differs from bin W-TWIN on line 3 of this file" in rejected[4]
    with seeded_database.unit_of_work() as session:
        codes = set(session.scalars(select(Bin.code).where(func.lower(Bin.code).like("w-%"))))
    assert codes == {"W-01-1", "W-01-2", "W-STAGE", "W-TWIN"}


def test_a_pick_sequence_in_superscript_digits_is_a_rejected_row(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    report = app.bins.import_bins(owner, "code,pick_sequence\nW-SUP,²\nW-OK,3\n".encode())
    assert report.summary() == "imported 1, updated 0, rejected 1"
    assert "pick_sequence '²' is not a whole number" in report.problems[0].reason


def test_pick_sequences_as_spreadsheets_write_them_are_read(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    report = app.bins.import_bins(owner, b'code,pick_sequence\nW-XL1,"1,000"\nW-XL2,1010.0\nW-XL3,10.5\n')
    assert report.summary() == "imported 2, updated 0, rejected 1"
    assert {code: fields[4] for code, fields in bins_in(seeded_database, "W-XL%").items()} == {
        "W-XL1": 1000, "W-XL2": 1010}
