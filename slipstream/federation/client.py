"""A synchronous client of the FederationService for the CLI, the demo and scripts."""

from __future__ import annotations

from datetime import timedelta

from slipstream_api.v1 import federation_pb2 as pb
from slipstream_api.v1 import federation_pb2_grpc as pb_grpc

from slipstream.core.model import HaltReason, PodLimits
from slipstream.transport import auth, convert
from slipstream.transport.tls import ClientTls, open_channel


class FederationClient:
    def __init__(self, address: str, token: str, timeout_s: float = 10.0, tls: ClientTls | None = None) -> None:
        self._channel = open_channel(address, tls)
        self._stub = pb_grpc.FederationServiceStub(self._channel)
        self._metadata = auth.bearer_metadata(token)
        self._timeout_s = timeout_s

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> FederationClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def list_pods(self) -> list[pb.Pod]:
        return list(self._stub.ListPods(pb.ListPodsRequest(), metadata=self._metadata, timeout=self._timeout_s).pods)

    def get_pod(self, pod_id: str) -> pb.Pod:
        request = pb.GetPodRequest(pod_id=pod_id)
        return self._stub.GetPod(request, metadata=self._metadata, timeout=self._timeout_s).pod

    def snapshots(self, pod_id: str, max_count: int = 0) -> list[pb.PodSnapshot]:
        request = pb.ListPodSnapshotsRequest(pod_id=pod_id, max_count=max_count)
        return list(self._stub.ListPodSnapshots(request, metadata=self._metadata, timeout=self._timeout_s).snapshots)

    def halt(
        self, pod_id: str, reason: HaltReason, requested_by: str, note: str = "", cancel_open_orders: bool = True
    ) -> pb.PodHaltResult:
        request = pb.HaltPodRequest(
            pod_id=pod_id,
            reason=convert.halt_reason_to_pb(reason),
            requested_by=requested_by,
            note=note,
            cancel_open_orders=cancel_open_orders,
        )
        return self._stub.HaltPod(request, metadata=self._metadata, timeout=self._timeout_s).result

    def halt_all(
        self,
        reason: HaltReason,
        requested_by: str,
        note: str = "",
        cancel_open_orders: bool = True,
        timeout: timedelta = timedelta(seconds=2),
    ) -> pb.HaltAllPodsResponse:
        request = pb.HaltAllPodsRequest(
            reason=convert.halt_reason_to_pb(reason),
            requested_by=requested_by,
            note=note,
            cancel_open_orders=cancel_open_orders,
            timeout=convert.duration_to_pb(timeout),
        )
        return self._stub.HaltAllPods(request, metadata=self._metadata, timeout=timeout.total_seconds() + 5)

    def resume(self, pod_id: str, requested_by: str, note: str = "") -> pb.ResumePodResponse:
        request = pb.ResumePodRequest(pod_id=pod_id, requested_by=requested_by, note=note)
        return self._stub.ResumePod(request, metadata=self._metadata, timeout=self._timeout_s)

    def push_config(
        self, pod_id: str, limits: PodLimits, parameters: dict[str, str], requested_by: str
    ) -> pb.PushPodConfigResponse:
        request = pb.PushPodConfigRequest(
            pod_id=pod_id, limits=convert.limits_to_pb(limits), parameters=parameters, requested_by=requested_by
        )
        return self._stub.PushPodConfig(request, metadata=self._metadata, timeout=self._timeout_s)
