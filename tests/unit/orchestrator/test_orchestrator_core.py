"""The orchestrator's cycle and overrides over hand-written fake drivers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from slipstream.core.clock import ManualClock
from slipstream.core.errors import FailedPrecondition, InvalidArgument, NotFound
from slipstream.core.model import HaltReason
from slipstream.orchestrator.core import Orchestrator
from slipstream.orchestrator.overrides import OverrideKind
from slipstream.orchestrator.store import OrchestratorStore

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


class FakeDrivers:
    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []
        self.audit_down = False

    def registered_pods(self) -> list[str]:
        return ["alpha", "beta"]

    def poll(self) -> str:
        return "2 pods"

    def audit(self) -> str:
        if self.audit_down:
            raise ConnectionError("auditor unreachable")
        return "0 open discrepancies"

    def evaluate_lifecycles(self, requested_by: str) -> str:
        return "no change"

    def allocate(self, apply: bool, pins: dict[str, tuple[float, str]], requested_by: str) -> tuple[int, str]:
        self.calls.append(("allocate", apply, dict(pins)))
        return len(self.calls), "allocated"

    def force_stage(self, pod_id: str, stage: str, requested_by: str, reason: str, expire: datetime | None) -> None:
        self.calls.append(("force_stage", pod_id, stage))

    def lift_stage(self, pod_id: str, requested_by: str, reason: str) -> None:
        self.calls.append(("lift_stage", pod_id))

    def halt(self, pod_id: str, halt_reason: HaltReason, requested_by: str, reason: str) -> None:
        self.calls.append(("halt", pod_id, halt_reason))

    def resume(self, pod_id: str, requested_by: str, reason: str) -> None:
        self.calls.append(("resume", pod_id))


def orchestrator(tmp_path: Path, drivers: FakeDrivers, clock: ManualClock) -> Orchestrator:
    return Orchestrator(drivers, OrchestratorStore(tmp_path), clock)


def test_a_pin_holds_across_cycles_and_restarts_until_lifted(tmp_path: Path) -> None:
    clock, drivers = ManualClock(START), FakeDrivers()
    first = orchestrator(tmp_path, drivers, clock)
    pin = first.pin("alpha", 25_000.0, "ops", "seed capital", None)
    first.run_cycle("schedule")
    first.store.close()

    clock.advance(timedelta(days=30))
    again = orchestrator(tmp_path, drivers, clock)
    cycle = again.run_cycle("schedule")
    assert drivers.calls == [("allocate", True, {"alpha": (25_000.0, "seed capital")})] * 2
    assert cycle.pinned_pod_ids == ("alpha",) and cycle.cycle_id == 2

    lifted = again.lift(pin.override_id, "ops", "evidence is in")
    again.run_cycle("schedule")
    assert drivers.calls[-1] == ("allocate", True, {})
    assert lifted.lifted_by == "ops" and not lifted.active(clock.now())
    with pytest.raises(FailedPrecondition):
        again.lift(pin.override_id, "ops", "twice")


def test_freeze_observes_until_it_expires_and_every_override_is_logged(tmp_path: Path) -> None:
    clock, drivers = ManualClock(START), FakeDrivers()
    orch = orchestrator(tmp_path, drivers, clock)
    orch.freeze("risk", "exchange incident", START + timedelta(days=1))
    assert orch.run_cycle("schedule").frozen and drivers.calls[-1][1] is False
    clock.advance(timedelta(days=2))
    assert not orch.run_cycle("schedule").frozen and drivers.calls[-1][1] is True

    orch.force_stage("beta", "growth", "cio", "committee decision", None)
    orch.halt("beta", HaltReason.MANUAL, "ops", "maintenance window")
    orch.resume("beta", "ops", "maintenance done")
    log = orch.overrides(active_only=False, pod_id="")
    assert [o.kind for o in log] == [
        OverrideKind.RESUME,
        OverrideKind.HALT,
        OverrideKind.FORCE_STAGE,
        OverrideKind.FREEZE_ALLOCATION,
    ]
    assert all(o.requested_by and o.reason for o in log)
    assert [o.kind for o in orch.overrides(active_only=True, pod_id="")] == [OverrideKind.FORCE_STAGE]
    assert ("halt", "beta", HaltReason.MANUAL) in drivers.calls
    orch.lift(log[2].override_id, "cio", "review")
    assert drivers.calls[-1] == ("lift_stage", "beta")


def test_a_failed_service_is_recorded_and_the_cycle_goes_on(tmp_path: Path) -> None:
    drivers = FakeDrivers()
    drivers.audit_down = True
    cycle = orchestrator(tmp_path, drivers, ManualClock(START)).run_cycle("ops")
    audit = next(step for step in cycle.steps if step.name == "audit")
    assert not audit.ok and "auditor unreachable" in audit.detail
    assert [s.name for s in cycle.steps if s.ok] == ["poll", "lifecycle", "allocate"]


def test_bad_overrides_are_refused_by_field_and_log_nothing(tmp_path: Path) -> None:
    orch = orchestrator(tmp_path, FakeDrivers(), ManualClock(START))
    with pytest.raises(InvalidArgument) as no_reason:
        orch.pin("alpha", 1.0, "ops", " ", None)
    assert no_reason.value.field == "reason"
    with pytest.raises(InvalidArgument) as past:
        orch.freeze("ops", "why", START - timedelta(seconds=1))
    assert past.value.field == "expire_time"
    with pytest.raises(InvalidArgument) as stage:
        orch.force_stage("alpha", "nirvana", "ops", "why", None)
    assert stage.value.field == "stage"
    with pytest.raises(NotFound):
        orch.pin("ghost", 1.0, "ops", "why", None)
    assert orch.overrides(active_only=False, pod_id="") == []
