"""`slipstream demo` headless and short, and the replay's determinism."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from slipstream.demo.replay import Replay, ReplaySettings


def test_the_demo_catches_the_liar_retires_the_index_fund_and_audits_every_pod(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = subprocess.run(
        [sys.executable, "-m", "slipstream.cli.main", "--data-dir", str(tmp_path), "demo", "--days", "126"]
        + ["--report", str(report)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = result.stdout
    assert "ok liar halted by the auditor: under_reported" in out, out[-4000:] + result.stderr[-3000:]
    assert "ok leveraged index fund retired: fake alpha" in out
    assert "ok genuine alpha promoted" in out
    assert "ok passive pod flagged for paying the spread: declared maker but 100% of notional took liquidity" in out
    assert "node-reversal" in out and "The federation after 126 simulated days" in out
    assert report.exists() and 'data-chart="equity"' in report.read_text()


def test_same_seed_and_data_give_the_same_allocations_and_every_pod_is_audited(tmp_path: Path) -> None:
    def allocations(run: str) -> list[list[tuple[str, float]]]:
        replay = Replay(ReplaySettings(tmp_path / run, days=35))
        replay.start()
        try:
            replay.run()
            assert replay.services is not None
            exposure = replay.services.auditor.auditor.exposure
            assert exposure is not None
            assert {pod.pod_id for pod in exposure.pods} == {member.pod_id for member in replay.cast}
            records = replay.services.optimizer.store.history(100)
            for record in records:
                assert sum(float(p.capital_usd) for p in record.pods) <= float(record.total_capital_usd) + 0.01
            return [[(p.pod_id, float(p.capital_usd)) for p in record.pods] for record in records]
        finally:
            replay.stop()

    first = allocations("one")
    assert len(first) == 5 and first == allocations("two")
