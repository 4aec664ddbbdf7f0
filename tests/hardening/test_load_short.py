"""The load run in short form: 100 pods polled every second and 500 orders/s through the gateway,
every piece its own process; nothing may fail. The full 60-second run is bench/bench_load.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from support import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "bench"))

from bench_load import run_load  # noqa: E402


@pytest.mark.timeout(240)
def test_short_load_holds_with_zero_errors(tmp_path: Path) -> None:
    result = run_load(seconds=8, pods=100, order_rate=500, data_dir=tmp_path)

    assert result.orders_answered == 8 * 500
    assert result.order_errors == 0
    assert result.polls_expected >= 100 * 6
    assert result.unhealthy_pods == 0, "the federation failed to poll pods under load"
    # A second polling cycle may stretch on a loaded 2-core machine, never by much.
    assert result.polls_received >= 0.9 * result.polls_expected
    assert result.probe_errors == 0 and result.probes > 0
