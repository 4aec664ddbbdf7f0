"""Bad Configure input is refused with INVALID_ARGUMENT naming the field, and changes nothing.

Run against both the Python SDK pod and the Node.js pod: the contract binds every language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import grpc
import pytest
from conftest import POD_TOKENS, Cluster
from slipstream_api.v1 import common_pb2, constitution_pb2, constitution_pb2_grpc
from support import field_violation

from slipstream.transport import auth
from slipstream.transport.server import CHANNEL_OPTIONS

GOOD = common_pb2.PodConfig(
    config_version=5,
    trading_state=common_pb2.TRADING_STATE_ACTIVE,
    limits=common_pb2.PodLimits(
        capital_allocation_usd="100000",
        max_gross_notional_usd="150000",
        volatility_target_annualized=0.2,
        symbol_limits=[common_pb2.SymbolLimit(symbol="BTC/USDT", max_position_quantity="2")],
    ),
)


def _bad(mutate: Callable[[common_pb2.PodConfig], Any]) -> common_pb2.PodConfig:
    config = common_pb2.PodConfig()
    config.CopyFrom(GOOD)
    config.config_version = 6
    mutate(config)
    return config


CASES = {
    "negative": (
        _bad(lambda c: setattr(c.limits, "max_gross_notional_usd", "-1")),
        "config.limits.max_gross_notional_usd",
    ),
    "nan": (_bad(lambda c: setattr(c.limits, "capital_allocation_usd", "NaN")), "config.limits.capital_allocation_usd"),
    "infinite": (
        _bad(lambda c: setattr(c.limits.symbol_limits[0], "max_position_quantity", "Infinity")),
        "config.limits.symbol_limits[0].max_position_quantity",
    ),
    "nan-double": (
        _bad(lambda c: setattr(c.limits, "volatility_target_annualized", math.nan)),
        "config.limits.volatility_target_annualized",
    ),
    "inf-double": (
        _bad(lambda c: setattr(c.limits, "volatility_target_annualized", math.inf)),
        "config.limits.volatility_target_annualized",
    ),
    "negative-double": (
        _bad(lambda c: setattr(c.limits, "volatility_target_annualized", -0.1)),
        "config.limits.volatility_target_annualized",
    ),
    "unknown-enum": (_bad(lambda c: setattr(c, "trading_state", 42)), "config.trading_state"),
    "unspecified-enum": (_bad(lambda c: setattr(c, "trading_state", 0)), "config.trading_state"),
    "duplicate-symbol": (
        _bad(lambda c: c.limits.symbol_limits.add(symbol="BTC/USDT")),
        "config.limits.symbol_limits[1].symbol",
    ),
    "stale-version": (_bad(lambda c: setattr(c, "config_version", 4)), "config.config_version"),
    "conflicting-same-version": (
        _bad(lambda c: (setattr(c, "config_version", 5), setattr(c.limits, "capital_allocation_usd", "1"))),
        "config.config_version",
    ),
}


@pytest.fixture(params=["python", "node"])
def pod_stub(request: pytest.FixtureRequest, cluster: Cluster, node_pod_factory: Any) -> Iterator[tuple[str, Any]]:
    if request.param == "python":
        pod_id, address = "alpha", cluster.start_pod("alpha", register_pod=False).server.address
    else:
        pod_id, address = "node-pod", node_pod_factory("node-pod").wait_address()
    channel = grpc.insecure_channel(address, options=CHANNEL_OPTIONS)
    yield (
        request.param,
        (constitution_pb2_grpc.ConstitutionServiceStub(channel), auth.bearer_metadata(POD_TOKENS[pod_id])),
    )
    channel.close()


@pytest.mark.parametrize("case", list(CASES))
def test_bad_configure_is_refused_and_changes_nothing(pod_stub: tuple[str, Any], case: str) -> None:
    language, (stub, metadata) = pod_stub
    stub.Configure(constitution_pb2.ConfigureRequest(config=GOOD), metadata=metadata, timeout=5)
    before = stub.Status(constitution_pb2.StatusRequest(), metadata=metadata, timeout=5).status.config
    config, field = CASES[case]

    with pytest.raises(grpc.RpcError) as raised:
        stub.Configure(constitution_pb2.ConfigureRequest(config=config), metadata=metadata, timeout=5)

    assert raised.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert raised.value.details().startswith(field), raised.value.details()
    if language == "python":
        assert field_violation(raised.value)[0] == field
    after = stub.Status(constitution_pb2.StatusRequest(), metadata=metadata, timeout=5).status.config
    assert after == before


def test_retrying_the_same_config_is_harmless(pod_stub: tuple[str, Any]) -> None:
    _, (stub, metadata) = pod_stub
    first = stub.Configure(constitution_pb2.ConfigureRequest(config=GOOD), metadata=metadata, timeout=5)
    second = stub.Configure(constitution_pb2.ConfigureRequest(config=GOOD), metadata=metadata, timeout=5)
    assert first.applied and not second.applied
    assert second.config.config_version == 5


@pytest.mark.parametrize(
    ("metadata", "code"),
    [((), grpc.StatusCode.UNAUTHENTICATED), ((("authorization", "Bearer wrong"),), grpc.StatusCode.PERMISSION_DENIED)],
)
def test_pod_refuses_missing_or_wrong_token(
    pod_stub: tuple[str, Any], metadata: tuple[tuple[str, str], ...], code: grpc.StatusCode
) -> None:
    _, (stub, _) = pod_stub
    for call, request in [
        (stub.Status, constitution_pb2.StatusRequest()),
        (stub.Configure, constitution_pb2.ConfigureRequest(config=GOOD)),
        (stub.Halt, constitution_pb2.HaltRequest(reason=common_pb2.HALT_REASON_MANUAL, requested_by="intruder")),
    ]:
        with pytest.raises(grpc.RpcError) as raised:
            call(request, metadata=metadata, timeout=5)
        assert raised.value.code() is code


def test_halt_without_reason_is_refused(pod_stub: tuple[str, Any]) -> None:
    _, (stub, metadata) = pod_stub
    with pytest.raises(grpc.RpcError) as raised:
        stub.Halt(constitution_pb2.HaltRequest(requested_by="operator"), metadata=metadata, timeout=5)
    assert raised.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert raised.value.details().startswith("reason")
    status = stub.Status(constitution_pb2.StatusRequest(), metadata=metadata, timeout=5).status
    assert status.trading_state != common_pb2.TRADING_STATE_HALTED
