"""SQLite (WAL) record of the orchestrator: the override audit log and every federation cycle."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from slipstream.orchestrator.overrides import Override, OverrideKind

_SCHEMA = """
CREATE TABLE IF NOT EXISTS overrides (
    override_id INTEGER PRIMARY KEY,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cycles (
    cycle_id INTEGER PRIMARY KEY,
    body TEXT NOT NULL
);
"""


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _encode(override: Override) -> str:
    return json.dumps(
        {
            "kind": override.kind.value,
            "pod_id": override.pod_id,
            "requested_by": override.requested_by,
            "reason": override.reason,
            "create_time": override.create_time.isoformat(),
            "capital_usd": override.capital_usd,
            "stage": override.stage,
            "expire_time": override.expire_time.isoformat() if override.expire_time else None,
            "lift_time": override.lift_time.isoformat() if override.lift_time else None,
            "lifted_by": override.lifted_by,
            "lift_reason": override.lift_reason,
        }
    )


def _decode(override_id: int, body: str) -> Override:
    data = json.loads(body)
    return Override(
        override_id=override_id,
        kind=OverrideKind(data["kind"]),
        pod_id=data["pod_id"],
        requested_by=data["requested_by"],
        reason=data["reason"],
        create_time=datetime.fromisoformat(data["create_time"]),
        capital_usd=data["capital_usd"],
        stage=data["stage"],
        expire_time=_time(data["expire_time"]),
        lift_time=_time(data["lift_time"]),
        lifted_by=data["lifted_by"],
        lift_reason=data["lift_reason"],
    )


class OrchestratorStore:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._db = sqlite3.connect(data_dir / "orchestrator.sqlite", isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def add_override(self, override: Override) -> Override:
        """Log a new override; it gets the next sequence number."""
        (last,) = self._db.execute("SELECT coalesce(max(override_id), 0) FROM overrides").fetchone()
        logged = replace(override, override_id=int(last) + 1)
        self._db.execute("INSERT INTO overrides VALUES (?, ?)", (logged.override_id, _encode(logged)))
        return logged

    def update_override(self, override: Override) -> None:
        self._db.execute(
            "UPDATE overrides SET body = ? WHERE override_id = ?", (_encode(override), override.override_id)
        )

    def override(self, override_id: int) -> Override | None:
        row = self._db.execute("SELECT body FROM overrides WHERE override_id = ?", (override_id,)).fetchone()
        return _decode(override_id, row[0]) if row else None

    def overrides(self) -> list[Override]:
        """The whole log, newest first."""
        rows = self._db.execute("SELECT override_id, body FROM overrides ORDER BY override_id DESC")
        return [_decode(int(i), body) for i, body in rows]

    def next_cycle_id(self) -> int:
        (last,) = self._db.execute("SELECT coalesce(max(cycle_id), 0) FROM cycles").fetchone()
        return int(last) + 1

    def add_cycle(self, cycle_id: int, body: dict[str, object]) -> None:
        self._db.execute("INSERT INTO cycles VALUES (?, ?)", (cycle_id, json.dumps(body)))

    def cycles(self, max_count: int) -> list[dict[str, object]]:
        rows = self._db.execute("SELECT body FROM cycles ORDER BY cycle_id DESC LIMIT ?", (max_count,))
        return [json.loads(body) for (body,) in rows]
