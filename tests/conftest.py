"""Shared fixtures: in-process federation and pods on 127.0.0.1 free ports, always shut down."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import LoopThread, TargetStrategy

from slipstream.federation.client import FederationClient
from slipstream.federation.server import RunningFederation, start_federation
from slipstream.federation.settings import FederationSettings, PodDeclaration
from slipstream.pod.market import RandomWalkMarket
from slipstream.pod.runner import ServingPod, register, start_pod
from slipstream.pod.runtime import PodRuntime
from slipstream.pod.strategy import Strategy

ADMIN_TOKEN = "admin-token-for-tests"
POD_TOKENS = {"alpha": "alpha-token", "beta": "beta-token", "node-pod": "node-token"}


@pytest.fixture
def loop_thread() -> Iterator[LoopThread]:
    loop = LoopThread()
    yield loop
    loop.close()


def make_settings(data_dir: Path, **overrides: object) -> FederationSettings:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "listen": "127.0.0.1:0",
        "admin_token": ADMIN_TOKEN,
        "poll_interval_s": 0.1,
        "poll_timeout_s": 0.5,
        "unreachable_after_missed_polls": 3,
        "pods": tuple(PodDeclaration(pod_id, token) for pod_id, token in POD_TOKENS.items()),
    }
    values.update(overrides)
    return FederationSettings(**values)  # type: ignore[arg-type]


@dataclass
class Cluster:
    """A running federation plus helpers to start pods against it."""

    loop: LoopThread
    data_dir: Path
    federation: RunningFederation | None
    pods: list[ServingPod]

    @property
    def address(self) -> str:
        assert self.federation is not None
        return self.federation.address

    def admin(self) -> FederationClient:
        return FederationClient(self.address, ADMIN_TOKEN)

    def start_pod(self, pod_id: str, strategy: Strategy | None = None, *, register_pod: bool = True) -> ServingPod:
        strategy = strategy or TargetStrategy()
        market = RandomWalkMarket({symbol: 60_000.0 for symbol in strategy.symbols}, seed=42)
        runtime = PodRuntime(pod_id, strategy, market)
        pod = self.loop.run(start_pod(runtime, POD_TOKENS[pod_id]))
        self.pods.append(pod)
        if register_pod:
            self.loop.run(register(runtime, POD_TOKENS[pod_id], self.address, pod.server.address, 10.0))
        return pod

    def stop_pod(self, pod: ServingPod) -> None:
        self.loop.run(pod.stop())
        self.pods.remove(pod)

    def restart_federation(self, **overrides: object) -> None:
        assert self.federation is not None
        port = self.federation.server.port
        self.loop.run(self.federation.stop())
        self.federation = None
        self.federation = self.loop.run(
            start_federation(make_settings(self.data_dir, listen=f"127.0.0.1:{port}", **overrides))
        )


@pytest.fixture
def cluster(tmp_path: Path, loop_thread: LoopThread) -> Iterator[Cluster]:
    running = loop_thread.run(start_federation(make_settings(tmp_path)))
    cluster = Cluster(loop_thread, tmp_path, running, [])
    yield cluster
    for pod in list(cluster.pods):
        loop_thread.run(pod.stop())
    if cluster.federation is not None:
        loop_thread.run(cluster.federation.stop())


@pytest.fixture
def node_pod_factory() -> Iterator[object]:
    """Start Node.js example pods as real processes (node + @grpc/grpc-js, no Python inside)."""
    import shutil

    from support import REPO_ROOT

    from slipstream.demo.processes import ServiceProcess

    node = shutil.which("node")
    if node is None or not (REPO_ROOT / "node_modules" / "@grpc" / "grpc-js").exists():
        pytest.fail("Node.js and `npm ci` are required for the Node pod tests (the test command installs them)")
    started: list[ServiceProcess] = []

    def start(pod_id: str = "node-pod", federation: str | None = None) -> ServiceProcess:
        argv = [node, str(REPO_ROOT / "examples" / "node-pod" / "pod.js"), "--pod-id", pod_id]
        if federation:
            argv += ["--federation", federation]
        process = ServiceProcess(pod_id, argv, env={"SLIPSTREAM_POD_TOKEN": POD_TOKENS[pod_id]})
        started.append(process)
        process.wait_address()
        return process

    yield start
    for process in started:
        process.stop()


READER_TOKEN = "reader-token-for-tests"


@dataclass
class LakeHandle:
    loop: LoopThread
    data_dir: Path
    running: object

    @property
    def address(self) -> str:
        return self.running.address  # type: ignore[attr-defined]

    def client(self, token: str = ADMIN_TOKEN) -> object:
        from slipstream.datalake.client import LakeClient

        return LakeClient(self.address, token)

    def restart(self, wipe: bool = False) -> None:
        """Stop and start on the same port; with `wipe`, start from an empty lake."""
        from slipstream.datalake.server import LakeSettings, start_lake

        port = self.running.server.port  # type: ignore[attr-defined]
        self.loop.run(self.running.stop())  # type: ignore[attr-defined]
        if wipe:
            for item in self.data_dir.glob("lake.duckdb*"):
                item.unlink()
        settings = LakeSettings(self.data_dir, f"127.0.0.1:{port}", ADMIN_TOKEN, {"reader": READER_TOKEN})
        self.running = self.loop.run(start_lake(settings))


@pytest.fixture
def lake_server(tmp_path: Path, loop_thread: LoopThread) -> Iterator[LakeHandle]:
    from slipstream.datalake.server import LakeSettings, start_lake

    settings = LakeSettings(tmp_path / "lake", "127.0.0.1:0", ADMIN_TOKEN, {"reader": READER_TOKEN})
    handle = LakeHandle(loop_thread, tmp_path / "lake", loop_thread.run(start_lake(settings)))
    yield handle
    loop_thread.run(handle.running.stop())  # type: ignore[attr-defined]
