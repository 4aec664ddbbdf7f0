"""A gateway store written by an earlier version (4 KiB pages, the feed not clustered) opens
with every event kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from slipstream.gateway.store import PAGE_BYTES, GatewayStore

# The feed table and open-order index as earlier versions created them.
EARLIER_SCHEMA = """
CREATE TABLE orders (
    order_id TEXT PRIMARY KEY, pod_id TEXT NOT NULL, client_order_id TEXT NOT NULL, account TEXT NOT NULL,
    is_open INTEGER NOT NULL, created INTEGER NOT NULL, blob BLOB NOT NULL, UNIQUE (pod_id, client_order_id)
);
CREATE INDEX orders_open ON orders (is_open, account);
CREATE TABLE events (
    pod_id TEXT NOT NULL, sequence INTEGER NOT NULL, kind TEXT NOT NULL, blob BLOB NOT NULL,
    PRIMARY KEY (pod_id, sequence)
);
"""


def test_earlier_store_keeps_its_feed_and_continues_the_sequence(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "gateway.sqlite") as db:
        db.executescript(EARLIER_SCHEMA)
        db.executemany(
            "INSERT INTO events VALUES (?, ?, ?, ?)",
            [("alpha", 1, "order", b"a1"), ("alpha", 2, "fill", b"a2"), ("beta", 1, "order", b"b1")],
        )
    db.close()

    store = GatewayStore(tmp_path)
    try:
        assert store.events_after("alpha", 0, 10) == [(1, "order", b"a1"), (2, "fill", b"a2")]
        assert store.events_after("beta", 0, 10) == [(1, "order", b"b1")]
        with store.unit():
            assert store.append_event("alpha", "order", b"a3") == 3
        store.commit()
        assert store.events_after("alpha", 2, 10) == [(3, "order", b"a3")]
    finally:
        store.close()

    with sqlite3.connect(tmp_path / "gateway.sqlite") as db:
        (events_sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'events'").fetchone()
        indexes = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        (page_bytes,) = db.execute("PRAGMA page_size").fetchone()
    db.close()
    assert "WITHOUT ROWID" in events_sql
    assert "orders_open" not in indexes and "open_orders" in indexes
    assert "events_with_rowid" not in tables
    assert page_bytes == PAGE_BYTES
