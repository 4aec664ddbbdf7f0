"""One federation cycle, the same in real and simulated time, and the operator's overrides.

A cycle drives the services in order: poll (the federation's view of every pod), audit, the
lifecycle evaluation, then allocation with the operator's pins (observe only while allocation is
frozen). A step whose service fails is recorded as failed and the cycle goes on: allocation on the
last known stages is better than none, and the record says what was missing. Overrides are logged
before they act, so the log has every one even when the act then fails.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from slipstream.analytics.lifecycle import Stage
from slipstream.core.clock import Clock
from slipstream.core.errors import FailedPrecondition, InvalidArgument, NotFound
from slipstream.core.model import HaltReason
from slipstream.orchestrator.overrides import Override, OverrideKind, check_request
from slipstream.orchestrator.store import OrchestratorStore

log = logging.getLogger(__name__)
STAGES = tuple(stage.value for stage in Stage)


class Drivers(Protocol):
    """The services a cycle and the overrides act through (gRPC clients, or fakes in tests)."""

    def registered_pods(self) -> list[str]: ...

    def poll(self) -> str: ...

    def audit(self) -> str: ...

    def evaluate_lifecycles(self, requested_by: str) -> str: ...

    def allocate(self, apply: bool, pins: dict[str, tuple[float, str]], requested_by: str) -> tuple[int, str]: ...

    def force_stage(self, pod_id: str, stage: str, requested_by: str, reason: str, expire: datetime | None) -> None: ...

    def lift_stage(self, pod_id: str, requested_by: str, reason: str) -> None: ...

    def halt(self, pod_id: str, halt_reason: HaltReason, requested_by: str, reason: str) -> None: ...

    def resume(self, pod_id: str, requested_by: str, reason: str) -> None: ...


@dataclass(frozen=True)
class Step:
    name: str
    ok: bool
    detail: str
    duration_s: float


@dataclass(frozen=True)
class FederationCycle:
    cycle_id: int
    cycle_time: datetime
    steps: tuple[Step, ...]
    allocation_cycle_id: int
    frozen: bool
    pinned_pod_ids: tuple[str, ...]
    requested_by: str

    def to_json(self) -> dict[str, object]:
        return {
            "cycle_id": self.cycle_id,
            "cycle_time": self.cycle_time.isoformat(),
            "steps": [vars(step) for step in self.steps],
            "allocation_cycle_id": self.allocation_cycle_id,
            "frozen": self.frozen,
            "pinned_pod_ids": list(self.pinned_pod_ids),
            "requested_by": self.requested_by,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> FederationCycle:
        steps = data["steps"]
        assert isinstance(steps, list)
        return cls(
            cycle_id=int(str(data["cycle_id"])),
            cycle_time=datetime.fromisoformat(str(data["cycle_time"])),
            steps=tuple(Step(**step) for step in steps),
            allocation_cycle_id=int(str(data["allocation_cycle_id"])),
            frozen=bool(data["frozen"]),
            pinned_pod_ids=tuple(str(p) for p in data["pinned_pod_ids"]),  # type: ignore[attr-defined]
            requested_by=str(data["requested_by"]),
        )


class Orchestrator:
    def __init__(self, drivers: Drivers, store: OrchestratorStore, clock: Clock) -> None:
        self.drivers = drivers
        self.store = store
        self.clock = clock

    def active(self, kind: OverrideKind | None = None, pod_id: str = "") -> list[Override]:
        now = self.clock.now()
        return [
            o
            for o in self.store.overrides()
            if o.active(now) and (kind is None or o.kind is kind) and (not pod_id or o.pod_id == pod_id)
        ]

    def run_cycle(self, requested_by: str) -> FederationCycle:
        if not requested_by.strip():
            raise InvalidArgument("requested_by", "must not be empty")
        pins = {o.pod_id: (float(o.capital_usd or 0.0), o.reason) for o in self.active(OverrideKind.PIN_ALLOCATION)}
        frozen = bool(self.active(OverrideKind.FREEZE_ALLOCATION))
        steps = [
            self._step("poll", self.drivers.poll),
            self._step("audit", self.drivers.audit),
            self._step("lifecycle", lambda: self.drivers.evaluate_lifecycles(requested_by)),
        ]
        allocation_id = 0

        def allocate() -> str:
            nonlocal allocation_id
            allocation_id, detail = self.drivers.allocate(not frozen, pins, requested_by)
            return detail + (" (frozen: observed, not pushed)" if frozen else "")

        steps.append(self._step("allocate", allocate))
        cycle = FederationCycle(
            cycle_id=self.store.next_cycle_id(),
            cycle_time=self.clock.now(),
            steps=tuple(steps),
            allocation_cycle_id=allocation_id,
            frozen=frozen,
            pinned_pod_ids=tuple(sorted(pins)),
            requested_by=requested_by,
        )
        self.store.add_cycle(cycle.cycle_id, cycle.to_json())
        return cycle

    def _step(self, name: str, action: Callable[[], str]) -> Step:
        started = time.perf_counter()
        try:
            detail, ok = action(), True
        except Exception as error:  # a failed service is recorded, not fatal to the cycle
            log.warning("cycle step %s failed: %s", name, error)
            detail, ok = f"failed: {_describe(error)}", False
        return Step(name, ok, detail, time.perf_counter() - started)

    def cycles(self, max_count: int) -> list[FederationCycle]:
        if not 0 <= max_count <= 10_000:
            raise InvalidArgument("max_count", "must be between 0 and 10000")
        return [FederationCycle.from_json(body) for body in self.store.cycles(max_count or 100)]

    def _pod(self, pod_id: str) -> None:
        if not pod_id:
            raise InvalidArgument("pod_id", "must not be empty")
        if pod_id not in self.drivers.registered_pods():
            raise NotFound(f"pod {pod_id!r} is not registered")

    def pin(self, pod_id: str, capital_usd: float, by: str, reason: str, expire: datetime | None) -> Override:
        now = self.clock.now()
        check_request(by, reason, now, expire)
        if not capital_usd >= 0:
            raise InvalidArgument("capital_usd", "must be >= 0")
        self._pod(pod_id)
        for earlier in self.active(OverrideKind.PIN_ALLOCATION, pod_id):
            self._lift(earlier, by, "replaced by a new pin")
        return self.store.add_override(
            Override(
                0, OverrideKind.PIN_ALLOCATION, pod_id, by, reason, now, capital_usd=capital_usd, expire_time=expire
            )
        )

    def freeze(self, by: str, reason: str, expire: datetime | None) -> Override:
        now = self.clock.now()
        check_request(by, reason, now, expire)
        return self.store.add_override(
            Override(0, OverrideKind.FREEZE_ALLOCATION, "", by, reason, now, expire_time=expire)
        )

    def force_stage(self, pod_id: str, stage: str, by: str, reason: str, expire: datetime | None) -> Override:
        now = self.clock.now()
        check_request(by, reason, now, expire)
        if stage not in STAGES:
            raise InvalidArgument("stage", f"must be one of {', '.join(STAGES)}")
        self._pod(pod_id)
        logged = self.store.add_override(
            Override(0, OverrideKind.FORCE_STAGE, pod_id, by, reason, now, stage=stage, expire_time=expire)
        )
        self.drivers.force_stage(pod_id, stage, by, reason, expire)
        return logged

    def halt(self, pod_id: str, halt_reason: HaltReason, by: str, reason: str) -> Override:
        check_request(by, reason, self.clock.now(), None)
        self._pod(pod_id)
        logged = self.store.add_override(
            Override(0, OverrideKind.HALT, pod_id, by, f"{halt_reason.value}: {reason}", self.clock.now())
        )
        self.drivers.halt(pod_id, halt_reason, by, reason)
        return logged

    def resume(self, pod_id: str, by: str, reason: str) -> Override:
        check_request(by, reason, self.clock.now(), None)
        self._pod(pod_id)
        logged = self.store.add_override(Override(0, OverrideKind.RESUME, pod_id, by, reason, self.clock.now()))
        self.drivers.resume(pod_id, by, reason)
        return logged

    def lift(self, override_id: int, by: str, reason: str) -> Override:
        check_request(by, reason, self.clock.now(), None)
        override = self.store.override(override_id)
        if override is None:
            raise NotFound(f"no override {override_id}")
        if not override.active(self.clock.now()):
            raise FailedPrecondition(f"override {override_id} no longer holds (lifted, expired, or done at once)")
        lifted = self._lift(override, by, reason)
        if override.kind is OverrideKind.FORCE_STAGE:
            self.drivers.lift_stage(override.pod_id, by, reason)
        return lifted

    def _lift(self, override: Override, by: str, reason: str) -> Override:
        lifted = replace(override, lift_time=self.clock.now(), lifted_by=by, lift_reason=reason)
        self.store.update_override(lifted)
        return lifted

    def overrides(self, active_only: bool, pod_id: str) -> list[Override]:
        now = self.clock.now()
        return [
            o
            for o in self.store.overrides()
            if (not active_only or o.active(now)) and (not pod_id or o.pod_id == pod_id)
        ]

    async def run_every(self, interval_s: float, stop: asyncio.Event) -> None:
        """Real time: a cycle every `interval_s` until `stop` (the replay calls `run_cycle` itself)."""
        while not stop.is_set():
            await asyncio.to_thread(self.run_cycle, "schedule")
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval_s)
            except TimeoutError:
                pass


def _describe(error: Exception) -> str:
    code = getattr(error, "code", None)
    if callable(code):
        return f"{code().name}: {getattr(error, 'details', lambda: '')()}"
    return str(error) or type(error).__name__
