"""Serve a strategy as a pod: gRPC server, strategy thread, self-registration, clean shutdown."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass

import grpc
from slipstream_api.v1 import constitution_pb2, constitution_pb2_grpc, federation_pb2, federation_pb2_grpc

from slipstream.pod.gateway_book import GatewayBook, GatewayMarket
from slipstream.pod.market import RandomWalkMarket
from slipstream.pod.runtime import PodRuntime
from slipstream.pod.servicer import ConstitutionServicer
from slipstream.pod.strategy import Strategy
from slipstream.pod.volatility import VolatilityFeed
from slipstream.transport import auth, convert
from slipstream.transport import tls as transport_tls
from slipstream.transport.errors import describe_rpc_error
from slipstream.transport.server import RunningServer, Service, start_server
from slipstream.transport.tls import ClientTls, ServerTls, open_aio_channel

log = logging.getLogger(__name__)

TOKEN_ENV = "SLIPSTREAM_POD_TOKEN"
_PERMANENT = {grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED}


@dataclass
class ServingPod:
    runtime: PodRuntime
    server: RunningServer

    async def stop(self) -> None:
        self.runtime.stop()
        await self.server.stop(0.5)


async def start_pod(
    runtime: PodRuntime,
    token: str,
    listen: str = "127.0.0.1:0",
    *,
    ticking: bool = True,
    tls: ServerTls | None = None,
) -> ServingPod:
    """Start the pod's server and (when `ticking`) its strategy thread; the caller owns shutdown.

    Without the thread the caller drives `runtime.tick()` itself: a replay in simulated time.
    With `tls` the pod serves TLS only (mutual TLS when it names a client CA).
    """
    servicer = ConstitutionServicer(runtime)
    service = Service(
        servicer,
        constitution_pb2_grpc.add_ConstitutionServiceServicer_to_server,
        constitution_pb2.DESCRIPTOR.services_by_name["ConstitutionService"].full_name,
    )
    # The pod knows one token, its own: the federation calls with it.
    server = await start_server([service], listen, tls=tls, tokens=auth.Tokens(pods={runtime.pod_id: token}))
    if ticking:
        runtime.start()
    return ServingPod(runtime, server)


async def register(
    runtime: PodRuntime,
    token: str,
    federation: str,
    address: str,
    give_up_after_s: float,
    tls: ClientTls | None = None,
) -> None:
    """Register with the federation, retrying transient failures with backoff."""
    request = federation_pb2.RegisterPodRequest(
        pod_id=runtime.pod_id,
        address=address,
        language=runtime.language,
        execution_intent=convert.intent_to_pb(runtime.strategy.execution_intent),
    )
    delay = 0.1
    loop = asyncio.get_running_loop()
    deadline = loop.time() + give_up_after_s
    async with open_aio_channel(federation, tls) as channel:
        stub = federation_pb2_grpc.FederationServiceStub(channel)
        while True:
            try:
                await stub.RegisterPod(request, metadata=auth.bearer_metadata(token), timeout=2.0)
                log.info("pod %s registered with %s as %s", runtime.pod_id, federation, address)
                return
            except grpc.aio.AioRpcError as error:
                if error.code() in _PERMANENT or loop.time() + delay > deadline:
                    raise
                log.info("pod %s: registration failed (%s); retrying", runtime.pod_id, describe_rpc_error(error))
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)


async def serve_pod(
    runtime: PodRuntime,
    token: str,
    *,
    listen: str,
    federation: str | None,
    advertise_host: str = "127.0.0.1",
    duration_s: float | None = None,
    server_tls: ServerTls | None = None,
    client_tls: ClientTls | None = None,
) -> None:
    """Serve until SIGINT/SIGTERM (or `duration_s`), registering with `federation` if given."""
    pod = await start_pod(runtime, token, listen, tls=server_tls)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    print(f"pod {runtime.pod_id} listening on {advertise_host}:{pod.server.port}", flush=True)
    try:
        if federation:
            address = f"{advertise_host}:{pod.server.port}"
            await register(runtime, token, federation, address, give_up_after_s=60.0, tls=client_tls)
        try:
            await asyncio.wait_for(stop.wait(), timeout=duration_s)
        except TimeoutError:
            pass
    finally:
        await pod.stop()


def pod_main(
    make_strategy: Callable[[], Strategy],
    default_pod_id: str,
    start_prices: dict[str, float],
    runtime_class: type[PodRuntime] = PodRuntime,
) -> None:
    """Command-line entry point shared by the example pods."""
    parser = argparse.ArgumentParser(description=f"Run the {default_pod_id} example pod.")
    parser.add_argument("--pod-id", default=default_pod_id)
    parser.add_argument("--listen", default="127.0.0.1:0", help="host:port to serve on (port 0 = any free)")
    parser.add_argument("--federation", default=None, help="federation address to register with")
    parser.add_argument("--seed", type=int, default=7, help="seed of the simulated prices")
    parser.add_argument("--duration", type=float, default=None, help="stop after this many seconds")
    parser.add_argument("--lake", default=None, help="data lake address, for the central volatility forecasts")
    parser.add_argument("--gateway", default=None, help="execution gateway address: trade there, not on local paper")
    transport_tls.add_server_arguments(parser)
    transport_tls.add_client_arguments(parser)
    args = parser.parse_args()
    token = os.environ.get(TOKEN_ENV)
    if not token:
        parser.error(f"set the pod's token in the environment variable {TOKEN_ENV}")
    try:
        server_tls, client_tls = transport_tls.server_tls_from_args(args), transport_tls.client_tls_from_args(args)
    except transport_tls.TlsConfigError as error:
        parser.error(str(error))
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    run_pod(
        make_strategy(),
        pod_id=args.pod_id,
        token=token,
        start_prices=start_prices,
        listen=args.listen,
        federation=args.federation,
        seed=args.seed,
        duration_s=args.duration,
        lake=args.lake,
        gateway=args.gateway,
        runtime_class=runtime_class,
        server_tls=server_tls,
        client_tls=client_tls,
    )


def run_pod(
    strategy: Strategy,
    *,
    pod_id: str,
    token: str,
    start_prices: dict[str, float],
    listen: str = "127.0.0.1:0",
    federation: str | None = None,
    seed: int = 7,
    duration_s: float | None = None,
    lake: str | None = None,
    gateway: str | None = None,
    runtime_class: type[PodRuntime] = PodRuntime,
    server_tls: ServerTls | None = None,
    client_tls: ClientTls | None = None,
) -> None:
    """Run `strategy` as a pod in this process until interrupted (or for `duration_s`).

    With `lake`, the pod follows the central volatility forecasts of its symbols, reading
    with its own token (the lake must list it under `[pod_tokens]`). With `gateway`, it trades through
    the execution gateway at the gateway's prices instead of on a local paper account.
    `server_tls` secures the pod's own endpoint; `client_tls` every service it dials.
    """
    feed = VolatilityFeed(lake, token, strategy.symbols, client_tls) if lake else None
    if gateway:
        runtime = runtime_class(
            pod_id,
            strategy,
            GatewayMarket(gateway, token, strategy.symbols, client_tls),
            account=GatewayBook(gateway, token, tls=client_tls),
            volatility=feed,
        )
    else:
        market = RandomWalkMarket({s: start_prices[s] for s in strategy.symbols}, seed=seed)
        runtime = runtime_class(pod_id, strategy, market, volatility=feed)
    asyncio.run(
        serve_pod(
            runtime,
            token,
            listen=listen,
            federation=federation,
            duration_s=duration_s,
            server_tls=server_tls,
            client_tls=client_tls,
        )
    )
