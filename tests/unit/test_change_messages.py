"""What the change feed records for a statement, and what its messages look like."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.schema import CreateTable

from fulfilstation.db.change_format import ALL, MAX_PAYLOAD_BYTES, UNKNOWN_SOURCE, Change, decode, encode, new_source
from fulfilstation.db.change_recorder import changed_table
from fulfilstation.db.models import AuditEntry, Order, PackSession


def test_dml_constructs_name_their_table() -> None:
    assert changed_table(insert(AuditEntry)) == "audit_log"
    assert changed_table(update(PackSession).values(scan_count=1)) == "pack_sessions"
    assert changed_table(delete(Order.__table__)) == "orders"
    assert changed_table(insert(AuditEntry).from_select(["action"], select(Order.number))) == "audit_log"


def test_reads_and_schema_changes_are_not_changes() -> None:
    assert changed_table(select(Order.id)) is None
    assert changed_table(CreateTable(Order.__table__)) is None


@pytest.mark.parametrize("sql", [
    "SELECT pg_advisory_xact_lock(:key)", "  select 1", "-- why\nSELECT 1", "/* hint */ (SELECT 1)",
    "PRAGMA foreign_keys = OFF", "SET LOCAL lock_timeout = '1s'", "SAVEPOINT a", "LISTEN x",
    "CREATE TRIGGER t BEFORE UPDATE ON manifests BEGIN SELECT 1; END", "ALTER TABLE x ADD COLUMN y INTEGER",
])
def test_text_that_cannot_change_rows_is_not_a_change(sql: str) -> None:
    assert changed_table(text(sql)) is None
    assert changed_table(sql) is None  # exec_driver_sql passes the string itself


@pytest.mark.parametrize("sql", [
    "INSERT INTO audit_log (action) VALUES ('x')", "update orders set hold = true", "DELETE FROM orders",
    "WITH moved AS (UPDATE orders SET hold = true RETURNING id) SELECT count(*) FROM moved",
    "TRUNCATE orders", "EXPLAIN ANALYZE DELETE FROM orders", "CALL something()", "", "   ",
])
def test_text_whose_tables_cannot_be_known_means_everything(sql: str) -> None:
    assert changed_table(text(sql)) == ALL
    assert changed_table(text(sql).columns()) == ALL


def test_payload_is_small_json_with_sorted_tables() -> None:
    payload = encode("pc1:42:abc", {"orders", "audit_log"})
    assert json.loads(payload) == {"source": "pc1:42:abc", "tables": ["audit_log", "orders"]}
    assert decode(payload) == Change("pc1:42:abc", frozenset({"orders", "audit_log"}))


def test_a_payload_too_large_for_notify_says_everything() -> None:
    many = {f"table_{n:04d}_{'x' * 50}" for n in range(200)}
    payload = encode("me", many)
    assert len(payload.encode()) <= MAX_PAYLOAD_BYTES
    assert decode(payload) == Change("me", frozenset({ALL}))


@pytest.mark.parametrize("payload", ["", "not json", "[]", '{"source": 1, "tables": []}', '{"tables": ["x"]}',
                                     '{"source": "a", "tables": "orders"}'])
def test_an_unreadable_payload_still_means_something_changed(payload: str) -> None:
    assert decode(payload) == Change(UNKNOWN_SOURCE, frozenset({ALL}))


def test_sources_are_unique_and_fit_the_counters_column() -> None:
    tokens = {new_source() for _ in range(100)}
    assert len(tokens) == 100 and all(len(t) <= 64 for t in tokens)
