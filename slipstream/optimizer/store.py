"""SQLite (WAL) record of every cycle: its outcome as the client sees it and the inputs behind it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from slipstream_api.v1 import optimizer_pb2 as pb

from slipstream.optimizer import convert
from slipstream.optimizer.service import CycleRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cycles (
    cycle_id INTEGER PRIMARY KEY,
    pod_ids TEXT NOT NULL,
    allocation BLOB NOT NULL,
    inputs TEXT NOT NULL
);
"""


class OptimizerStore:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._db = sqlite3.connect(data_dir / "optimizer.sqlite", isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def next_cycle_id(self) -> int:
        (last,) = self._db.execute("SELECT coalesce(max(cycle_id), 0) FROM cycles").fetchone()
        return int(last) + 1

    def add(self, record: CycleRecord) -> None:
        self._db.execute(
            "INSERT INTO cycles VALUES (?, ?, ?, ?)",
            (
                record.cycle_id,
                json.dumps([pod.pod_id for pod in record.pods]),
                convert.record_to_pb(record).SerializeToString(deterministic=True),
                json.dumps(record.inputs, default=str),
            ),
        )

    def get(self, cycle_id: int) -> pb.Allocation | None:
        """One cycle (the latest when `cycle_id` is 0)."""
        sql = "SELECT allocation FROM cycles " + (
            "ORDER BY cycle_id DESC LIMIT 1" if cycle_id == 0 else "WHERE cycle_id = ?"
        )
        row = self._db.execute(sql, () if cycle_id == 0 else (cycle_id,)).fetchone()
        return pb.Allocation.FromString(row[0]) if row else None

    def inputs(self, cycle_id: int) -> dict[str, object] | None:
        row = self._db.execute("SELECT inputs FROM cycles WHERE cycle_id = ?", (cycle_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def history(self, max_count: int, pod_id: str = "") -> list[pb.Allocation]:
        """Newest first; only cycles `pod_id` took part in when it is given."""
        if pod_id:
            rows = self._db.execute(
                "SELECT allocation FROM cycles, json_each(cycles.pod_ids) WHERE json_each.value = ?"
                " ORDER BY cycle_id DESC LIMIT ?",
                (pod_id, max_count),
            )
        else:
            rows = self._db.execute("SELECT allocation FROM cycles ORDER BY cycle_id DESC LIMIT ?", (max_count,))
        return [pb.Allocation.FromString(blob) for (blob,) in rows]
