"""OrchestratorService over the Orchestrator: translate, check access, run blocking work off the loop."""

from __future__ import annotations

import asyncio
from datetime import datetime
from decimal import Decimal

import grpc
from google.protobuf.timestamp_pb2 import Timestamp
from slipstream_api.v1 import common_pb2
from slipstream_api.v1 import orchestrator_pb2 as pb
from slipstream_api.v1 import orchestrator_pb2_grpc as pb_grpc

from slipstream.analytics.lifecycle import Stage
from slipstream.analytics.servicer import stage_from_pb, stage_to_pb
from slipstream.core.decimals import format_decimal, parse_decimal
from slipstream.orchestrator.core import FederationCycle, Orchestrator
from slipstream.orchestrator.overrides import Override, OverrideKind
from slipstream.transport import convert
from slipstream.transport.errors import rpc_method

_KIND = {
    OverrideKind.PIN_ALLOCATION: pb.OVERRIDE_KIND_PIN_ALLOCATION,
    OverrideKind.FREEZE_ALLOCATION: pb.OVERRIDE_KIND_FREEZE_ALLOCATION,
    OverrideKind.FORCE_STAGE: pb.OVERRIDE_KIND_FORCE_STAGE,
    OverrideKind.HALT: pb.OVERRIDE_KIND_HALT,
    OverrideKind.RESUME: pb.OVERRIDE_KIND_RESUME,
}


def _expire(
    message: pb.PinAllocationRequest | pb.FreezeAllocationRequest | pb.ForceLifecycleStageRequest,
) -> datetime | None:
    return convert.timestamp_field(message.expire_time, "expire_time") if message.HasField("expire_time") else None


def _timestamp(moment: datetime | None) -> Timestamp | None:
    return convert.timestamp_to_pb(moment) if moment is not None else None


def _stage_to_pb(stage: str) -> common_pb2.LifecycleStage.ValueType:
    return stage_to_pb(Stage(stage)) if stage else common_pb2.LIFECYCLE_STAGE_UNSPECIFIED


def override_to_pb(override: Override, now: datetime) -> pb.Override:
    return pb.Override(
        override_id=override.override_id,
        kind=_KIND[override.kind],
        pod_id=override.pod_id,
        capital_usd="" if override.capital_usd is None else format_decimal(Decimal(repr(override.capital_usd))),
        stage=_stage_to_pb(override.stage),
        requested_by=override.requested_by,
        reason=override.reason,
        create_time=convert.timestamp_to_pb(override.create_time),
        expire_time=_timestamp(override.expire_time),
        lift_time=_timestamp(override.lift_time),
        lifted_by=override.lifted_by,
        lift_reason=override.lift_reason,
        active=override.active(now),
    )


def cycle_to_pb(cycle: FederationCycle) -> pb.FederationCycle:
    return pb.FederationCycle(
        cycle_id=cycle.cycle_id,
        cycle_time=convert.timestamp_to_pb(cycle.cycle_time),
        steps=[pb.CycleStep(name=s.name, ok=s.ok, detail=s.detail, duration_seconds=s.duration_s) for s in cycle.steps],
        allocation_cycle_id=cycle.allocation_cycle_id,
        frozen=cycle.frozen,
        pinned_pod_ids=list(cycle.pinned_pod_ids),
        requested_by=cycle.requested_by,
    )


class OrchestratorServicer(pb_grpc.OrchestratorServiceServicer):
    def __init__(self, orchestrator: Orchestrator) -> None:
        self._orchestrator = orchestrator
        # One cycle at a time, and overrides never interleave with one.
        self._lock = asyncio.Lock()

    def _logged(self, override: Override) -> pb.Override:
        return override_to_pb(override, self._orchestrator.clock.now())

    @rpc_method
    async def RunFederationCycle(
        self, request: pb.RunFederationCycleRequest, context: grpc.aio.ServicerContext
    ) -> pb.RunFederationCycleResponse:
        async with self._lock:
            cycle = await asyncio.to_thread(self._orchestrator.run_cycle, request.requested_by)
        return pb.RunFederationCycleResponse(cycle=cycle_to_pb(cycle))

    @rpc_method
    async def ListFederationCycles(
        self, request: pb.ListFederationCyclesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListFederationCyclesResponse:
        cycles = self._orchestrator.cycles(request.max_count)
        return pb.ListFederationCyclesResponse(cycles=[cycle_to_pb(c) for c in cycles])

    @rpc_method
    async def PinAllocation(
        self, request: pb.PinAllocationRequest, context: grpc.aio.ServicerContext
    ) -> pb.PinAllocationResponse:
        usd = float(parse_decimal(request.capital_usd, "capital_usd", non_negative=True))
        async with self._lock:
            override = await asyncio.to_thread(
                self._orchestrator.pin, request.pod_id, usd, request.requested_by, request.reason, _expire(request)
            )
        return pb.PinAllocationResponse(override=self._logged(override))

    @rpc_method
    async def FreezeAllocation(
        self, request: pb.FreezeAllocationRequest, context: grpc.aio.ServicerContext
    ) -> pb.FreezeAllocationResponse:
        async with self._lock:
            override = self._orchestrator.freeze(request.requested_by, request.reason, _expire(request))
        return pb.FreezeAllocationResponse(override=self._logged(override))

    @rpc_method
    async def ForceLifecycleStage(
        self, request: pb.ForceLifecycleStageRequest, context: grpc.aio.ServicerContext
    ) -> pb.ForceLifecycleStageResponse:
        stage = stage_from_pb(request.stage, "stage").value
        async with self._lock:
            override = await asyncio.to_thread(
                self._orchestrator.force_stage,
                request.pod_id,
                stage,
                request.requested_by,
                request.reason,
                _expire(request),
            )
        return pb.ForceLifecycleStageResponse(override=self._logged(override))

    @rpc_method
    async def HaltPodWithReason(
        self, request: pb.HaltPodWithReasonRequest, context: grpc.aio.ServicerContext
    ) -> pb.HaltPodWithReasonResponse:
        halt_reason = convert.halt_reason_from_pb(request.halt_reason, "halt_reason")
        async with self._lock:
            override = await asyncio.to_thread(
                self._orchestrator.halt, request.pod_id, halt_reason, request.requested_by, request.reason
            )
        return pb.HaltPodWithReasonResponse(override=self._logged(override))

    @rpc_method
    async def ResumePodWithReason(
        self, request: pb.ResumePodWithReasonRequest, context: grpc.aio.ServicerContext
    ) -> pb.ResumePodWithReasonResponse:
        async with self._lock:
            override = await asyncio.to_thread(
                self._orchestrator.resume, request.pod_id, request.requested_by, request.reason
            )
        return pb.ResumePodWithReasonResponse(override=self._logged(override))

    @rpc_method
    async def LiftOverride(
        self, request: pb.LiftOverrideRequest, context: grpc.aio.ServicerContext
    ) -> pb.LiftOverrideResponse:
        async with self._lock:
            override = await asyncio.to_thread(
                self._orchestrator.lift, request.override_id, request.requested_by, request.reason
            )
        return pb.LiftOverrideResponse(override=self._logged(override))

    @rpc_method
    async def ListOverrides(
        self, request: pb.ListOverridesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListOverridesResponse:
        overrides = self._orchestrator.overrides(request.active_only, request.pod_id)
        return pb.ListOverridesResponse(overrides=[self._logged(o) for o in overrides])
