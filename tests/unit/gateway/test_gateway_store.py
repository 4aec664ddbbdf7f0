"""A gateway store written by an earlier version (4 KiB pages, one feed row per event, clustered
or not) opens with every event kept, and its feed continues where it stopped."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from slipstream.gateway.store import PAGE_BYTES, GatewayStore

ORDERS = """
CREATE TABLE orders (
    order_id TEXT PRIMARY KEY, pod_id TEXT NOT NULL, client_order_id TEXT NOT NULL, account TEXT NOT NULL,
    is_open INTEGER NOT NULL, created INTEGER NOT NULL, blob BLOB NOT NULL, UNIQUE (pod_id, client_order_id)
);
CREATE INDEX orders_open ON orders (is_open, account);
"""
# The feed tables as earlier versions created them.
EVENTS_WITH_ROWID = """
CREATE TABLE events (
    pod_id TEXT NOT NULL, sequence INTEGER NOT NULL, kind TEXT NOT NULL, blob BLOB NOT NULL,
    PRIMARY KEY (pod_id, sequence)
);
"""
EVENTS_CLUSTERED = """
CREATE TABLE events (
    pod_id TEXT NOT NULL, sequence INTEGER NOT NULL, kind TEXT NOT NULL, blob BLOB NOT NULL,
    PRIMARY KEY (pod_id, sequence)
) WITHOUT ROWID;
"""


@pytest.mark.parametrize("events_table", [EVENTS_WITH_ROWID, EVENTS_CLUSTERED], ids=["rowid", "clustered"])
def test_earlier_store_keeps_its_feed_and_continues_the_sequence(tmp_path: Path, events_table: str) -> None:
    with sqlite3.connect(tmp_path / "gateway.sqlite") as db:
        db.executescript(ORDERS + events_table)
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
            assert store.append_events("alpha", [("order", b"a3")]) == 3
        store.commit()
        assert store.events_after("alpha", 2, 10) == [(3, "order", b"a3")]
    finally:
        store.close()

    with sqlite3.connect(tmp_path / "gateway.sqlite") as db:
        indexes = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        (page_bytes,) = db.execute("PRAGMA page_size").fetchone()
    db.close()
    assert "events" not in tables and "feed" in tables
    assert "orders_open" not in indexes and "open_orders" in indexes
    assert page_bytes == PAGE_BYTES


def test_a_page_of_the_feed_may_end_inside_a_state_change(tmp_path: Path) -> None:
    """Events are stored a state change to a row; reading pages by count still misses nothing."""
    store = GatewayStore(tmp_path)
    try:
        with store.unit():
            assert store.append_events("alpha", [("order", b"o1"), ("fill", b"f1"), ("order", b"o2")]) == 3
            assert store.append_events("beta", [("order", b"b1")]) == 1
            assert store.append_events("alpha", [("fill", b"f2"), ("order", b"o3")]) == 5
        store.commit()
        pages, after = [], 0
        while page := store.events_after("alpha", after, 2):
            pages.append(page)
            after = page[-1][0]
        assert pages == [
            [(1, "order", b"o1"), (2, "fill", b"f1")],
            [(3, "order", b"o2"), (4, "fill", b"f2")],
            [(5, "order", b"o3")],
        ]
        with pytest.raises(RuntimeError), store.unit():
            store.append_events("alpha", [("order", b"lost")])
            raise RuntimeError("the unit fails")
        with store.unit():
            assert store.append_events("alpha", [("order", b"o4")]) == 6
        store.commit()
        assert store.events_after("alpha", 5, 10) == [(6, "order", b"o4")]
    finally:
        store.close()


def test_the_feed_shows_no_event_before_its_commit(tmp_path: Path) -> None:
    store = GatewayStore(tmp_path)
    try:
        with store.unit():
            store.append_events("alpha", [("order", b"o1")])
        assert store.events_after("alpha", 0, 10) == []
        store.commit()
        assert store.events_after("alpha", 0, 10) == [(1, "order", b"o1")]
    finally:
        store.close()
