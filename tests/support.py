"""Test helpers: an event loop on a thread for the in-process servers, grpcurl, polling waits."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Coroutine
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from slipstream.core.model import ExecutionIntent
from slipstream.pod import PodContext, Strategy

T = TypeVar("T")
REPO_ROOT = Path(__file__).resolve().parent.parent


class LoopThread:
    """An asyncio loop on its own thread, so sync tests can drive grpc.aio servers."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="test-loop", daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout_s: float = 30.0) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout_s)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()


def eventually(predicate: Callable[[], T], timeout_s: float = 10.0, interval_s: float = 0.05) -> T:
    """Return the first truthy value of `predicate`, or fail after the timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_s}s (last value {value!r})")
        time.sleep(interval_s)


def grpcurl_binary() -> str:
    beside = Path(sys.executable).parent / "grpcurl"
    found = str(beside) if beside.exists() else shutil.which("grpcurl")
    assert found, "grpcurl not installed: pip install -e '.[dev]'"
    return found


def grpcurl(
    address: str, *args: str, data: dict[str, Any] | None = None, token: str | None = None
) -> subprocess.CompletedProcess[str]:
    argv = [grpcurl_binary(), "-plaintext", "-max-time", "10"]
    if token:
        argv += ["-H", f"authorization: Bearer {token}"]
    if data is not None:
        argv += ["-d", json.dumps(data)]
    argv += [address, *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=30)


def field_violation(error: grpc.RpcError) -> tuple[str, str]:
    """Return (field, description) of the BadRequest detail of a failed call."""
    status = rpc_status.from_call(error)  # type: ignore[arg-type]
    assert status is not None, f"no rich status on {error}"
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad_request = error_details_pb2.BadRequest()
            detail.Unpack(bad_request)
            violation = bad_request.field_violations[0]
            return violation.field, violation.description
    raise AssertionError(f"no BadRequest detail in {status}")


class TargetStrategy(Strategy):
    """Holds a fixed fraction of its capital long in BTC: easy to predict in tests."""

    symbols = ("BTC/USDT",)
    execution_intent = ExecutionIntent.TAKER
    tick_interval_seconds = 0.05

    def __init__(self, fraction: Decimal = Decimal("0.5")) -> None:
        self.fraction = fraction
        self.ticks = 0

    def on_tick(self, ctx: PodContext) -> None:
        self.ticks += 1
        symbol = self.symbols[0]
        price = ctx.price(symbol)
        ctx.order_target(
            symbol, (ctx.limits.capital_allocation_usd * self.fraction / price).quantize(Decimal("0.0001"))
        )


class StuckStrategy(Strategy):
    """A strategy whose tick never returns: the pod must still answer Halt and Status."""

    symbols = ("BTC/USDT",)
    tick_interval_seconds = 0.05

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def on_tick(self, ctx: PodContext) -> None:
        self.entered.set()
        while not self.release.is_set():
            sum(range(10_000))
