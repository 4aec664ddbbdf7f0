"""The operator's overrides: what changed, who, why, until when, and whether it still holds."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from slipstream.core.errors import InvalidArgument


class OverrideKind(enum.Enum):
    PIN_ALLOCATION = "pin_allocation"
    FREEZE_ALLOCATION = "freeze_allocation"
    FORCE_STAGE = "force_stage"
    HALT = "halt"
    RESUME = "resume"

    @property
    def lasting(self) -> bool:
        """Pins, freezes and forced stages hold over time; a halt or resume is done at once (its effect
        lasts at the pod, recorded by the federation)."""
        return self not in (OverrideKind.HALT, OverrideKind.RESUME)


@dataclass(frozen=True)
class Override:
    override_id: int
    kind: OverrideKind
    pod_id: str
    requested_by: str
    reason: str
    create_time: datetime
    capital_usd: float | None = None
    stage: str = ""
    expire_time: datetime | None = None
    lift_time: datetime | None = None
    lifted_by: str = ""
    lift_reason: str = ""

    def active(self, now: datetime) -> bool:
        return self.kind.lasting and self.lift_time is None and (self.expire_time is None or now < self.expire_time)


def check_request(requested_by: str, reason: str, now: datetime, expire_time: datetime | None) -> None:
    """Every override names who and why; an expiry must be ahead, or it would never hold."""
    if not requested_by.strip():
        raise InvalidArgument("requested_by", "must not be empty")
    if not reason.strip():
        raise InvalidArgument("reason", "must not be empty")
    if expire_time is not None and expire_time <= now:
        raise InvalidArgument("expire_time", "must be in the future")
