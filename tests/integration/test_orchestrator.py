"""The orchestrator as a real gRPC service driving a real federation, data lake and optimizer."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from conftest import ADMIN_TOKEN
from slipstream_api.v1 import optimizer_pb2, optimizer_pb2_grpc, orchestrator_pb2, orchestrator_pb2_grpc
from support import eventually, field_violation
from test_optimizer import Centre, centre  # noqa: F401  (the fixture: federation, lake, optimizer)

from slipstream.demo.processes import python_module
from slipstream.orchestrator.server import OrchestratorSettings, RunningOrchestrator, start_orchestrator
from slipstream.transport import auth

METADATA = auth.bearer_metadata(ADMIN_TOKEN)


@pytest.fixture
def orchestrator(centre: Centre, tmp_path: Path) -> Iterator[tuple[RunningOrchestrator, Any]]:  # noqa: F811
    settings = OrchestratorSettings(
        data_dir=tmp_path / "orchestrator",
        federation=centre.cluster.address,
        optimizer=centre.optimizer.address,
        listen="127.0.0.1:0",
        admin_token=ADMIN_TOKEN,
    )
    running = centre.cluster.loop.run(start_orchestrator(settings))
    stub = orchestrator_pb2_grpc.OrchestratorServiceStub(grpc.insecure_channel(running.address))
    yield running, stub
    centre.cluster.loop.run(running.stop())


def test_a_cycle_drives_the_optimizer_with_pins_and_a_freeze_only_observes(
    centre: Centre,  # noqa: F811
    orchestrator: tuple[RunningOrchestrator, Any],
) -> None:
    _, stub = orchestrator
    centre.cluster.start_pod("alpha")
    centre.cluster.start_pod("beta")
    with centre.cluster.admin() as admin:
        eventually(lambda: len(admin.list_pods()) == 2)
    pinned = stub.PinAllocation(
        orchestrator_pb2.PinAllocationRequest(pod_id="alpha", capital_usd="30000", requested_by="ops", reason="seed"),
        metadata=METADATA,
    ).override
    assert pinned.active and pinned.capital_usd == "30000"

    cycle = stub.RunFederationCycle(
        orchestrator_pb2.RunFederationCycleRequest(requested_by="ops"), metadata=METADATA, timeout=120
    ).cycle
    assert [(s.name, s.ok) for s in cycle.steps] == [
        ("poll", True),
        ("audit", True),
        ("lifecycle", True),
        ("allocate", True),
    ]
    assert cycle.pinned_pod_ids == ["alpha"] and not cycle.frozen
    optimizer = optimizer_pb2_grpc.OptimizerServiceStub(grpc.insecure_channel(centre.optimizer.address))
    allocation = optimizer.GetAllocation(
        optimizer_pb2.GetAllocationRequest(cycle_id=cycle.allocation_cycle_id), metadata=METADATA
    ).allocation
    alpha = next(p for p in allocation.pods if p.pod_id == "alpha")
    assert allocation.mode == optimizer_pb2.CYCLE_MODE_APPLY and float(alpha.capital_usd) == 30_000.0
    assert alpha.reasons[0] == "pinned at 30,000 USD by the operator: seed"

    stub.FreezeAllocation(
        orchestrator_pb2.FreezeAllocationRequest(requested_by="risk", reason="incident"), metadata=METADATA
    )
    frozen = stub.RunFederationCycle(
        orchestrator_pb2.RunFederationCycleRequest(requested_by="ops"), metadata=METADATA, timeout=120
    ).cycle
    observed = optimizer.GetAllocation(
        optimizer_pb2.GetAllocationRequest(cycle_id=frozen.allocation_cycle_id), metadata=METADATA
    ).allocation
    assert frozen.frozen and observed.mode == optimizer_pb2.CYCLE_MODE_OBSERVE

    log = stub.ListOverrides(orchestrator_pb2.ListOverridesRequest(), metadata=METADATA).overrides
    assert [o.kind for o in log] == [
        orchestrator_pb2.OVERRIDE_KIND_FREEZE_ALLOCATION,
        orchestrator_pb2.OVERRIDE_KIND_PIN_ALLOCATION,
    ]
    cycles = stub.ListFederationCycles(orchestrator_pb2.ListFederationCyclesRequest(), metadata=METADATA).cycles
    assert [c.cycle_id for c in cycles] == [2, 1]


def test_bad_overrides_are_refused_and_the_server_stays_up(orchestrator: tuple[RunningOrchestrator, Any]) -> None:
    _, stub = orchestrator
    with pytest.raises(grpc.RpcError) as bad_capital:
        stub.PinAllocation(
            orchestrator_pb2.PinAllocationRequest(pod_id="alpha", capital_usd="-5", requested_by="o", reason="r"),
            metadata=METADATA,
        )
    assert field_violation(bad_capital.value)[0] == "capital_usd"
    with pytest.raises(grpc.RpcError) as ghost:
        stub.PinAllocation(
            orchestrator_pb2.PinAllocationRequest(pod_id="ghost", capital_usd="5", requested_by="o", reason="r"),
            metadata=METADATA,
        )
    assert ghost.value.code() is grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.RpcError) as no_stage:
        stub.ForceLifecycleStage(
            orchestrator_pb2.ForceLifecycleStageRequest(pod_id="alpha", requested_by="o", reason="r"),
            metadata=METADATA,
        )
    assert field_violation(no_stage.value)[0] == "stage"
    assert stub.ListOverrides(orchestrator_pb2.ListOverridesRequest(), metadata=METADATA).overrides == []


def test_the_cli_pins_lists_and_runs_a_cycle(
    centre: Centre,  # noqa: F811
    orchestrator: tuple[RunningOrchestrator, Any],
) -> None:
    running, _ = orchestrator
    centre.cluster.start_pod("alpha")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        argv = python_module("slipstream.cli.main", "--token", ADMIN_TOKEN, *args, "--orchestrator", running.address)
        return subprocess.run(argv, capture_output=True, text=True, timeout=120)

    pinned = cli("override", "pin", "alpha", "12000", "--reason", "seed capital", "--by", "ops")
    assert pinned.returncode == 0 and "override 1 logged: pin alpha by ops" in pinned.stdout, pinned.stderr
    listed = cli("override", "list", "--active")
    assert "pin_allocation" in listed.stdout and "seed capital" in listed.stdout and "12000" in listed.stdout
    ran = cli("cycle", "run", "--by", "ops")
    assert "federation cycle 1" in ran.stdout and "pinned: alpha" in ran.stdout, ran.stdout + ran.stderr
    refused = cli("override", "pin", "alpha", "-1", "--reason", "r")
    assert refused.returncode == 1 and "capital_usd" in refused.stderr
