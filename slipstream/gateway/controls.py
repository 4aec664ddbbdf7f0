"""Where the gateway learns what each pod may do: the federation's desired state and limits.

The federation records a halt before it tells the pod, so polling its registry makes the
gateway enforce a halt within one poll interval even when the pod ignores Halt. It also
reports pods it cannot reach; the gateway notes, on its own clock, since when it has seen
each one UNREACHABLE, so the risk checks can block a pod that stayed out of reach too long.
"""

from __future__ import annotations

import asyncio
import logging

import grpc
from slipstream_api.v1 import federation_pb2

from slipstream.core.clock import Clock, SystemClock
from slipstream.federation.client import FederationClient
from slipstream.gateway.risk import PodControl
from slipstream.transport import convert
from slipstream.transport.tls import ClientTls

log = logging.getLogger(__name__)


class StaticControls:
    """Controls set in code (tests, or a gateway run without a federation)."""

    def __init__(self, controls: dict[str, PodControl] | None = None) -> None:
        self.controls = dict(controls or {})

    def __call__(self, pod_id: str) -> PodControl | None:
        return self.controls.get(pod_id)


class FederationControls:
    """Polls the federation's pod registry; until the first answer every pod is unconfigured."""

    def __init__(
        self,
        address: str,
        token: str,
        interval_s: float = 0.1,
        clock: Clock | None = None,
        tls: ClientTls | None = None,
    ) -> None:
        self._client = FederationClient(address, token, timeout_s=2.0, tls=tls)
        self._interval_s = interval_s
        self._clock = clock or SystemClock()
        self._controls: dict[str, PodControl] = {}
        self._task: asyncio.Task[None] | None = None

    def __call__(self, pod_id: str) -> PodControl | None:
        return self._controls.get(pod_id)

    def refresh(self) -> None:
        controls = {}
        for pod in self._client.list_pods():
            config = convert.stored_config_from_pb(pod.desired_config)
            if config.config_version > 0:
                controls[pod.pod_id] = PodControl(
                    config.trading_state, config.limits, self._unreachable_since(pod.pod_id, pod.connectivity)
                )
        self._controls = controls

    def _unreachable_since(self, pod_id: str, connectivity: int) -> float | None:
        previous = self._controls.get(pod_id)
        since = previous.unreachable_since if previous is not None else None
        if connectivity != federation_pb2.CONNECTIVITY_UNREACHABLE:
            if since is not None:
                log.info("pod %s is reachable again", pod_id)
            return None
        if since is None:
            log.warning("the federation reports pod %s unreachable", pod_id)
            since = self._clock.monotonic()
        return since

    def start(self) -> None:
        async def poll() -> None:
            while True:
                try:
                    await asyncio.to_thread(self.refresh)
                except grpc.RpcError as error:
                    log.warning("cannot read pod controls from the federation: %s", error.code())
                await asyncio.sleep(self._interval_s)

        self._task = asyncio.create_task(poll())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self._client.close()
