"""SQLite (WAL) persistence of discrepancies: every change as history, and the open set, so a
restarted auditor resumes counting consecutive audits where it stopped."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from slipstream.auditor.reconcile import Finding, Kind, Severity
from slipstream.auditor.tracker import Discrepancy

_SCHEMA = """
CREATE TABLE IF NOT EXISTS discrepancy_changes (
    change_id INTEGER PRIMARY KEY AUTOINCREMENT,
    change TEXT NOT NULL,
    discrepancy TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS open_discrepancies (
    key TEXT PRIMARY KEY,
    discrepancy TEXT NOT NULL
);
"""


def _encode(discrepancy: Discrepancy) -> str:
    finding = discrepancy.finding
    return json.dumps(
        {
            "kind": finding.kind.value,
            "account": finding.account,
            "pod_id": finding.pod_id,
            "symbol": finding.symbol,
            "expected": str(finding.expected),
            "observed": str(finding.observed),
            "difference_usd": str(finding.difference_usd),
            "severity": discrepancy.severity.value,
            "consecutive": discrepancy.consecutive,
            "first_seen": discrepancy.first_seen.isoformat(),
            "last_seen": discrepancy.last_seen.isoformat(),
            "resolved": discrepancy.resolved,
            "halt_requested": discrepancy.halt_requested,
        }
    )


def _decode(text: str) -> Discrepancy:
    data = json.loads(text)
    finding = Finding(
        Kind(data["kind"]),
        data["account"],
        data["pod_id"],
        data["symbol"],
        Decimal(data["expected"]),
        Decimal(data["observed"]),
        Decimal(data["difference_usd"]),
    )
    return Discrepancy(
        finding,
        Severity(data["severity"]),
        data["consecutive"],
        datetime.fromisoformat(data["first_seen"]).astimezone(timezone.utc),
        datetime.fromisoformat(data["last_seen"]).astimezone(timezone.utc),
        data["resolved"],
        data["halt_requested"],
    )


class AuditStore:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._db = sqlite3.connect(data_dir / "auditor.sqlite", isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def open(self) -> dict[str, Discrepancy]:
        return {key: _decode(text) for key, text in self._db.execute("SELECT key, discrepancy FROM open_discrepancies")}

    def record(self, changes: list[tuple[str, Discrepancy]], open_now: dict[str, Discrepancy]) -> None:
        """Append the audit's changes and replace the open set, in one transaction."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(
                "INSERT INTO discrepancy_changes (change, discrepancy) VALUES (?, ?)",
                [(change, _encode(d)) for change, d in changes],
            )
            self._db.execute("DELETE FROM open_discrepancies")
            self._db.executemany(
                "INSERT INTO open_discrepancies VALUES (?, ?)", [(k, _encode(d)) for k, d in open_now.items()]
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def history(self, max_count: int) -> list[tuple[str, Discrepancy]]:
        rows = self._db.execute(
            "SELECT change, discrepancy FROM discrepancy_changes ORDER BY change_id DESC LIMIT ?", (max_count,)
        ).fetchall()
        return [(change, _decode(text)) for change, text in rows]
