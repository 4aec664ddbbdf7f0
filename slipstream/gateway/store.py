"""Durable records of the gateway in SQLite (WAL): orders, fills and each pod's execution feed.

An order is committed before it is sent to a venue, and a fill is committed before anyone is
told about it, so an acknowledged order or fill survives a crash of the process. Fills are
unique per (order, venue trade id): replaying a venue report never books a fill twice.
"""

from __future__ import annotations

import sqlite3
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from slipstream_api.v1 import gateway_pb2 as pb

from slipstream.gateway import convert
from slipstream.gateway.model import Fill, Order

# Each pod's feed. A group commit writes one row per pod holding its events of the group, each
# framed as _FRAME (sequence, kind, length) then the encoded message; a row is found by the pod's
# last sequence in it. Appending a row is a write at the end of the table plus one small index
# entry: a row per event, clustered by pod, cost several times as much (page splits all over
# the b-tree, 3-7 KB of WAL per order).
_FEED_TABLE = """
CREATE TABLE IF NOT EXISTS feed (
    id INTEGER PRIMARY KEY,
    pod_id TEXT NOT NULL,
    last_sequence INTEGER NOT NULL,
    blob BLOB NOT NULL
)
"""
_FEED_INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS feed_by_pod ON feed (pod_id, last_sequence)"
_FRAME = struct.Struct(">QcI")
_KINDS = {"order": b"o", "fill": b"f"}
_KIND_NAMES = {code: name for name, code in _KINDS.items()}

_TABLES = """
CREATE TABLE IF NOT EXISTS orders (
    order_id TEXT PRIMARY KEY,
    pod_id TEXT NOT NULL,
    client_order_id TEXT NOT NULL,
    account TEXT NOT NULL,
    is_open INTEGER NOT NULL,
    created INTEGER NOT NULL,
    blob BLOB NOT NULL,
    UNIQUE (pod_id, client_order_id)
);
-- Only open orders are indexed: most orders close at once and never need an entry.
CREATE INDEX IF NOT EXISTS open_orders ON orders (account, created) WHERE is_open = 1;
CREATE TABLE IF NOT EXISTS fills (
    fill_id TEXT PRIMARY KEY,
    pod_id TEXT NOT NULL,
    order_id TEXT NOT NULL,
    exchange_trade_id TEXT NOT NULL,
    blob BLOB NOT NULL,
    UNIQUE (order_id, exchange_trade_id)
);
CREATE INDEX IF NOT EXISTS fills_by_pod ON fills (pod_id);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
"""


WAL_RESTART_BYTES = 128 * 2**20
PAGE_BYTES = 1024


class GatewayStore:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._db = sqlite3.connect(data_dir / "gateway.sqlite", isolation_level=None, check_same_thread=False)
        self._use_small_pages()
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode survives a process crash (kill -9); only an OS crash may lose the last commit.
        self._db.execute("PRAGMA synchronous=NORMAL")
        # Checkpoints (copying the WAL into the database, with an fsync) run on a thread of their
        # own, never inside an order's commit, where they would add 10-20 ms to one answer in a hundred.
        self._db.execute("PRAGMA wal_autocheckpoint=0")
        # Under sustained load a passive checkpoint never catches the writer, so the WAL would
        # never start over; once it holds WAL_RESTART_BYTES a commit restarts it (the background
        # thread has already copied nearly all of it). The file keeps its size, so later commits
        # overwrite blocks the filesystem already has: growing it again made commits wait behind
        # the checkpoint's fsync (20-40 ms, once a second under load).
        self._db.execute(f"PRAGMA journal_size_limit={2 * WAL_RESTART_BYTES}")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._restart_due = False
        # Feed events of the open group (framed, by pod) and of the open unit (pod, first sequence, frames).
        self._pending_feed: dict[str, list[bytes]] = {}
        self._unit_feed: list[tuple[str, int, bytes]] = []
        self._checkpoint_stop = threading.Event()
        self._checkpointer = threading.Thread(
            target=self._checkpoint, args=(data_dir / "gateway.sqlite",), name="gateway-checkpoint", daemon=True
        )
        self._checkpointer.start()
        self._migrate()
        self._db.executescript(f"{_FEED_TABLE};\n{_FEED_INDEX};\n{_TABLES}")
        self._sequences = self._last_sequences()
        self._counters = dict(self._db.execute("SELECT name, value FROM counters").fetchall())

    def _use_small_pages(self) -> None:
        """Store in PAGE_BYTES pages, rebuilding (once) a store made with larger ones.

        A commit writes every page it touched to the WAL whole: with SQLite's default 4 KiB pages
        an order wrote about 50 KB, and the checkpoint's fsync of that much held commits back
        (p99 120 ms at 500 orders/s from 20 pods, against 8 ms with 1 KiB pages).
        """
        if int(self._db.execute("PRAGMA page_size").fetchone()[0]) == PAGE_BYTES:
            return
        populated = self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        if populated:
            self._db.execute("PRAGMA journal_mode=DELETE")
        self._db.execute(f"PRAGMA page_size={PAGE_BYTES}")
        if populated:
            self._db.execute("VACUUM")

    def _migrate(self) -> None:
        """Bring a store written by an earlier version (one `events` row per event) to the current
        schema, keeping every event and its sequence."""
        found = self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").fetchone()
        if found is None:
            return
        self._db.execute("BEGIN IMMEDIATE")
        self._db.execute("DROP INDEX IF EXISTS orders_open")
        self._db.execute(_FEED_TABLE)
        self._db.execute(_FEED_INDEX)
        self._db.executemany(
            "INSERT INTO feed (pod_id, last_sequence, blob) VALUES (?, ?, ?)",
            (
                (pod_id, sequence, _frame(sequence, kind, blob))
                for pod_id, sequence, kind, blob in self._db.execute("SELECT pod_id, sequence, kind, blob FROM events")
            ),
        )
        self._db.execute("DROP TABLE events")
        self._db.execute("COMMIT")

    def _last_sequences(self) -> dict[str, int]:
        return dict(self._db.execute("SELECT pod_id, max(last_sequence) FROM feed GROUP BY pod_id").fetchall())

    def _checkpoint(self, path: Path) -> None:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        while not self._checkpoint_stop.wait(1.0):
            _, log_frames, _ = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            self._restart_due = log_frames * PAGE_BYTES >= WAL_RESTART_BYTES
        connection.close()

    def close(self) -> None:
        self.commit()
        self._checkpoint_stop.set()
        self._checkpointer.join(5)
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._db.close()

    @contextmanager
    def unit(self) -> Iterator[None]:
        """One state change, all or nothing, inside the open group transaction (opened here if
        needed); it becomes durable at the next `commit`, which the caller must await before
        telling anyone about it."""
        if not self._db.in_transaction:
            self._db.execute("BEGIN IMMEDIATE")
        self._db.execute("SAVEPOINT unit")
        self._unit_feed = []
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK TO unit")
            self._db.execute("RELEASE unit")
            for pod_id, first, _ in reversed(self._unit_feed):
                self._sequences[pod_id] = first - 1
            raise
        self._db.execute("RELEASE unit")
        for pod_id, _, frames in self._unit_feed:
            self._pending_feed.setdefault(pod_id, []).append(frames)

    def commit(self) -> None:
        """Make every unit since the last commit durable in one write (group commit); if that
        fails, none of them is stored."""
        if not self._db.in_transaction:
            return
        pending, self._pending_feed = self._pending_feed, {}
        try:
            # The group's feed events go to one row per pod, written only here: a reader of the
            # feed never sees an event before it is durable.
            self._db.executemany(
                "INSERT INTO feed (pod_id, last_sequence, blob) VALUES (?, ?, ?)",
                [(pod_id, self._sequences[pod_id], b"".join(chunks)) for pod_id, chunks in pending.items()],
            )
            self._db.executemany(
                "INSERT INTO counters VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                self._counters.items(),
            )
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            self._sequences = self._last_sequences()
            raise
        if self._restart_due:
            self._restart_due = False
            self._db.execute("PRAGMA wal_checkpoint(RESTART)")

    def next_id(self, name: str) -> int:
        """The next value of a counter (order and fill ids). It is saved by the next `commit`,
        together with what uses it, so an id that was ever committed is never handed out again."""
        value = int(self._counters.get(name, 0)) + 1
        self._counters[name] = value
        return value

    def put_order(self, order: Order, blob: bytes) -> None:
        """Store (or update) an order; `blob` is its encoded message, shared with its feed event."""
        self._db.execute(
            "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO UPDATE SET"
            " is_open = excluded.is_open, blob = excluded.blob",
            (
                order.order_id,
                order.pod_id,
                order.request.client_order_id,
                order.account,
                int(order.status.is_open),
                int(order.create_time.timestamp() * 1e6),
                blob,
            ),
        )

    def add_fill(self, fill: Fill, blob: bytes) -> bool:
        """Store a fill; False when the venue trade was already booked for that order."""
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO fills VALUES (?, ?, ?, ?, ?)",
            (fill.fill_id, fill.pod_id, fill.order_id, fill.exchange_trade_id, blob),
        )
        return cursor.rowcount == 1

    def append_events(self, pod_id: str, events: list[tuple[str, bytes]]) -> int:
        """Add one state change's feed events ("order" or "fill", encoded message) to the pod's
        feed (inside a `unit`; stored by the next `commit`); returns the sequence of the last."""
        first = self._sequences.get(pod_id, 0) + 1
        frames = b"".join(_frame(sequence, kind, message) for sequence, (kind, message) in enumerate(events, first))
        self._unit_feed.append((pod_id, first, frames))
        self._sequences[pod_id] = first + len(events) - 1
        return self._sequences[pod_id]

    def order(self, order_id: str) -> Order | None:
        row = self._db.execute("SELECT blob FROM orders WHERE order_id = ?", (order_id,)).fetchone()
        return convert.order_from_record(row[0]) if row else None

    def order_by_client_id(self, pod_id: str, client_order_id: str) -> Order | None:
        record = self.record_by_client_id(pod_id, client_order_id)
        return convert.order_from_record(record) if record is not None else None

    def record_by_client_id(self, pod_id: str, client_order_id: str) -> bytes | None:
        """The order's latest state as stored (its encoded message)."""
        row = self._db.execute(
            "SELECT blob FROM orders WHERE pod_id = ? AND client_order_id = ?", (pod_id, client_order_id)
        ).fetchone()
        return bytes(row[0]) if row else None

    def orders(self, pod_id: str, open_only: bool, max_count: int) -> list[Order]:
        sql = "SELECT blob FROM orders WHERE pod_id = ?" + (" AND is_open = 1" if open_only else "")
        rows = self._db.execute(sql + " ORDER BY created DESC, order_id DESC LIMIT ?", (pod_id, max_count))
        return [convert.order_from_record(blob) for (blob,) in rows]

    def open_orders(self) -> list[Order]:
        rows = self._db.execute("SELECT blob FROM orders WHERE is_open = 1 ORDER BY created")
        return [convert.order_from_record(blob) for (blob,) in rows]

    def fills(self, pod_id: str | None, max_count: int = 2**62) -> list[Fill]:
        if pod_id is None:
            rows = self._db.execute("SELECT blob FROM fills ORDER BY rowid").fetchall()
        else:
            rows = self._db.execute(
                "SELECT blob FROM (SELECT rowid, blob FROM fills WHERE pod_id = ? ORDER BY rowid DESC LIMIT ?)"
                " ORDER BY rowid",
                (pod_id, max_count),
            ).fetchall()
        return [convert.fill_from_pb(pb.Fill.FromString(blob)) for (blob,) in rows]

    def events_after(self, pod_id: str, after: int, limit: int) -> list[tuple[int, str, bytes]]:
        """Up to `limit` feed events of the pod after sequence `after`, in order."""
        rows = self._db.execute(
            "SELECT blob FROM feed WHERE pod_id = ? AND last_sequence > ? ORDER BY last_sequence", (pod_id, after)
        )
        events: list[tuple[int, str, bytes]] = []
        for (blob,) in rows:
            events += (event for event in _unframe(blob) if event[0] > after)
            if len(events) >= limit:
                break
        rows.close()
        return events[:limit]


def _frame(sequence: int, kind: str, message: bytes) -> bytes:
    return _FRAME.pack(sequence, _KINDS[kind], len(message)) + message


def _unframe(blob: bytes) -> list[tuple[int, str, bytes]]:
    events = []
    offset = 0
    while offset < len(blob):
        sequence, kind, length = _FRAME.unpack_from(blob, offset)
        offset += _FRAME.size
        events.append((sequence, _KIND_NAMES[kind], blob[offset : offset + length]))
        offset += length
    return events
