"""Domain records of the federation's registry."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from slipstream.core.model import ExecutionIntent, HaltCommand, Health, PodConfig, PodStatus


class Connectivity(enum.Enum):
    PENDING = "pending"
    REACHABLE = "reachable"
    LAGGING = "lagging"
    UNREACHABLE = "unreachable"


class HaltOutcomeKind(enum.Enum):
    HALTED = "halted"
    ALREADY_HALTED = "already_halted"
    TIMEOUT = "timeout"
    FAILED = "failed"


@dataclass(frozen=True)
class PodRecord:
    pod_id: str
    address: str
    language: str
    execution_intent: ExecutionIntent
    register_time: datetime
    connectivity: Connectivity
    missed_poll_count: int
    desired_config: PodConfig
    pending_halt: HaltCommand | None
    last_status: PodStatus | None
    last_poll_time: datetime | None

    @property
    def health(self) -> Health:
        """The pod's own health only while it is reachable; otherwise the telemetry is missing."""
        if self.connectivity is not Connectivity.REACHABLE or self.last_status is None:
            return Health.UNKNOWN
        return self.last_status.health


@dataclass(frozen=True)
class Snapshot:
    pod_id: str
    observe_time: datetime
    status: PodStatus


@dataclass(frozen=True)
class PodHaltResult:
    pod_id: str
    outcome: HaltOutcomeKind
    error_message: str
    latency: timedelta
