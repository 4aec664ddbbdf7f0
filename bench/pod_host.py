"""Host many idle pods in one process, each with its own gRPC server, for the benchmarks.

Prints "pod ID listening on HOST:PORT" per pod. Tokens are "token-<pod id>" (benchmark only).
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from slipstream.core.model import ExecutionIntent
from slipstream.pod import PodContext, Strategy
from slipstream.pod.market import RandomWalkMarket
from slipstream.pod.runner import register, start_pod
from slipstream.pod.runtime import PodRuntime


class Idle(Strategy):
    symbols = ("BTC/USDT",)
    execution_intent = ExecutionIntent.MIXED
    tick_interval_seconds = 1.0

    def on_tick(self, ctx: PodContext) -> None:
        ctx.price("BTC/USDT")


async def main(pod_ids: list[str], federation: str | None) -> None:
    pods = []
    for pod_id in pod_ids:
        runtime = PodRuntime(pod_id, Idle(), RandomWalkMarket({"BTC/USDT": 60_000.0}, seed=1))
        pod = await start_pod(runtime, f"token-{pod_id}")
        pods.append(pod)
        print(f"pod {pod_id} listening on {pod.server.address}", flush=True)
        if federation:
            await register(runtime, f"token-{pod_id}", federation, pod.server.address, 30.0)
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    await stop.wait()
    await asyncio.gather(*(pod.stop() for pod in pods))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pod_ids", nargs="+")
    parser.add_argument("--federation", default=None)
    args = parser.parse_args()
    asyncio.run(main(args.pod_ids, args.federation))
