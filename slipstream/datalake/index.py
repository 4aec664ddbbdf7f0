"""In-memory, read-optimised partitions: one per series, every version sorted by event time
then knowledge time, so a point-in-time query is two binary searches and one vectorised pass
over exactly the rows of the requested range.
"""

from __future__ import annotations

import numpy as np

from slipstream.datalake.frames import BarFrame, TradeFrame


def _latest_per_key(keys: np.ndarray) -> np.ndarray:
    """Positions of the last element of each run of equal keys (input sorted by key)."""
    if len(keys) == 0:
        return np.empty(0, dtype=np.int64)
    last = np.empty(len(keys), dtype=bool)
    np.not_equal(keys[1:], keys[:-1], out=last[:-1])
    last[-1] = True
    return np.flatnonzero(last)


class BarPartition:
    """Every stored version of one bar series."""

    def __init__(self, frame: BarFrame) -> None:
        order = np.lexsort((frame.knowledge_time_ns, frame.open_time_ms))
        self.frame = frame.take(order)

    def __len__(self) -> int:
        return len(self.frame)

    def add(self, batch: BarFrame) -> None:
        """Merge new versions; appending later bars is O(batch), a correction re-sorts."""
        if len(batch) == 0:
            return
        order = np.argsort(batch.open_time_ms, kind="stable")
        batch = batch.take(order)
        if len(self.frame) == 0 or batch.open_time_ms[0] > self.frame.open_time_ms[-1]:
            self.frame = BarFrame.concat([self.frame, batch])
        else:
            self.__init__(BarFrame.concat([self.frame, batch]))  # type: ignore[misc]

    def contains(self, open_time_ms: np.ndarray) -> np.ndarray:
        """Which of these open times already have a version."""
        if len(self.frame) == 0:
            return np.zeros(len(open_time_ms), dtype=bool)
        position = np.minimum(np.searchsorted(self.frame.open_time_ms, open_time_ms), len(self.frame) - 1)
        return self.frame.open_time_ms[position] == open_time_ms

    def as_of(self, start_ms: int, end_ms: int, as_of_ns: int) -> BarFrame:
        """Bars with open time in [start_ms, end_ms), each the latest version known at as_of_ns."""
        times = self.frame.open_time_ms
        lo, hi = np.searchsorted(times, start_ms, "left"), np.searchsorted(times, end_ms, "left")
        visible = np.flatnonzero(self.frame.knowledge_time_ns[lo:hi] <= as_of_ns)
        if len(visible) == len(range(lo, hi)):
            chosen = _latest_per_key(times[lo:hi]) + lo
        else:
            chosen = visible[_latest_per_key(times[lo:hi][visible])] + lo
        return self.frame.take(chosen)

    def versions(self, start_ms: int, end_ms: int, as_of_ns: int) -> BarFrame:
        """Every version in [start_ms, end_ms) known at as_of_ns, by open time then knowledge time."""
        times = self.frame.open_time_ms
        lo, hi = np.searchsorted(times, start_ms, "left"), np.searchsorted(times, end_ms, "left")
        return self.frame.take(np.flatnonzero(self.frame.knowledge_time_ns[lo:hi] <= as_of_ns) + lo)

    def version_count(self) -> int:
        return len(self.frame)


class TradePartition:
    """Every stored version of one symbol's trades, sorted by (time, id, knowledge)."""

    def __init__(self, frame: TradeFrame) -> None:
        order = np.lexsort((frame.knowledge_time_ns, frame.trade_id.astype(str), frame.trade_time_ms))
        self.frame = frame.take(order)
        self._keys = self._key(self.frame)

    @staticmethod
    def _key(frame: TradeFrame) -> np.ndarray:
        return np.char.add(frame.trade_time_ms.astype(str), np.char.add("|", frame.trade_id.astype(str)))

    def __len__(self) -> int:
        return len(self.frame)

    def add(self, batch: TradeFrame) -> None:
        if len(batch):
            self.__init__(TradeFrame.concat([self.frame, batch]))  # type: ignore[misc]

    def known_ids(self) -> set[str]:
        return set(self.frame.trade_id.tolist())

    def as_of(self, start_ms: int, end_ms: int, as_of_ns: int) -> TradeFrame:
        times = self.frame.trade_time_ms
        lo, hi = np.searchsorted(times, start_ms, "left"), np.searchsorted(times, end_ms, "left")
        visible = np.flatnonzero(self.frame.knowledge_time_ns[lo:hi] <= as_of_ns)
        keys = self._keys[lo:hi][visible]
        # Sorted by (time, id, knowledge), but ids sort as strings: a run of equal keys is contiguous.
        return self.frame.take(visible[_latest_per_key(keys)] + lo)
