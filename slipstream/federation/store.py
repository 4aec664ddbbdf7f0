"""SQLite (WAL) persistence of the registry, credentials, status history and control events.

Configurations and statuses are stored as their protobuf encoding: the wire format is the
stable, versioned schema we already maintain, so the database needs no parallel one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from slipstream_api.v1 import common_pb2

from slipstream.core.decimals import format_decimal
from slipstream.core.model import ExecutionIntent, HaltCommand, HaltReason, PodConfig, PodStatus, TradingState
from slipstream.federation.registry import Connectivity, PodRecord, Snapshot
from slipstream.transport import convert

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pods (
    pod_id TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    language TEXT NOT NULL,
    execution_intent TEXT NOT NULL,
    registered INTEGER NOT NULL,
    register_time_ns INTEGER NOT NULL,
    connectivity TEXT NOT NULL,
    missed_poll_count INTEGER NOT NULL,
    desired_config BLOB NOT NULL,
    pending_halt TEXT,
    last_status BLOB,
    last_poll_time_ns INTEGER
);
CREATE TABLE IF NOT EXISTS credentials (
    pod_id TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshots (
    pod_id TEXT NOT NULL,
    observe_time_ns INTEGER NOT NULL,
    nav_usd TEXT NOT NULL,
    realized_pnl_usd TEXT NOT NULL,
    unrealized_pnl_usd TEXT NOT NULL,
    net_exposure_usd TEXT NOT NULL,
    gross_exposure_usd TEXT NOT NULL,
    capital_allocation_usd TEXT NOT NULL,
    trading_state TEXT NOT NULL,
    config_version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS snapshots_by_pod_time ON snapshots (pod_id, observe_time_ns);
CREATE TABLE IF NOT EXISTS events (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_time_ns INTEGER NOT NULL,
    pod_id TEXT,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    detail TEXT NOT NULL
);
"""


def _ns(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000) * 1000


def _from_ns(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1e9, tz=timezone.utc)


def _config_blob(config: PodConfig) -> bytes:
    return convert.config_to_pb(config).SerializeToString(deterministic=True)


def _config_from_blob(blob: bytes) -> PodConfig:
    return convert.stored_config_from_pb(common_pb2.PodConfig.FromString(blob))


def _halt_json(command: HaltCommand | None) -> str | None:
    if command is None:
        return None
    return json.dumps(
        {
            "reason": command.reason.value,
            "requested_by": command.requested_by,
            "cancel_open_orders": command.cancel_open_orders,
            "note": command.note,
            "config_version": command.config_version,
        }
    )


def _halt_from_json(text: str | None) -> HaltCommand | None:
    if text is None:
        return None
    data = json.loads(text)
    return HaltCommand(
        reason=HaltReason(data["reason"]),
        requested_by=data["requested_by"],
        cancel_open_orders=data["cancel_open_orders"],
        note=data["note"],
        config_version=data["config_version"],
    )


class FederationStore:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = data_dir / "federation.sqlite"
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self, durable: bool = True) -> Iterator[None]:
        """One all-or-nothing write. Durable (the default, for registrations and control actions,
        which are committed before they are sent): the commit is on disk before it returns, so it
        survives an operating-system crash too. Not durable (status snapshots, one a second per
        pod): it survives a crash of the process; an OS crash may lose the latest, which the next
        poll replaces."""
        self._db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def credentials(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT pod_id, token FROM credentials").fetchall())

    def put_credential(self, pod_id: str, token: str, source: str) -> None:
        self._db.execute(
            "INSERT INTO credentials (pod_id, token, source) VALUES (?, ?, ?) "
            "ON CONFLICT (pod_id) DO UPDATE SET token = excluded.token, source = excluded.source",
            (pod_id, token, source),
        )

    def get(self, pod_id: str, *, include_deregistered: bool = False, include_status: bool = True) -> PodRecord | None:
        where = "pod_id = ?" + ("" if include_deregistered else " AND registered = 1")
        row = self._db.execute(self._select(include_status, where), (pod_id,)).fetchone()
        return self._record(row) if row else None

    def registered(self, *, include_status: bool = True) -> list[PodRecord]:
        """Registered pods by id; without their last status when the caller only needs to reach them."""
        rows = self._db.execute(self._select(include_status, "registered = 1 ORDER BY pod_id")).fetchall()
        return [self._record(row) for row in rows]

    @staticmethod
    def _select(include_status: bool, where: str) -> str:
        status = "last_status" if include_status else "NULL"
        return (
            "SELECT pod_id, address, language, execution_intent, registered, register_time_ns, connectivity,"
            f" missed_poll_count, desired_config, pending_halt, {status}, last_poll_time_ns FROM pods WHERE {where}"
        )

    def upsert_registration(
        self,
        pod_id: str,
        address: str,
        language: str,
        intent: ExecutionIntent,
        now: datetime,
        initial_config: PodConfig,
    ) -> bool:
        """Register or re-register; return True when the pod id was never seen before."""
        existing = self._db.execute("SELECT registered FROM pods WHERE pod_id = ?", (pod_id,)).fetchone()
        if existing is None:
            self._db.execute(
                "INSERT INTO pods (pod_id, address, language, execution_intent, registered, register_time_ns,"
                " connectivity, missed_poll_count, desired_config) VALUES (?, ?, ?, ?, 1, ?, ?, 0, ?)",
                (
                    pod_id,
                    address,
                    language,
                    intent.value,
                    _ns(now),
                    Connectivity.PENDING.value,
                    _config_blob(initial_config),
                ),
            )
            return True
        self._db.execute(
            "UPDATE pods SET address = ?, language = ?, execution_intent = ?, registered = 1,"
            " connectivity = ?, missed_poll_count = 0 WHERE pod_id = ?",
            (address, language, intent.value, Connectivity.PENDING.value, pod_id),
        )
        return False

    def deregister(self, pod_id: str) -> None:
        self._db.execute("UPDATE pods SET registered = 0 WHERE pod_id = ?", (pod_id,))

    def set_desired(self, pod_id: str, config: PodConfig, pending_halt: HaltCommand | None) -> None:
        self._db.execute(
            "UPDATE pods SET desired_config = ?, pending_halt = ? WHERE pod_id = ?",
            (_config_blob(config), _halt_json(pending_halt), pod_id),
        )

    def record_poll_success(self, snapshot: Snapshot, status: PodStatus) -> None:
        """Keep the full status as the pod's latest, and its key figures in the time series."""
        blob = convert.status_to_pb(status).SerializeToString(deterministic=True)
        self._db.execute(
            "UPDATE pods SET last_status = ?, last_poll_time_ns = ?, connectivity = ?, missed_poll_count = 0"
            " WHERE pod_id = ?",
            (blob, _ns(snapshot.observe_time), Connectivity.REACHABLE.value, snapshot.pod_id),
        )
        self._db.execute(
            "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                snapshot.pod_id,
                _ns(snapshot.observe_time),
                format_decimal(snapshot.nav_usd),
                format_decimal(snapshot.realized_pnl_usd),
                format_decimal(snapshot.unrealized_pnl_usd),
                format_decimal(snapshot.net_exposure_usd),
                format_decimal(snapshot.gross_exposure_usd),
                format_decimal(snapshot.capital_allocation_usd),
                snapshot.trading_state.value,
                snapshot.config_version,
            ),
        )

    def record_poll_failure(self, pod_id: str, unreachable_after: int) -> None:
        self._db.execute(
            "UPDATE pods SET missed_poll_count = missed_poll_count + 1,"
            " connectivity = CASE WHEN missed_poll_count + 1 >= ? THEN ? ELSE ? END WHERE pod_id = ?",
            (unreachable_after, Connectivity.UNREACHABLE.value, Connectivity.LAGGING.value, pod_id),
        )

    def snapshots(self, pod_id: str, start: datetime | None, end: datetime | None, max_count: int) -> list[Snapshot]:
        """The newest `max_count` snapshots in [start, end), oldest first."""
        rows = self._db.execute(
            "SELECT * FROM snapshots WHERE pod_id = ? AND observe_time_ns >= ? AND observe_time_ns < ?"
            " ORDER BY observe_time_ns DESC LIMIT ?",
            (pod_id, _ns(start) if start else 0, _ns(end) if end else 2**62, max_count),
        ).fetchall()
        return [
            Snapshot(
                pod_id=row[0],
                observe_time=_from_ns(row[1]),
                nav_usd=Decimal(row[2]),
                realized_pnl_usd=Decimal(row[3]),
                unrealized_pnl_usd=Decimal(row[4]),
                net_exposure_usd=Decimal(row[5]),
                gross_exposure_usd=Decimal(row[6]),
                capital_allocation_usd=Decimal(row[7]),
                trading_state=TradingState(row[8]),
                config_version=row[9],
            )
            for row in reversed(rows)
        ]

    def add_event(self, now: datetime, pod_id: str | None, kind: str, actor: str, detail: dict[str, object]) -> None:
        self._db.execute(
            "INSERT INTO events (event_time_ns, pod_id, kind, actor, detail) VALUES (?, ?, ?, ?, ?)",
            (_ns(now), pod_id, kind, actor, json.dumps(detail, sort_keys=True)),
        )

    def events(self, pod_id: str | None = None) -> list[tuple[datetime, str | None, str, str, dict[str, object]]]:
        sql = "SELECT event_time_ns, pod_id, kind, actor, detail FROM events"
        rows: Iterable[tuple[int, str | None, str, str, str]] = (
            self._db.execute(sql + " WHERE pod_id = ? ORDER BY event_id", (pod_id,))
            if pod_id
            else self._db.execute(sql + " ORDER BY event_id")
        )
        return [(_from_ns(t), p, k, a, json.loads(d)) for t, p, k, a, d in rows]

    @staticmethod
    def _record(row: tuple) -> PodRecord:  # type: ignore[type-arg]
        (
            pod_id,
            address,
            language,
            intent,
            _registered,
            register_ns,
            connectivity,
            missed,
            desired,
            pending_halt,
            last_status,
            last_poll_ns,
        ) = row
        return PodRecord(
            pod_id=pod_id,
            address=address,
            language=language,
            execution_intent=ExecutionIntent(intent),
            register_time=_from_ns(register_ns),
            connectivity=Connectivity(connectivity),
            missed_poll_count=missed,
            desired_config=_config_from_blob(desired),
            pending_halt=_halt_from_json(pending_halt),
            last_status=convert.status_from_pb(common_pb2.PodStatus.FromString(last_status)) if last_status else None,
            last_poll_time=_from_ns(last_poll_ns) if last_poll_ns else None,
        )
