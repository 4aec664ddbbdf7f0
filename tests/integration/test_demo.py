"""`slipstream demo` end to end, headless and short: every process starts, the halt and resume happen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_demo_runs_halts_resumes_and_exits_cleanly(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "slipstream.cli.main", "--data-dir", str(tmp_path), "demo", "--duration", "12"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = result.stdout
    assert result.returncode == 0, out[-3000:] + result.stderr[-3000:]
    assert "all 4 pods registered" in out
    assert "volatility BTC/USD: " in out and "lake: 1865 daily bars of BTC/USD" in out
    assert "gateway momentum: " in out and " fills" in out
    assert "halted momentum: POD_HALT_OUTCOME_HALTED" in out
    assert "resumed momentum: config v3, delivered=True" in out
    for pod_id in ("momentum", "mean-reversion", "node-reversal"):
        assert f"final {pod_id}: TRADING_STATE_ACTIVE" in out
    # The pod that reports half its position is caught by the auditor and halted.
    assert "final under-reporter: TRADING_STATE_HALTED" in out
    assert "auditor: under-reporter under_reported" in out and "halt requested" in out
