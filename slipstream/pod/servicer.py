"""ConstitutionService over a PodRuntime: protobuf in, domain calls, protobuf out."""

from __future__ import annotations

import grpc
from slipstream_api.v1 import common_pb2
from slipstream_api.v1 import constitution_pb2 as pb
from slipstream_api.v1 import constitution_pb2_grpc as pb_grpc

from slipstream.core.model import HaltCommand
from slipstream.pod.runtime import PodRuntime
from slipstream.transport import convert
from slipstream.transport.errors import rpc_method


class ConstitutionServicer(pb_grpc.ConstitutionServiceServicer):
    """Answers the centre; the server admits only the pod's own token (see `start_pod`)."""

    def __init__(self, runtime: PodRuntime) -> None:
        self._runtime = runtime
        self._cached: tuple[int, common_pb2.PodStatus] | None = None

    def _status_message(self) -> common_pb2.PodStatus:
        """Rebuild the report only when the pod's state moved; refresh the time-dependent fields."""
        version = self._runtime.state_version
        if self._cached is None or self._cached[0] != version:
            self._cached = (version, convert.status_to_pb(self._runtime.status()))
            return self._cached[1]
        message = self._cached[1]
        message.health = convert.health_to_pb(self._runtime.health())
        message.uptime.CopyFrom(convert.duration_to_pb(self._runtime.uptime()))
        message.report_time.CopyFrom(convert.timestamp_to_pb(self._runtime.clock.now()))
        return message

    @rpc_method
    async def Status(self, request: pb.StatusRequest, context: grpc.aio.ServicerContext) -> pb.StatusResponse:
        return pb.StatusResponse(status=self._status_message())

    @rpc_method
    async def Configure(self, request: pb.ConfigureRequest, context: grpc.aio.ServicerContext) -> pb.ConfigureResponse:
        config = convert.config_from_pb(request.config, "config")
        applied_config, applied = self._runtime.configure(config)
        return pb.ConfigureResponse(
            config=convert.config_to_pb(applied_config),
            applied=applied,
            trading_state=convert.trading_state_to_pb(self._runtime.control.trading_state),
        )

    @rpc_method
    async def Halt(self, request: pb.HaltRequest, context: grpc.aio.ServicerContext) -> pb.HaltResponse:
        command = HaltCommand(
            reason=convert.halt_reason_from_pb(request.reason, "reason"),
            requested_by=request.requested_by,
            cancel_open_orders=request.cancel_open_orders,
            note=request.note,
            config_version=request.config_version,
        )
        outcome = self._runtime.halt(command)
        return pb.HaltResponse(
            already_halted=outcome.already_halted,
            cancelled_order_count=outcome.cancelled_order_count,
            halt_time=convert.timestamp_to_pb(outcome.halt_time),
        )
