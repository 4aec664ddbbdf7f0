"""A halt fanning out while polling reconciles the same pod: the operator's halt must win, with its reason."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from conftest import make_settings
from support import TargetStrategy

from slipstream.core.clock import SystemClock
from slipstream.core.model import (
    ExecutionIntent,
    HaltCommand,
    HaltOutcome,
    HaltReason,
    PodConfig,
    PodStatus,
    TradingState,
)
from slipstream.federation.core import Federation
from slipstream.federation.pod_client import PodTarget
from slipstream.federation.registry import HaltOutcomeKind
from slipstream.federation.store import FederationStore
from slipstream.pod.market import RandomWalkMarket
from slipstream.pod.runtime import PodRuntime


class InProcessPods:
    """Calls a real pod runtime directly; the first Halt waits until the test lets it through."""

    def __init__(self, runtime: PodRuntime) -> None:
        self.runtime = runtime
        self.calls: list[str] = []
        self.release_halt = asyncio.Event()

    async def status(self, target: PodTarget, timeout_s: float) -> PodStatus:
        return self.runtime.status()

    async def configure(self, target: PodTarget, config: PodConfig, timeout_s: float) -> tuple[PodConfig, bool]:
        self.calls.append(f"configure v{config.config_version} {config.trading_state.value}")
        return self.runtime.configure(config)

    async def halt(self, target: PodTarget, command: HaltCommand, timeout_s: float) -> HaltOutcome:
        self.calls.append(f"halt {command.reason.value} v{command.config_version}")
        await self.release_halt.wait()
        return self.runtime.halt(command)

    async def close(self) -> None:
        return None


def test_polling_waits_for_an_explicit_halt_so_the_halt_lands_with_its_own_reason(tmp_path: Path) -> None:
    async def scenario() -> None:
        runtime = PodRuntime("alpha", TargetStrategy(), RandomWalkMarket({"BTC/USDT": 60_000.0}, seed=1))
        pods = InProcessPods(runtime)
        federation = Federation(make_settings(tmp_path), FederationStore(tmp_path), pods, SystemClock())
        record, _, _ = await federation.register("alpha", "127.0.0.1:1", "python", ExecutionIntent.TAKER, by_admin=True)
        await federation.close()
        runtime.configure(record.desired_config)
        pods.calls.clear()

        command = HaltCommand(HaltReason.RISK_VIOLATION, "auditor", note="under-reported")
        halting = asyncio.ensure_future(federation.halt_all(command, timeout=timedelta(seconds=5)))
        while not pods.calls:
            await asyncio.sleep(0)
        await federation.poll_pod(federation.get_pod("alpha"))
        assert pods.calls == ["halt risk_violation v2"]

        pods.release_halt.set()
        results, _ = await halting
        assert [(r.pod_id, r.outcome) for r in results] == [("alpha", HaltOutcomeKind.HALTED)]
        assert runtime.control.halt_state is not None
        assert runtime.control.halt_state.reason is HaltReason.RISK_VIOLATION

        await federation.poll_pod(federation.get_pod("alpha"))
        assert pods.calls[-1] == "configure v2 halted"
        assert runtime.control.trading_state is TradingState.HALTED

    asyncio.run(scenario())
