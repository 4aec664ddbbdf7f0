"""FederationService over the Federation core: authorise, translate, delegate."""

from __future__ import annotations

from datetime import timedelta

import grpc
from slipstream_api.v1 import federation_pb2 as pb
from slipstream_api.v1 import federation_pb2_grpc as pb_grpc

from slipstream.core.decimals import format_decimal
from slipstream.core.model import HaltCommand
from slipstream.federation.core import Federation
from slipstream.federation.registry import Connectivity, HaltOutcomeKind, PodHaltResult, PodRecord
from slipstream.transport import auth, convert
from slipstream.transport.errors import rpc_method

DEFAULT_TIMEOUT = timedelta(seconds=2)
MAX_TIMEOUT = timedelta(seconds=60)

_CONNECTIVITY = {
    Connectivity.PENDING: pb.CONNECTIVITY_PENDING,
    Connectivity.REACHABLE: pb.CONNECTIVITY_REACHABLE,
    Connectivity.LAGGING: pb.CONNECTIVITY_LAGGING,
    Connectivity.UNREACHABLE: pb.CONNECTIVITY_UNREACHABLE,
}
_HALT_OUTCOME = {
    HaltOutcomeKind.HALTED: pb.POD_HALT_OUTCOME_HALTED,
    HaltOutcomeKind.ALREADY_HALTED: pb.POD_HALT_OUTCOME_ALREADY_HALTED,
    HaltOutcomeKind.TIMEOUT: pb.POD_HALT_OUTCOME_TIMEOUT,
    HaltOutcomeKind.FAILED: pb.POD_HALT_OUTCOME_FAILED,
}


def pod_to_pb(record: PodRecord) -> pb.Pod:
    message = pb.Pod(
        pod_id=record.pod_id,
        address=record.address,
        language=record.language,
        execution_intent=convert.intent_to_pb(record.execution_intent),
        connectivity=_CONNECTIVITY[record.connectivity],
        missed_poll_count=record.missed_poll_count,
        desired_trading_state=convert.trading_state_to_pb(record.desired_config.trading_state),
        desired_config=convert.config_to_pb(record.desired_config),
        register_time=convert.timestamp_to_pb(record.register_time),
        health=convert.health_to_pb(record.health),
    )
    if record.last_status is not None:
        message.last_status.CopyFrom(convert.status_to_pb(record.last_status))
    if record.last_poll_time is not None:
        message.last_poll_time.CopyFrom(convert.timestamp_to_pb(record.last_poll_time))
    return message


def halt_result_to_pb(result: PodHaltResult) -> pb.PodHaltResult:
    return pb.PodHaltResult(
        pod_id=result.pod_id,
        outcome=_HALT_OUTCOME[result.outcome],
        error_message=result.error_message,
        latency=convert.duration_to_pb(result.latency),
    )


def _halt_request(request: pb.HaltPodRequest | pb.HaltAllPodsRequest) -> tuple[HaltCommand, timedelta]:
    command = HaltCommand(
        reason=convert.halt_reason_from_pb(request.reason, "reason"),
        requested_by=request.requested_by,
        cancel_open_orders=request.cancel_open_orders,
        note=request.note,
    )
    timeout = convert.duration_from_pb(request.timeout, "timeout", default=DEFAULT_TIMEOUT, maximum=MAX_TIMEOUT)
    return command, timeout


class FederationServicer(pb_grpc.FederationServiceServicer):
    def __init__(self, federation: Federation) -> None:
        self._federation = federation

    @rpc_method
    async def RegisterPod(
        self, request: pb.RegisterPodRequest, context: grpc.aio.ServicerContext
    ) -> pb.RegisterPodResponse:
        principal = auth.caller()
        principal.require_own_pod(request.pod_id, "register")
        intent = convert.intent_from_pb(request.execution_intent, "execution_intent")
        record, created, issued = await self._federation.register(
            request.pod_id, request.address, request.language, intent, by_admin=principal.is_admin
        )
        return pb.RegisterPodResponse(pod=pod_to_pb(record), created=created, issued_token=issued)

    @rpc_method
    async def DeregisterPod(
        self, request: pb.DeregisterPodRequest, context: grpc.aio.ServicerContext
    ) -> pb.DeregisterPodResponse:
        principal = auth.caller()
        principal.require_own_pod(request.pod_id, "deregister")
        self._federation.deregister(request.pod_id, principal.pod_id or "admin")
        return pb.DeregisterPodResponse()

    @rpc_method
    async def ListPods(self, request: pb.ListPodsRequest, context: grpc.aio.ServicerContext) -> pb.ListPodsResponse:
        return pb.ListPodsResponse(pods=[pod_to_pb(r) for r in self._federation.list_pods()])

    @rpc_method
    async def GetPod(self, request: pb.GetPodRequest, context: grpc.aio.ServicerContext) -> pb.GetPodResponse:
        auth.caller().require_own_pod(request.pod_id, "read")
        return pb.GetPodResponse(pod=pod_to_pb(self._federation.get_pod(request.pod_id)))

    @rpc_method
    async def ListPodSnapshots(
        self, request: pb.ListPodSnapshotsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListPodSnapshotsResponse:
        auth.caller().require_own_pod(request.pod_id, "read")
        start = convert.timestamp_field(request.start_time, "start_time") if request.HasField("start_time") else None
        end = convert.timestamp_field(request.end_time, "end_time") if request.HasField("end_time") else None
        snapshots = self._federation.snapshots(request.pod_id, start, end, request.max_count)
        return pb.ListPodSnapshotsResponse(
            snapshots=[
                pb.PodSnapshot(
                    observe_time=convert.timestamp_to_pb(s.observe_time),
                    nav_usd=format_decimal(s.nav_usd),
                    realized_pnl_usd=format_decimal(s.realized_pnl_usd),
                    unrealized_pnl_usd=format_decimal(s.unrealized_pnl_usd),
                    net_exposure_usd=format_decimal(s.net_exposure_usd),
                    gross_exposure_usd=format_decimal(s.gross_exposure_usd),
                    capital_allocation_usd=format_decimal(s.capital_allocation_usd),
                    trading_state=convert.trading_state_to_pb(s.trading_state),
                    config_version=s.config_version,
                )
                for s in snapshots
            ]
        )

    @rpc_method
    async def HaltPod(self, request: pb.HaltPodRequest, context: grpc.aio.ServicerContext) -> pb.HaltPodResponse:
        command, timeout = _halt_request(request)
        result = await self._federation.halt(request.pod_id, command, timeout)
        return pb.HaltPodResponse(result=halt_result_to_pb(result))

    @rpc_method
    async def HaltAllPods(
        self, request: pb.HaltAllPodsRequest, context: grpc.aio.ServicerContext
    ) -> pb.HaltAllPodsResponse:
        command, timeout = _halt_request(request)
        results, elapsed = await self._federation.halt_all(command, timeout)
        return pb.HaltAllPodsResponse(
            results=[halt_result_to_pb(r) for r in results], elapsed=convert.duration_to_pb(elapsed)
        )

    @rpc_method
    async def ResumePod(self, request: pb.ResumePodRequest, context: grpc.aio.ServicerContext) -> pb.ResumePodResponse:
        config, delivered, error = await self._federation.resume(request.pod_id, request.requested_by, request.note)
        return pb.ResumePodResponse(config=convert.config_to_pb(config), delivered=delivered, error_message=error)

    @rpc_method
    async def PushPodConfig(
        self, request: pb.PushPodConfigRequest, context: grpc.aio.ServicerContext
    ) -> pb.PushPodConfigResponse:
        limits = convert.limits_from_pb(request.limits, "limits")
        parameters = convert.parameters_from_pb(dict(request.parameters), "parameters")
        config, delivered, error = await self._federation.push_config(
            request.pod_id, limits, parameters, request.requested_by
        )
        return pb.PushPodConfigResponse(config=convert.config_to_pb(config), delivered=delivered, error_message=error)
