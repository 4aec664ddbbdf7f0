"""Daily sampling of the federation's snapshots: the last of each day, each finished day read once."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from slipstream_api.v1 import federation_pb2

from slipstream.analytics.server import DailySnapshots
from slipstream.core.clock import ManualClock
from slipstream.transport import convert

REGISTERED = datetime(2026, 3, 1, 15, 0, tzinfo=timezone.utc)
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=timezone.utc)


class FakeFederation:
    """Snapshots every six hours from registration to NOW, answered as ListPodSnapshots does: newest max_count."""

    def __init__(self) -> None:
        self.windows: list[tuple[datetime, datetime]] = []

    def ListPodSnapshots(self, request: federation_pb2.ListPodSnapshotsRequest, **_: Any) -> Any:
        start, end = convert.timestamp_from_pb(request.start_time), convert.timestamp_from_pb(request.end_time)
        self.windows.append((start, end))
        times = [REGISTERED + timedelta(hours=6 * i) for i in range(12)]
        inside = [t for t in times if start <= t < end][-request.max_count :]
        snapshots = [
            federation_pb2.PodSnapshot(
                observe_time=convert.timestamp_to_pb(t),
                nav_usd=str(1000 + (t - REGISTERED).total_seconds() / 3600),
                capital_allocation_usd="1000",
            )
            for t in inside
        ]
        return federation_pb2.ListPodSnapshotsResponse(snapshots=snapshots)


def test_the_last_snapshot_of_each_day_and_finished_days_are_read_once() -> None:
    federation = FakeFederation()
    clock = ManualClock(NOW)
    daily = DailySnapshots(federation, "token", clock)  # type: ignore[arg-type]

    first = daily.frame({"alpha": REGISTERED})
    calls = len(federation.windows)
    second = daily.frame({"alpha": REGISTERED})

    # 1 March 15:00 and 21:00, then every six hours: each day's last is at 21:00, today's so far at 09:00.
    assert list(first["observe_time"]) == [
        datetime(2026, 3, 1, 21, tzinfo=timezone.utc),
        datetime(2026, 3, 2, 21, tzinfo=timezone.utc),
        datetime(2026, 3, 3, 21, tzinfo=timezone.utc),
        datetime(2026, 3, 4, 9, tzinfo=timezone.utc),
    ]
    assert list(first["nav_usd"]) == [1006.0, 1030.0, 1054.0, 1066.0]
    assert set(first["capital_allocation_usd"]) == {1000.0} and set(first["pod_id"]) == {"alpha"}
    assert calls == 4 and len(federation.windows) == 5  # only today is asked again
    assert federation.windows[-1][0] == datetime(2026, 3, 4, tzinfo=timezone.utc)
    assert second.equals(first)
