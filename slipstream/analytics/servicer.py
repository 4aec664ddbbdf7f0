"""The AnalyticsService RPCs over the analytics core (`service.AnalyticsService`): protobuf <-> domain only.

The core reads its sources with blocking calls, so every method runs it on a worker thread and
the event loop stays free for other calls.
"""

from __future__ import annotations

import asyncio
import math
from datetime import datetime

import grpc
from google.protobuf.timestamp_pb2 import Timestamp
from slipstream_api.v1 import analytics_pb2 as pb
from slipstream_api.v1 import analytics_pb2_grpc as pb_grpc
from slipstream_api.v1 import common_pb2

from slipstream.analytics.lifecycle import Metrics, Stage, Transition, TransitionKind
from slipstream.analytics.service import (
    AnalyticsService,
    LiquidityGroup,
    OrderCost,
    PodLifecycle,
    ShortfallFigures,
)
from slipstream.analytics.shortfall import ExecutionQuality
from slipstream.core.errors import InvalidArgument
from slipstream.transport import convert
from slipstream.transport.errors import rpc_method

_STAGE = {stage: getattr(common_pb2, f"LIFECYCLE_STAGE_{stage.name}") for stage in Stage}
_STAGE_BACK = {wire: stage for stage, wire in _STAGE.items()}
_KIND = {kind: getattr(pb, f"LIFECYCLE_TRANSITION_KIND_{kind.name}") for kind in TransitionKind}
_QUALITY = {quality: getattr(pb, f"EXECUTION_QUALITY_{quality.name}") for quality in ExecutionQuality}


def stage_to_pb(stage: Stage) -> common_pb2.LifecycleStage.ValueType:
    return _STAGE[stage]


def stage_from_pb(value: int, field: str) -> Stage:
    if value == common_pb2.LIFECYCLE_STAGE_UNSPECIFIED:
        raise InvalidArgument(field, "must be set (LIFECYCLE_STAGE_UNSPECIFIED is not allowed)")
    if value not in _STAGE_BACK:
        raise InvalidArgument(field, f"unknown LIFECYCLE_STAGE value {value}")
    return _STAGE_BACK[value]


def _time(stamp: Timestamp, field: str) -> datetime:
    try:
        return convert.timestamp_from_pb(stamp)
    except (ValueError, OverflowError) as error:
        raise InvalidArgument(field, f"is not a valid timestamp: {error}") from None


def window_from_pb(window: pb.ReportWindow) -> tuple[datetime | None, datetime | None]:
    start = _time(window.start_time, "window.start_time") if window.HasField("start_time") else None
    end = _time(window.end_time, "window.end_time") if window.HasField("end_time") else None
    return start, end


def figures_to_pb(figures: ShortfallFigures) -> pb.ShortfallFigures:
    return pb.ShortfallFigures(
        order_count=figures.order_count,
        paper_notional_usd=figures.paper_notional_usd,
        executed_notional_usd=figures.executed_notional_usd,
        execution_cost_usd=figures.execution_cost_usd,
        opportunity_cost_usd=figures.opportunity_cost_usd,
        fees_usd=figures.fees_usd,
        total_cost_usd=figures.total_cost_usd,
        execution_cost_bps=figures.execution_cost_bps,
        total_cost_bps=figures.total_cost_bps,
    )


def order_cost_to_pb(cost: OrderCost) -> pb.OrderShortfall:
    return pb.OrderShortfall(
        order_id=cost.order_id,
        client_order_id=cost.client_order_id,
        symbol=cost.symbol,
        side=convert.side_to_pb(cost.side),
        decision_price=cost.decision_price,
        average_fill_price=cost.average_fill_price,
        quantity=cost.quantity,
        filled_quantity=cost.filled_quantity,
        figures=figures_to_pb(cost.figures),
        quality=_QUALITY[cost.quality],
        decision_time=convert.timestamp_to_pb(cost.decision_time),
    )


def mix_to_pb(mix: LiquidityGroup) -> pb.LiquidityMix:
    message = pb.LiquidityMix(
        symbol=mix.symbol,
        fill_count=mix.fill_count,
        maker_notional_usd=mix.maker_notional_usd,
        taker_notional_usd=mix.taker_notional_usd,
        taker_share=mix.taker_share,
    )
    if mix.period_start is not None:
        message.period_start_time.CopyFrom(convert.timestamp_to_pb(mix.period_start))
    return message


def metrics_to_pb(metrics: Metrics) -> pb.LifecycleMetrics:
    # MinTRL is infinite when the Sharpe ratio is not above the benchmark: the contract says 0. A
    # recent PSR needs a full decay window; before that there is none, sent as NaN rather than a
    # 0 that would read as decayed alpha.
    min_trl = metrics.min_trl if metrics.min_trl is not None and math.isfinite(metrics.min_trl) else 0.0
    return pb.LifecycleMetrics(
        observation_count=metrics.observation_count,
        sharpe_annualized=metrics.sharpe_annualized,
        skewness=metrics.skewness,
        kurtosis=metrics.kurtosis,
        benchmark_sharpe=metrics.benchmark_sharpe,
        trial_count=metrics.trial_count,
        psr=metrics.psr,
        min_track_record_length=min_trl,
        recent_psr=metrics.recent_psr,
    )


def transition_to_pb(transition: Transition) -> pb.LifecycleTransition:
    message = pb.LifecycleTransition(
        pod_id=transition.pod_id,
        transition_time=convert.timestamp_to_pb(transition.time),
        kind=_KIND[transition.kind],
        from_stage=_STAGE[transition.from_stage],
        to_stage=_STAGE[transition.to_stage],
        reason=transition.reason,
        actor=transition.actor,
    )
    if transition.metrics is not None:
        message.metrics.CopyFrom(metrics_to_pb(transition.metrics))
    return message


def lifecycle_to_pb(pod: PodLifecycle) -> pb.PodLifecycle:
    message = pb.PodLifecycle(
        pod_id=pod.pod_id,
        stage=_STAGE[pod.stage],
        stage_time=convert.timestamp_to_pb(pod.stage_since),
        max_capital_fraction=pod.cap.max_fraction,
        max_capital_usd=pod.cap.max_usd or 0.0,
        overridden=pod.override is not None,
        last_reason=pod.last_reason,
    )
    if pod.override is not None and pod.override.expires_at is not None:
        message.override_expire_time.CopyFrom(convert.timestamp_to_pb(pod.override.expires_at))
    if pod.metrics is not None:
        message.metrics.CopyFrom(metrics_to_pb(pod.metrics))
    return message


class AnalyticsServicer(pb_grpc.AnalyticsServiceServicer):
    def __init__(self, service: AnalyticsService) -> None:
        self._service = service

    @rpc_method
    async def GetShortfallReport(
        self, request: pb.GetShortfallReportRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetShortfallReportResponse:
        report = await asyncio.to_thread(
            self._service.shortfall_report, request.pod_id, *window_from_pb(request.window)
        )
        return pb.GetShortfallReportResponse(
            pod_id=report.pod_id,
            total=figures_to_pb(report.total),
            groups=[
                pb.ShortfallGroup(
                    symbol=group.symbol,
                    period_start_time=convert.timestamp_to_pb(group.period_start),
                    figures=figures_to_pb(group.figures),
                )
                for group in report.groups
            ],
            qualities=[pb.QualityCount(quality=_QUALITY[q], order_count=count) for q, count in report.qualities],
            rewrite_execution=report.rewrite_execution,
            review_reason=report.review_reason,
            review_threshold_bps=report.review_threshold_bps,
        )

    @rpc_method
    async def ListHighShortfallOrders(
        self, request: pb.ListHighShortfallOrdersRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListHighShortfallOrdersResponse:
        start, end = window_from_pb(request.window)
        costs = await asyncio.to_thread(
            self._service.high_shortfall_orders, request.pod_id, start, end, request.max_count, request.min_cost_bps
        )
        return pb.ListHighShortfallOrdersResponse(orders=[order_cost_to_pb(cost) for cost in costs])

    @rpc_method
    async def GetResidualReport(
        self, request: pb.GetResidualReportRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetResidualReportResponse:
        start, end = window_from_pb(request.window)
        report = await asyncio.to_thread(
            self._service.residual_report, request.pod_id, start, end, request.rolling_window_days
        )
        return pb.GetResidualReportResponse(
            pod_id=report.pod_id,
            observation_count=report.observation_count,
            hac_lag_count=report.hac_lag_count,
            loadings=[
                pb.FactorLoading(
                    name=loading.name,
                    coefficient=loading.coefficient,
                    standard_error=loading.standard_error,
                    t_statistic=loading.t_statistic,
                    p_value=loading.p_value,
                )
                for loading in report.loadings
            ],
            alpha_annualized=report.alpha_annualized,
            r_squared=report.r_squared,
            total_pnl_usd=report.total_pnl_usd,
            beta_pnl_usd=report.beta_pnl_usd,
            alpha_pnl_usd=report.alpha_pnl_usd,
            rolling_betas=[
                pb.RollingBeta(
                    end_time=convert.timestamp_to_pb(beta.end_time), btc_beta=beta.btc_beta, eth_beta=beta.eth_beta
                )
                for beta in report.rolling_betas
            ],
            fake_alpha=report.fake_alpha,
            fake_alpha_reason=report.fake_alpha_reason,
        )

    @rpc_method
    async def GetFillRatioReport(
        self, request: pb.GetFillRatioReportRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetFillRatioReportResponse:
        report = await asyncio.to_thread(
            self._service.fill_ratio_report, request.pod_id, *window_from_pb(request.window)
        )
        return pb.GetFillRatioReportResponse(
            pod_id=report.pod_id,
            declared_intent=convert.intent_to_pb(report.declared_intent),
            total=mix_to_pb(report.total),
            groups=[mix_to_pb(group) for group in report.groups],
            process_failure=report.process_failure,
            reason=report.reason,
        )

    @rpc_method
    async def ListLifecycles(
        self, request: pb.ListLifecyclesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListLifecyclesResponse:
        pods = await asyncio.to_thread(self._service.list_lifecycles, request.pod_id or None)
        return pb.ListLifecyclesResponse(lifecycles=[lifecycle_to_pb(pod) for pod in pods])

    @rpc_method
    async def GetLifecycleHistory(
        self, request: pb.GetLifecycleHistoryRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetLifecycleHistoryResponse:
        transitions = await asyncio.to_thread(self._service.history, request.pod_id)
        return pb.GetLifecycleHistoryResponse(transitions=[transition_to_pb(t) for t in transitions])

    @rpc_method
    async def EvaluateLifecycles(
        self, request: pb.EvaluateLifecyclesRequest, context: grpc.aio.ServicerContext
    ) -> pb.EvaluateLifecyclesResponse:
        evaluation = await asyncio.to_thread(self._service.evaluate_lifecycles, request.requested_by)
        return pb.EvaluateLifecyclesResponse(
            transitions=[transition_to_pb(t) for t in evaluation.transitions],
            lifecycles=[lifecycle_to_pb(pod) for pod in evaluation.lifecycles],
        )

    @rpc_method
    async def OverrideLifecycleStage(
        self, request: pb.OverrideLifecycleStageRequest, context: grpc.aio.ServicerContext
    ) -> pb.OverrideLifecycleStageResponse:
        stage = stage_from_pb(request.stage, "stage")
        expires_at = _time(request.expire_time, "expire_time") if request.HasField("expire_time") else None
        transition = await asyncio.to_thread(
            self._service.override, request.pod_id, stage, request.requested_by, request.reason, expires_at
        )
        return pb.OverrideLifecycleStageResponse(transition=transition_to_pb(transition))

    @rpc_method
    async def LiftLifecycleOverride(
        self, request: pb.LiftLifecycleOverrideRequest, context: grpc.aio.ServicerContext
    ) -> pb.LiftLifecycleOverrideResponse:
        transition = await asyncio.to_thread(self._service.lift, request.pod_id, request.requested_by, request.reason)
        return pb.LiftLifecycleOverrideResponse(transition=transition_to_pb(transition))
