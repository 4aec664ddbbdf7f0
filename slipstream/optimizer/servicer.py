"""OptimizerService over the Optimizer: translate, check access, run the blocking work off the event loop."""

from __future__ import annotations

import asyncio

import grpc
from slipstream_api.v1 import optimizer_pb2 as pb
from slipstream_api.v1 import optimizer_pb2_grpc as pb_grpc

from slipstream.core.decimals import parse_decimal
from slipstream.core.errors import InvalidArgument, NotFound
from slipstream.optimizer import convert
from slipstream.optimizer.service import Optimizer
from slipstream.optimizer.store import OptimizerStore
from slipstream.transport.errors import rpc_method

MAX_LISTED = 10_000


class OptimizerServicer(pb_grpc.OptimizerServiceServicer):
    def __init__(self, optimizer: Optimizer, store: OptimizerStore) -> None:
        self._optimizer = optimizer
        self._store = store
        # One cycle at a time: two concurrent cycles would both start from the same capital.
        self._cycle_lock = asyncio.Lock()

    @rpc_method
    async def RunCycle(self, request: pb.RunCycleRequest, context: grpc.aio.ServicerContext) -> pb.RunCycleResponse:
        mode = convert.mode_from_pb(request.mode)
        method = convert.method_from_pb(request.method)
        estimator = convert.estimator_from_pb(request.estimator)
        pins: dict[str, tuple[float, str]] = {}
        for i, pin in enumerate(request.pins):
            if pin.pod_id in pins:
                raise InvalidArgument(f"pins[{i}].pod_id", f"pod {pin.pod_id!r} is pinned twice")
            usd = parse_decimal(pin.capital_usd, f"pins[{i}].capital_usd", non_negative=True)
            pins[pin.pod_id] = (float(usd), pin.reason)
        async with self._cycle_lock:
            record = await asyncio.to_thread(
                self._optimizer.run_cycle, mode, request.requested_by, method, estimator, pins
            )
        return pb.RunCycleResponse(allocation=convert.record_to_pb(record))

    @rpc_method
    async def GetAllocation(
        self, request: pb.GetAllocationRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetAllocationResponse:
        if request.cycle_id < 0:
            raise InvalidArgument("cycle_id", "must be >= 0")
        allocation = self._store.get(request.cycle_id)
        if allocation is None:
            raise NotFound("no cycle has run yet" if request.cycle_id == 0 else f"no cycle {request.cycle_id}")
        return pb.GetAllocationResponse(allocation=allocation)

    @rpc_method
    async def ListAllocations(
        self, request: pb.ListAllocationsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListAllocationsResponse:
        if not 0 <= request.max_count <= MAX_LISTED:
            raise InvalidArgument("max_count", f"must be between 0 and {MAX_LISTED}")
        allocations = self._store.history(request.max_count or 100, request.pod_id)
        return pb.ListAllocationsResponse(allocations=allocations)

    @rpc_method
    async def GetCovariance(
        self, request: pb.GetCovarianceRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetCovarianceResponse:
        report = await asyncio.to_thread(self._optimizer.covariance, convert.estimator_from_pb(request.estimator))
        return pb.GetCovarianceResponse(
            pod_ids=list(report.pod_ids),
            covariance=report.covariance.ravel().tolist(),
            correlation=report.correlation.ravel().tolist(),
            shrinkage=report.shrinkage,
            effective_number_of_bets=report.effective_number_of_bets,
            diversification_ratio=report.diversification_ratio,
            observation_count=report.observation_count,
        )

    @rpc_method
    async def RunStressTest(
        self, request: pb.RunStressTestRequest, context: grpc.aio.ServicerContext
    ) -> pb.RunStressTestResponse:
        scenario: dict[str, dict[str, float]] = {}
        for i, pod in enumerate(request.pods):
            if not pod.pod_id:
                raise InvalidArgument(f"pods[{i}].pod_id", "must not be empty")
            if pod.pod_id in scenario:
                raise InvalidArgument(f"pods[{i}].pod_id", f"duplicate pod {pod.pod_id!r}")
            positions: dict[str, float] = {}
            for j, position in enumerate(pod.positions):
                where = f"pods[{i}].positions[{j}]"
                if not position.symbol:
                    raise InvalidArgument(f"{where}.symbol", "must not be empty")
                positions[position.symbol] = float(parse_decimal(position.notional_usd, f"{where}.notional_usd"))
            scenario[pod.pod_id] = positions
        threshold = request.btc_correlation_limit or None
        outcome = await asyncio.to_thread(self._optimizer.stress_test, scenario or None, threshold)
        return pb.RunStressTestResponse(result=convert.stress_to_pb(outcome))

    @rpc_method
    async def GetCapacity(
        self, request: pb.GetCapacityRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetCapacityResponse:
        report = await asyncio.to_thread(self._optimizer.capacity, request.symbol, request.impact_budget_bps or None)
        liquidity, calibration = report.liquidity, report.calibration
        return pb.GetCapacityResponse(
            symbol=report.symbol,
            half_spread_bps=liquidity.half_spread_bps,
            daily_volatility=liquidity.daily_volatility,
            daily_volume_usd=liquidity.daily_volume_usd,
            impact_coefficient=liquidity.impact_coefficient,
            calibration_trade_count=calibration.trade_count if calibration.calibrated else 0,
            impact_coefficient_source=calibration.reason
            if calibration.calibrated
            else f"{calibration.reason} (Toth et al. 2011, Almgren et al. 2005: Y of order 1)",
            impact_budget_bps=report.budget_bps,
            capacity_usd=report.capacity_usd,
            surface=[pb.LiquidityPoint(order_notional_usd=q, expected_slippage_bps=b) for q, b in report.surface],
        )
