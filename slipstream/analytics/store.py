"""SQLite (WAL) persistence of the pod lifecycle: each pod's state and every transition with its evidence.

A restarted service resumes each pod in the stage, since the time, and under the override it
left. Reports are not stored: they are computed on demand from the gateway's and the
federation's records, so running one again can never duplicate anything here. An evaluation's
states and transitions are committed in one transaction: all of them or none.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from slipstream.analytics.lifecycle import Metrics, Override, PodState, Stage, Transition, TransitionKind

_SCHEMA = """
CREATE TABLE IF NOT EXISTS lifecycle_states (
    pod_id TEXT PRIMARY KEY,
    stage TEXT NOT NULL,
    stage_since TEXT NOT NULL,
    override TEXT,
    metrics TEXT,
    last_reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS lifecycle_transitions (
    transition_id INTEGER PRIMARY KEY AUTOINCREMENT,
    pod_id TEXT NOT NULL,
    transition_time TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_stage TEXT NOT NULL,
    to_stage TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    metrics TEXT,
    thresholds TEXT NOT NULL,
    expires_at TEXT
);
CREATE INDEX IF NOT EXISTS lifecycle_transitions_by_pod ON lifecycle_transitions (pod_id, transition_id);
"""


@dataclass(frozen=True)
class LifecycleRecord:
    """A pod's stored lifecycle: its state and the evidence and verdict of its last evaluation."""

    state: PodState
    metrics: Metrics | None = None
    last_reason: str = ""


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def _optional_time(text: str | None) -> datetime | None:
    return _time(text) if text else None


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _metrics_json(metrics: Metrics | None) -> str | None:
    # json writes NaN and Infinity (a MinTRL never reached) and reads them back.
    return json.dumps(asdict(metrics)) if metrics is not None else None


def _metrics(text: str | None) -> Metrics | None:
    return Metrics(**json.loads(text)) if text else None


def _override_json(override: Override | None) -> str | None:
    if override is None:
        return None
    return json.dumps(
        {
            "stage": override.stage.value,
            "requested_by": override.requested_by,
            "reason": override.reason,
            "time": override.time.isoformat(),
            "expires_at": _iso(override.expires_at),
        }
    )


def _override(text: str | None) -> Override | None:
    if not text:
        return None
    data = json.loads(text)
    return Override(
        Stage(data["stage"]),
        data["requested_by"],
        data["reason"],
        _time(data["time"]),
        _optional_time(data["expires_at"]),
    )


def _record(row: tuple[Any, ...]) -> LifecycleRecord:
    pod_id, stage, stage_since, override, metrics, last_reason = row
    state = PodState(pod_id, Stage(stage), _time(stage_since), _override(override))
    return LifecycleRecord(state, _metrics(metrics), last_reason)


def _transition(row: tuple[Any, ...]) -> Transition:
    pod_id, time, kind, from_stage, to_stage, actor, reason, metrics, thresholds, expires_at = row
    return Transition(
        pod_id=pod_id,
        time=_time(time),
        kind=TransitionKind(kind),
        from_stage=Stage(from_stage),
        to_stage=Stage(to_stage),
        actor=actor,
        reason=reason,
        metrics=_metrics(metrics),
        thresholds=tuple((str(name), float(value)) for name, value in json.loads(thresholds)),
        expires_at=_optional_time(expires_at),
    )


_STATE_COLUMNS = "pod_id, stage, stage_since, override, metrics, last_reason"
_TRANSITION_COLUMNS = (
    "pod_id, transition_time, kind, from_stage, to_stage, actor, reason, metrics, thresholds, expires_at"
)


class LifecycleStore:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._db = sqlite3.connect(data_dir / "analytics.sqlite", isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def records(self) -> dict[str, LifecycleRecord]:
        """Return every pod's stored lifecycle by pod_id."""
        rows = self._db.execute(f"SELECT {_STATE_COLUMNS} FROM lifecycle_states ORDER BY pod_id").fetchall()
        return {row[0]: _record(row) for row in rows}

    def record(self, pod_id: str) -> LifecycleRecord | None:
        """Return one pod's stored lifecycle, or None before it was admitted."""
        row = self._db.execute(f"SELECT {_STATE_COLUMNS} FROM lifecycle_states WHERE pod_id = ?", (pod_id,)).fetchone()
        return _record(row) if row else None

    def save(self, records: list[LifecycleRecord], transitions: list[Transition]) -> None:
        """Replace the pods' states and append the transitions, in one transaction."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(
                f"INSERT OR REPLACE INTO lifecycle_states ({_STATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        r.state.pod_id,
                        r.state.stage.value,
                        r.state.stage_since.isoformat(),
                        _override_json(r.state.override),
                        _metrics_json(r.metrics),
                        r.last_reason,
                    )
                    for r in records
                ],
            )
            self._db.executemany(
                f"INSERT INTO lifecycle_transitions ({_TRANSITION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        t.pod_id,
                        t.time.isoformat(),
                        t.kind.value,
                        t.from_stage.value,
                        t.to_stage.value,
                        t.actor,
                        t.reason,
                        _metrics_json(t.metrics),
                        json.dumps([[name, value] for name, value in t.thresholds]),
                        _iso(t.expires_at),
                    )
                    for t in transitions
                ],
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def history(self, pod_id: str) -> list[Transition]:
        """Return one pod's transitions, oldest first."""
        rows = self._db.execute(
            f"SELECT {_TRANSITION_COLUMNS} FROM lifecycle_transitions WHERE pod_id = ? ORDER BY transition_id",
            (pod_id,),
        ).fetchall()
        return [_transition(row) for row in rows]
