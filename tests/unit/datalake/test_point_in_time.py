"""Point-in-time reads: no fact is ever visible before its knowledge time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from slipstream.core.clock import ManualClock
from slipstream.datalake.frames import MS, BarFrame
from slipstream.datalake.index import BarPartition
from slipstream.datalake.lake import DataLake

STEP = 60_000
T0 = 1_700_000_040_000


def one_bar(open_time: int, close: float) -> BarFrame:
    return BarFrame.build([open_time], [close], [close + 1], [close - 1], [close], [1.0], [])


def test_revision_is_seen_only_from_its_knowledge_time(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2024, 1, 1, tzinfo=timezone.utc))
    lake = DataLake(tmp_path, clock)
    first = lake.write_bars("BTC/USDT", "1m", one_bar(T0, 100.0)).knowledge_time_ns
    clock.advance(timedelta(hours=1))
    second = lake.write_bars("BTC/USDT", "1m", one_bar(T0, 101.0))
    assert second.revised_count == 1

    assert lake.query_bars("BTC/USDT", "1m", None, None, first).close.tolist() == [100.0]
    assert lake.query_bars("BTC/USDT", "1m", None, None, second.knowledge_time_ns - 1).close.tolist() == [100.0]
    assert lake.query_bars("BTC/USDT", "1m", None, None, second.knowledge_time_ns).close.tolist() == [101.0]
    assert lake.query_bars("BTC/USDT", "1m", None, None, None).close.tolist() == [101.0]
    assert len(lake.query_bars("BTC/USDT", "1m", None, None, first - 1)) == 0
    lake.close()


def test_restart_keeps_every_version(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2024, 1, 1, tzinfo=timezone.utc))
    lake = DataLake(tmp_path, clock)
    k1 = lake.write_bars("ETH/USDT", "1m", one_bar(T0, 10.0)).knowledge_time_ns
    clock.advance(timedelta(minutes=5))
    lake.write_bars("ETH/USDT", "1m", one_bar(T0, 11.0))
    lake.close()

    reopened = DataLake(tmp_path, clock)
    assert reopened.query_bars("ETH/USDT", "1m", None, None, k1).close.tolist() == [10.0]
    assert reopened.query_bars("ETH/USDT", "1m", None, None, None).close.tolist() == [11.0]
    assert reopened.coverage("ETH/USDT", "1m", None).version_count == 2
    # A write after the restart never gets a knowledge time at or before an earlier one.
    later = reopened.write_bars("ETH/USDT", "1m", one_bar(T0 + STEP, 12.0)).knowledge_time_ns
    assert later > k1
    reopened.close()


writes = st.lists(
    st.lists(
        st.tuples(st.integers(0, 30), st.floats(1, 1000, allow_nan=False)),
        min_size=1,
        max_size=12,
        unique_by=lambda bar: bar[0],
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(history=writes, probes=st.lists(st.integers(0, 10), min_size=1, max_size=5))
def test_no_look_ahead_over_random_histories(history: list[list[tuple[int, float]]], probes: list[int]) -> None:
    """Write i happens at knowledge time i+1; as of any K the answer equals a brute-force replay."""
    frames = []
    for version, batch in enumerate(history, start=1):
        times = [T0 + slot * STEP for slot, _ in batch]
        closes = [close for _, close in batch]
        frames.append(BarFrame.build(times, closes, closes, closes, closes, [1.0] * len(batch), [version] * len(batch)))
    partition = BarPartition(BarFrame.empty())
    for frame in frames:
        partition.add(frame)
    for k in probes:
        expected: dict[int, float] = {}
        for version, batch in enumerate(history, start=1):
            if version <= k:
                expected.update({T0 + slot * STEP: close for slot, close in batch})
        got = partition.as_of(0, 2**62 // MS, k)
        assert got.open_time_ms.tolist() == sorted(expected)
        assert got.close.tolist() == [expected[t] for t in sorted(expected)]
        assert np.all(got.knowledge_time_ns <= k)


@settings(max_examples=25, deadline=None)
@given(history=writes)
def test_no_look_ahead_through_the_lake_and_a_restart(
    tmp_path_factory: object, history: list[list[tuple[int, float]]]
) -> None:
    directory = tmp_path_factory.mktemp("lake")  # type: ignore[attr-defined]
    clock = ManualClock(datetime(2024, 1, 1, tzinfo=timezone.utc))
    lake = DataLake(directory, clock)
    stamps = []
    for batch in history:
        clock.advance(timedelta(seconds=1))
        times = [T0 + slot * STEP for slot, _ in batch]
        closes = [close for _, close in batch]
        stamps.append(
            lake.write_bars(
                "X/USDT", "1m", BarFrame.build(times, closes, closes, closes, closes, [1.0] * len(batch), [])
            ).knowledge_time_ns
        )
    lake.close()
    lake = DataLake(directory, clock)
    for index, stamp in enumerate(stamps):
        expected: dict[int, float] = {}
        for batch in history[: index + 1]:
            expected.update({T0 + slot * STEP: close for slot, close in batch})
        got = lake.query_bars("X/USDT", "1m", None, None, stamp)
        assert dict(zip(got.open_time_ms.tolist(), got.close.tolist(), strict=True)) == expected
        assert len(lake.query_bars("X/USDT", "1m", None, None, stamps[0] - 1)) == 0
    lake.close()
