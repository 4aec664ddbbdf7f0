"""How the federation reaches pods: a transport-neutral protocol and its gRPC implementation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import grpc
from slipstream_api.v1 import constitution_pb2 as pb
from slipstream_api.v1 import constitution_pb2_grpc as pb_grpc

from slipstream.core.errors import SlipstreamError
from slipstream.core.model import HaltCommand, HaltOutcome, PodConfig, PodStatus
from slipstream.transport import auth, convert
from slipstream.transport.errors import describe_rpc_error
from slipstream.transport.tls import ClientTls, open_aio_channel


@dataclass(frozen=True)
class PodTarget:
    pod_id: str
    address: str
    token: str


class PodCallFailed(Exception):
    """A call to a pod failed; `timed_out` separates a missed deadline from an error answer."""

    def __init__(self, message: str, *, timed_out: bool) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class PodClient(Protocol):
    async def status(self, target: PodTarget, timeout_s: float) -> PodStatus: ...

    async def configure(self, target: PodTarget, config: PodConfig, timeout_s: float) -> PodConfig: ...

    async def halt(self, target: PodTarget, command: HaltCommand, timeout_s: float) -> HaltOutcome: ...

    async def close(self) -> None: ...


class GrpcPodClient:
    """One cached channel per pod address, reused across polls so a call costs one round trip.

    With `tls`, pods are dialled over TLS (and mTLS when it carries a client certificate)."""

    def __init__(self, tls: ClientTls | None = None) -> None:
        self._tls = tls
        self._channels: dict[str, grpc.aio.Channel] = {}

    def channel(self, address: str) -> grpc.aio.Channel:
        channel = self._channels.get(address)
        if channel is None:
            channel = open_aio_channel(address, self._tls)
            self._channels[address] = channel
        return channel

    def _stub(self, address: str) -> pb_grpc.ConstitutionServiceStub:
        return pb_grpc.ConstitutionServiceStub(self.channel(address))

    async def status(self, target: PodTarget, timeout_s: float) -> PodStatus:
        response = await self._call(target, "Status", pb.StatusRequest(), timeout_s)
        try:
            return convert.status_from_pb(response.status)
        except SlipstreamError as error:
            raise PodCallFailed(f"pod sent an invalid status: {error}", timed_out=False) from None

    async def configure(self, target: PodTarget, config: PodConfig, timeout_s: float) -> PodConfig:
        request = pb.ConfigureRequest(config=convert.config_to_pb(config))
        response = await self._call(target, "Configure", request, timeout_s)
        return convert.stored_config_from_pb(response.config)

    async def halt(self, target: PodTarget, command: HaltCommand, timeout_s: float) -> HaltOutcome:
        request = pb.HaltRequest(
            reason=convert.halt_reason_to_pb(command.reason),
            requested_by=command.requested_by,
            cancel_open_orders=command.cancel_open_orders,
            note=command.note,
            config_version=command.config_version,
        )
        response = await self._call(target, "Halt", request, timeout_s)
        return HaltOutcome(
            already_halted=response.already_halted,
            cancelled_order_count=response.cancelled_order_count,
            halt_time=convert.timestamp_from_pb(response.halt_time),
        )

    async def _call(self, target: PodTarget, method: str, request: object, timeout_s: float):  # type: ignore[no-untyped-def]
        stub = self._stub(target.address)
        try:
            return await getattr(stub, method)(request, metadata=auth.bearer_metadata(target.token), timeout=timeout_s)
        except grpc.aio.AioRpcError as error:
            raise PodCallFailed(
                describe_rpc_error(error), timed_out=error.code() is grpc.StatusCode.DEADLINE_EXCEEDED
            ) from None

    async def close(self) -> None:
        channels, self._channels = self._channels, {}
        for channel in channels.values():
            await channel.close()
