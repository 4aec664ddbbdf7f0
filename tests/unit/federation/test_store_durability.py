"""Control actions are fsynced at commit; status snapshots are not (the next poll replaces them)."""

from __future__ import annotations

from pathlib import Path

from slipstream.federation.store import FederationStore

FULL, NORMAL = 2, 1


def synchronous(store: FederationStore) -> int:
    return int(store._db.execute("PRAGMA synchronous").fetchone()[0])


def test_a_control_write_commits_to_disk_and_a_snapshot_write_does_not_wait_for_it(tmp_path: Path) -> None:
    store = FederationStore(tmp_path)
    try:
        with store.transaction():
            during_control = synchronous(store)
        with store.transaction(durable=False):
            during_snapshot = synchronous(store)
        with store.transaction():
            during_next_control = synchronous(store)
    finally:
        store.close()

    assert (during_control, during_snapshot, during_next_control) == (FULL, NORMAL, FULL)
