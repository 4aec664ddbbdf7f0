"""One strictly increasing nonce per API key, shared by every pod, across restarts.

Exchanges reject a request whose nonce (or timestamp) is not above the last one seen for the
key. The gateway owns each key, so it owns the sequence: values are handed out under a lock,
never below the clock in milliseconds (exchanges that use a timestamp want it near real
time), and a high-water mark is persisted ahead of use in blocks, so after a crash or restart
the next value is above anything already handed out without a disk write per request. The
block (500 by default) bounds how far ahead of the clock a value right after a restart can
be: Binance refuses timestamps more than 1,000 ms ahead of its own.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path


class NonceSource:
    def __init__(self, path: Path, now_ms: Callable[[], int], block: int = 500) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("CREATE TABLE IF NOT EXISTS nonces (api_key_id TEXT PRIMARY KEY, reserved INTEGER NOT NULL)")
        self._now_ms = now_ms
        self._block = block
        self._lock = threading.Lock()
        self._last: dict[str, int] = {}
        self._reserved: dict[str, int] = dict(self._db.execute("SELECT api_key_id, reserved FROM nonces").fetchall())

    def next(self, api_key_id: str, now_ms: int | None = None) -> int:
        """The next nonce for this key: above every earlier one, and at least the clock in ms
        (`now_ms` when the exchange's clock differs from ours)."""
        with self._lock:
            reserved = self._reserved.get(api_key_id, 0)
            # After a restart nothing above `reserved` was ever handed out, so start there.
            last = self._last.get(api_key_id, reserved)
            value = max(self._now_ms() if now_ms is None else now_ms, last + 1)
            if value > reserved:
                reserved = value + self._block
                self._db.execute(
                    "INSERT INTO nonces VALUES (?, ?)"
                    " ON CONFLICT (api_key_id) DO UPDATE SET reserved = excluded.reserved",
                    (api_key_id, reserved),
                )
                self._reserved[api_key_id] = reserved
            self._last[api_key_id] = value
            return value

    def close(self) -> None:
        self._db.close()
