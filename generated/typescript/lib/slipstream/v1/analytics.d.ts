import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { type CallOptions, type ChannelCredentials, Client, type ClientOptions, type ClientUnaryCall, type handleUnaryCall, type Metadata, type ServiceError, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { Timestamp } from "../../google/protobuf/timestamp";
import { ExecutionIntent, LifecycleStage, OrderSide } from "./common";
export declare const protobufPackage = "slipstream.v1";
export declare const protobufFileName = "slipstream/v1/analytics.proto";
/** ExecutionQuality grades one order's total shortfall (thresholds in the README). */
export declare enum ExecutionQuality {
    /** EXECUTION_QUALITY_UNSPECIFIED - Not set. */
    EXECUTION_QUALITY_UNSPECIFIED = "EXECUTION_QUALITY_UNSPECIFIED",
    /** EXECUTION_QUALITY_EXCELLENT - No cost or a price improvement. */
    EXECUTION_QUALITY_EXCELLENT = "EXECUTION_QUALITY_EXCELLENT",
    /** EXECUTION_QUALITY_GOOD - A small cost. */
    EXECUTION_QUALITY_GOOD = "EXECUTION_QUALITY_GOOD",
    /** EXECUTION_QUALITY_FAIR - A moderate cost. */
    EXECUTION_QUALITY_FAIR = "EXECUTION_QUALITY_FAIR",
    /** EXECUTION_QUALITY_POOR - A large cost. */
    EXECUTION_QUALITY_POOR = "EXECUTION_QUALITY_POOR",
    /** EXECUTION_QUALITY_VERY_POOR - A very large cost. */
    EXECUTION_QUALITY_VERY_POOR = "EXECUTION_QUALITY_VERY_POOR",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function executionQualityFromJSON(object: any): ExecutionQuality;
export declare function executionQualityToJSON(object: ExecutionQuality): string;
export declare function executionQualityToNumber(object: ExecutionQuality): number;
/** LifecycleTransitionKind is what moved a pod's stage. */
export declare enum LifecycleTransitionKind {
    /** LIFECYCLE_TRANSITION_KIND_UNSPECIFIED - Not set. */
    LIFECYCLE_TRANSITION_KIND_UNSPECIFIED = "LIFECYCLE_TRANSITION_KIND_UNSPECIFIED",
    /** LIFECYCLE_TRANSITION_KIND_PROMOTION - Up one stage on evidence. */
    LIFECYCLE_TRANSITION_KIND_PROMOTION = "LIFECYCLE_TRANSITION_KIND_PROMOTION",
    /** LIFECYCLE_TRANSITION_KIND_DEMOTION - Down one stage on evidence. */
    LIFECYCLE_TRANSITION_KIND_DEMOTION = "LIFECYCLE_TRANSITION_KIND_DEMOTION",
    /** LIFECYCLE_TRANSITION_KIND_RETIREMENT - Retired on evidence (terminal). */
    LIFECYCLE_TRANSITION_KIND_RETIREMENT = "LIFECYCLE_TRANSITION_KIND_RETIREMENT",
    /** LIFECYCLE_TRANSITION_KIND_OVERRIDE - Forced by an admin. */
    LIFECYCLE_TRANSITION_KIND_OVERRIDE = "LIFECYCLE_TRANSITION_KIND_OVERRIDE",
    /** LIFECYCLE_TRANSITION_KIND_OVERRIDE_LIFTED - An admin lifted the override. */
    LIFECYCLE_TRANSITION_KIND_OVERRIDE_LIFTED = "LIFECYCLE_TRANSITION_KIND_OVERRIDE_LIFTED",
    /** LIFECYCLE_TRANSITION_KIND_OVERRIDE_EXPIRED - The override reached its expiry. */
    LIFECYCLE_TRANSITION_KIND_OVERRIDE_EXPIRED = "LIFECYCLE_TRANSITION_KIND_OVERRIDE_EXPIRED",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function lifecycleTransitionKindFromJSON(object: any): LifecycleTransitionKind;
export declare function lifecycleTransitionKindToJSON(object: LifecycleTransitionKind): string;
export declare function lifecycleTransitionKindToNumber(object: LifecycleTransitionKind): number;
/** ReportWindow bounds a report in time; unset ends mean open. */
export interface ReportWindow {
    /** Inclusive start; unset means the beginning of the record. */
    start_time: Timestamp | undefined;
    /** Exclusive end; unset means now. */
    end_time: Timestamp | undefined;
}
/**
 * ShortfallFigures are implementation-shortfall totals over a group of orders (Perold, 1988).
 * Positive is a cost; a price improvement is a negative cost.
 */
export interface ShortfallFigures {
    /** Orders in the group, count. */
    order_count: number;
    /** Value of the orders at their decision prices (the paper portfolio), USD. */
    paper_notional_usd: number;
    /** Value of what was executed, at decision prices, USD. */
    executed_notional_usd: number;
    /** Execution cost: side x (average fill - decision) x filled quantity, USD. */
    execution_cost_usd: number;
    /** Opportunity cost of the unfilled part: side x (end price - decision) x unfilled, USD. */
    opportunity_cost_usd: number;
    /** Fees, USD (a maker rebate is negative). */
    fees_usd: number;
    /** Execution + opportunity + fees, USD. */
    total_cost_usd: number;
    /** Execution cost over executed notional, bps. */
    execution_cost_bps: number;
    /** Total cost over paper notional, bps. */
    total_cost_bps: number;
}
/** ShortfallGroup is the figures of one symbol in one period. */
export interface ShortfallGroup {
    /** Instrument in ccxt unified notation. */
    symbol: string;
    /** Start of the period (UTC day). */
    period_start_time: Timestamp | undefined;
    /** The figures. */
    figures: ShortfallFigures | undefined;
}
/** QualityCount is how many orders got one grade. */
export interface QualityCount {
    /** The grade. */
    quality: ExecutionQuality;
    /** Orders with it, count. */
    order_count: number;
}
/** GetShortfallReportRequest selects a pod and window. */
export interface GetShortfallReportRequest {
    /** The pod. */
    pod_id: string;
    /** The window (by order creation time). */
    window: ReportWindow | undefined;
}
/** GetShortfallReportResponse is the report. */
export interface GetShortfallReportResponse {
    /** The pod. */
    pod_id: string;
    /** Over every order in the window. */
    total: ShortfallFigures | undefined;
    /** Per symbol and UTC day. */
    groups: ShortfallGroup[];
    /** Orders per grade. */
    qualities: QualityCount[];
    /**
     * True when the pod's shortfall exceeds the review threshold over enough orders: rewrite the
     * execution, not the alpha.
     */
    rewrite_execution: boolean;
    /** Why (or why not), for a human. */
    review_reason: string;
    /** The review threshold, bps of paper notional. */
    review_threshold_bps: number;
}
/** OrderShortfall is one order's shortfall. */
export interface OrderShortfall {
    /** The gateway's order id. */
    order_id: string;
    /** The pod's client order id. */
    client_order_id: string;
    /** Instrument in ccxt unified notation. */
    symbol: string;
    /** Buy or sell. */
    side: OrderSide;
    /** Price when the signal fired, USD per base unit. */
    decision_price: number;
    /** Volume-weighted average fill price, USD per base unit; 0 when nothing filled. */
    average_fill_price: number;
    /** Ordered quantity, base-asset units. */
    quantity: number;
    /** Filled quantity, base-asset units. */
    filled_quantity: number;
    /** The order's figures. */
    figures: ShortfallFigures | undefined;
    /** Its grade. */
    quality: ExecutionQuality;
    /** When the pod decided. */
    decision_time: Timestamp | undefined;
}
/** ListHighShortfallOrdersRequest selects a pod and window. */
export interface ListHighShortfallOrdersRequest {
    /** The pod. */
    pod_id: string;
    /** The window (by order creation time). */
    window: ReportWindow | undefined;
    /** Maximum orders returned, count; 0 means 20; at most 1,000. */
    max_count: number;
    /** Only orders whose total cost is at least this, bps; 0 means any positive cost. */
    min_cost_bps: number;
}
/** ListHighShortfallOrdersResponse lists orders, costliest (USD) first. */
export interface ListHighShortfallOrdersResponse {
    /** The orders. */
    orders: OrderShortfall[];
}
/** FactorLoading is one regressor of the residual-return regression. */
export interface FactorLoading {
    /** "alpha" (the intercept), or the factor's symbol. */
    name: string;
    /** Coefficient: daily return for alpha (fraction), beta (ratio) for a factor. */
    coefficient: number;
    /** Newey-West (HAC) standard error, same unit as the coefficient. */
    standard_error: number;
    /** t-statistic, ratio. */
    t_statistic: number;
    /** Two-sided p-value, fraction. */
    p_value: number;
}
/** RollingBeta is the betas over one trailing window. */
export interface RollingBeta {
    /** Last day of the window. */
    end_time: Timestamp | undefined;
    /** Beta to BTC, ratio. */
    btc_beta: number;
    /** Beta to ETH, ratio. */
    eth_beta: number;
}
/** GetResidualReportRequest selects a pod and window. */
export interface GetResidualReportRequest {
    /** The pod. */
    pod_id: string;
    /** The window of daily returns. */
    window: ReportWindow | undefined;
    /** Window of the rolling betas, days (count); 0 means 60. */
    rolling_window_days: number;
}
/** GetResidualReportResponse is the regression and its attribution. */
export interface GetResidualReportResponse {
    /** The pod. */
    pod_id: string;
    /** Daily returns used, count. */
    observation_count: number;
    /** Newey-West lags used, count. */
    hac_lag_count: number;
    /** Alpha first, then each factor. */
    loadings: FactorLoading[];
    /** Alpha annualised (365-day year, simple), fraction. */
    alpha_annualized: number;
    /** Coefficient of determination, fraction. */
    r_squared: number;
    /** Total PnL over the window, USD. */
    total_pnl_usd: number;
    /** PnL explained by the betas (market drift), USD. */
    beta_pnl_usd: number;
    /** PnL left to alpha (skill plus noise), USD. */
    alpha_pnl_usd: number;
    /** Rolling betas, oldest first. */
    rolling_betas: RollingBeta[];
    /**
     * True when the pod is profitable but its alpha is not significant while its beta is: a
     * leveraged index fund, a retirement candidate.
     */
    fake_alpha: boolean;
    /** Why (or why not), for a human. */
    fake_alpha_reason: string;
}
/** LiquidityMix is maker/taker volume over one group of fills. */
export interface LiquidityMix {
    /** Instrument in ccxt unified notation; empty for the pod's total. */
    symbol: string;
    /** Start of the period (UTC day); unset for the whole window. */
    period_start_time: Timestamp | undefined;
    /** Fills, count. */
    fill_count: number;
    /** Maker volume, USD. */
    maker_notional_usd: number;
    /** Taker volume, USD. */
    taker_notional_usd: number;
    /** Taker share of volume, fraction. */
    taker_share: number;
}
/** GetFillRatioReportRequest selects a pod and window. */
export interface GetFillRatioReportRequest {
    /** The pod. */
    pod_id: string;
    /** The window (by fill time). */
    window: ReportWindow | undefined;
}
/** GetFillRatioReportResponse is the mix against the declared intent. */
export interface GetFillRatioReportResponse {
    /** The pod. */
    pod_id: string;
    /** What the pod declared. */
    declared_intent: ExecutionIntent;
    /** Over the whole window. */
    total: LiquidityMix | undefined;
    /** Per symbol, and per symbol and UTC day. */
    groups: LiquidityMix[];
    /**
     * True when execution contradicts the intent (a passive pod paying the spread on most of its
     * volume), over at least the minimum sample.
     */
    process_failure: boolean;
    /** Why (or why not), for a human. */
    reason: string;
}
/** LifecycleMetrics is the evidence one evaluation used. */
export interface LifecycleMetrics {
    /** Daily residual returns used, count. */
    observation_count: number;
    /** Sharpe ratio of residual returns, annualised (365-day year), ratio. */
    sharpe_annualized: number;
    /** Skewness of residual returns, ratio. */
    skewness: number;
    /** Raw (non-excess) kurtosis of residual returns, ratio. */
    kurtosis: number;
    /** Benchmark Sharpe ratio after deflation for the trials, per period (daily), ratio. */
    benchmark_sharpe: number;
    /** Pods or variants tried, count (above 1 the PSR becomes the deflated Sharpe ratio). */
    trial_count: number;
    /** Probabilistic (or deflated) Sharpe ratio, probability in [0, 1]. */
    psr: number;
    /**
     * Minimum track record length at the next stage's confidence, days (count); 0 when the
     * Sharpe ratio is not above the benchmark.
     */
    min_track_record_length: number;
    /**
     * PSR over the recent decay window, probability in [0, 1]; absent until the track record is
     * as long as the window.
     */
    recent_psr?: number | undefined;
}
/** LifecycleTransition is one change of stage, with its evidence. */
export interface LifecycleTransition {
    /** The pod. */
    pod_id: string;
    /** When. */
    transition_time: Timestamp | undefined;
    /** What moved it. */
    kind: LifecycleTransitionKind;
    /** Stage before. */
    from_stage: LifecycleStage;
    /** Stage after. */
    to_stage: LifecycleStage;
    /** Why, for a human (the rule and its thresholds). */
    reason: string;
    /** Who: "lifecycle" for automatic moves, the admin otherwise. */
    actor: string;
    /** The evidence at the time (absent for admin actions). */
    metrics: LifecycleMetrics | undefined;
}
/** PodLifecycle is a pod's current lifecycle state. */
export interface PodLifecycle {
    /** The pod. */
    pod_id: string;
    /** Its stage. */
    stage: LifecycleStage;
    /** When it entered the stage. */
    stage_time: Timestamp | undefined;
    /** Largest share of total capital the stage allows, fraction. */
    max_capital_fraction: number;
    /** Largest capital the stage allows, USD; 0 means no USD cap beyond the fraction. */
    max_capital_usd: number;
    /** The forced stage's expiry, when an override holds; unset otherwise. */
    override_expire_time: Timestamp | undefined;
    /** Whether an admin override holds the stage. */
    overridden: boolean;
    /** The last evaluation's evidence. */
    metrics: LifecycleMetrics | undefined;
    /** The last evaluation's verdict, for a human. */
    last_reason: string;
}
/** ListLifecyclesRequest selects pods. */
export interface ListLifecyclesRequest {
    /** One pod; empty means all. */
    pod_id: string;
}
/** ListLifecyclesResponse lists states by pod_id. */
export interface ListLifecyclesResponse {
    /** The states. */
    lifecycles: PodLifecycle[];
}
/** GetLifecycleHistoryRequest names a pod. */
export interface GetLifecycleHistoryRequest {
    /** The pod. */
    pod_id: string;
}
/** GetLifecycleHistoryResponse lists its transitions. */
export interface GetLifecycleHistoryResponse {
    /** Oldest first. */
    transitions: LifecycleTransition[];
}
/** EvaluateLifecyclesRequest runs an evaluation. */
export interface EvaluateLifecyclesRequest {
    /** Who asks (operator, "schedule" or the orchestrator); must not be empty. */
    requested_by: string;
}
/** EvaluateLifecyclesResponse lists what changed. */
export interface EvaluateLifecyclesResponse {
    /** The transitions recorded by this evaluation (none when nothing moved). */
    transitions: LifecycleTransition[];
    /** Every pod's state after it. */
    lifecycles: PodLifecycle[];
}
/** OverrideLifecycleStageRequest forces a stage. */
export interface OverrideLifecycleStageRequest {
    /** The pod. */
    pod_id: string;
    /** The stage to hold; must be set. */
    stage: LifecycleStage;
    /** Who; must not be empty. */
    requested_by: string;
    /** Why; must not be empty. */
    reason: string;
    /** When the override lapses; unset means until lifted. */
    expire_time: Timestamp | undefined;
}
/** OverrideLifecycleStageResponse returns the recorded transition. */
export interface OverrideLifecycleStageResponse {
    /** The override. */
    transition: LifecycleTransition | undefined;
}
/** LiftLifecycleOverrideRequest lifts an override. */
export interface LiftLifecycleOverrideRequest {
    /** The pod. */
    pod_id: string;
    /** Who; must not be empty. */
    requested_by: string;
    /** Why; must not be empty. */
    reason: string;
}
/** LiftLifecycleOverrideResponse returns the recorded transition. */
export interface LiftLifecycleOverrideResponse {
    /** The lift. */
    transition: LifecycleTransition | undefined;
}
export declare const ReportWindow: MessageFns<ReportWindow>;
export declare const ShortfallFigures: MessageFns<ShortfallFigures>;
export declare const ShortfallGroup: MessageFns<ShortfallGroup>;
export declare const QualityCount: MessageFns<QualityCount>;
export declare const GetShortfallReportRequest: MessageFns<GetShortfallReportRequest>;
export declare const GetShortfallReportResponse: MessageFns<GetShortfallReportResponse>;
export declare const OrderShortfall: MessageFns<OrderShortfall>;
export declare const ListHighShortfallOrdersRequest: MessageFns<ListHighShortfallOrdersRequest>;
export declare const ListHighShortfallOrdersResponse: MessageFns<ListHighShortfallOrdersResponse>;
export declare const FactorLoading: MessageFns<FactorLoading>;
export declare const RollingBeta: MessageFns<RollingBeta>;
export declare const GetResidualReportRequest: MessageFns<GetResidualReportRequest>;
export declare const GetResidualReportResponse: MessageFns<GetResidualReportResponse>;
export declare const LiquidityMix: MessageFns<LiquidityMix>;
export declare const GetFillRatioReportRequest: MessageFns<GetFillRatioReportRequest>;
export declare const GetFillRatioReportResponse: MessageFns<GetFillRatioReportResponse>;
export declare const LifecycleMetrics: MessageFns<LifecycleMetrics>;
export declare const LifecycleTransition: MessageFns<LifecycleTransition>;
export declare const PodLifecycle: MessageFns<PodLifecycle>;
export declare const ListLifecyclesRequest: MessageFns<ListLifecyclesRequest>;
export declare const ListLifecyclesResponse: MessageFns<ListLifecyclesResponse>;
export declare const GetLifecycleHistoryRequest: MessageFns<GetLifecycleHistoryRequest>;
export declare const GetLifecycleHistoryResponse: MessageFns<GetLifecycleHistoryResponse>;
export declare const EvaluateLifecyclesRequest: MessageFns<EvaluateLifecyclesRequest>;
export declare const EvaluateLifecyclesResponse: MessageFns<EvaluateLifecyclesResponse>;
export declare const OverrideLifecycleStageRequest: MessageFns<OverrideLifecycleStageRequest>;
export declare const OverrideLifecycleStageResponse: MessageFns<OverrideLifecycleStageResponse>;
export declare const LiftLifecycleOverrideRequest: MessageFns<LiftLifecycleOverrideRequest>;
export declare const LiftLifecycleOverrideResponse: MessageFns<LiftLifecycleOverrideResponse>;
/**
 * AnalyticsService is post-trade truth. It separates bad luck from bad execution
 * (implementation shortfall from the gateway's records of decision prices and fills), skill from
 * market drift (residual returns after BTC and ETH beta, from the data lake, point in time), and
 * process from intent (maker/taker volume against the declared execution intent), and it runs
 * each pod's lifecycle (incubation, evaluation, growth, maturity, retirement) mechanically on
 * that evidence, with every transition recorded with its evidence.
 *
 * Identity: metadata "authorization: Bearer <token>"; the admin token for everything, auditor
 * and viewer tokens for the Get and List calls (docs/authorization.md). Malformed input is INVALID_ARGUMENT naming the field;
 * an unknown pod is NOT_FOUND.
 */
export type AnalyticsServiceService = typeof AnalyticsServiceService;
export declare const AnalyticsServiceService: {
    /**
     * Returns a pod's implementation shortfall over a window: totals, per symbol and period,
     * orders per quality grade, and the execution review ("rewrite the execution, not the alpha").
     */
    readonly getShortfallReport: {
        readonly path: "/slipstream.v1.AnalyticsService/GetShortfallReport";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetShortfallReportRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetShortfallReportRequest;
        readonly responseSerialize: (value: GetShortfallReportResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetShortfallReportResponse;
    };
    /** Lists a pod's orders with the highest shortfall in a window, costliest first. */
    readonly listHighShortfallOrders: {
        readonly path: "/slipstream.v1.AnalyticsService/ListHighShortfallOrders";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ListHighShortfallOrdersRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ListHighShortfallOrdersRequest;
        readonly responseSerialize: (value: ListHighShortfallOrdersResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ListHighShortfallOrdersResponse;
    };
    /**
     * Returns a pod's residual-return report: alpha and betas to BTC and ETH with Newey-West
     * t-statistics, PnL attributed to beta and alpha, rolling betas, and the fake-alpha verdict.
     * Returns FAILED_PRECONDITION when the pod has too short a history.
     */
    readonly getResidualReport: {
        readonly path: "/slipstream.v1.AnalyticsService/GetResidualReport";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetResidualReportRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetResidualReportRequest;
        readonly responseSerialize: (value: GetResidualReportResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetResidualReportResponse;
    };
    /**
     * Returns a pod's maker/taker volume mix per symbol and period against its declared intent,
     * and whether execution contradicts the intent.
     */
    readonly getFillRatioReport: {
        readonly path: "/slipstream.v1.AnalyticsService/GetFillRatioReport";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetFillRatioReportRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetFillRatioReportRequest;
        readonly responseSerialize: (value: GetFillRatioReportResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetFillRatioReportResponse;
    };
    /** Lists pods' lifecycle states (one pod, or all), with the evidence of the last evaluation. */
    readonly listLifecycles: {
        readonly path: "/slipstream.v1.AnalyticsService/ListLifecycles";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ListLifecyclesRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ListLifecyclesRequest;
        readonly responseSerialize: (value: ListLifecyclesResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ListLifecyclesResponse;
    };
    /** Returns one pod's lifecycle transitions, oldest first. */
    readonly getLifecycleHistory: {
        readonly path: "/slipstream.v1.AnalyticsService/GetLifecycleHistory";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetLifecycleHistoryRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetLifecycleHistoryRequest;
        readonly responseSerialize: (value: GetLifecycleHistoryResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetLifecycleHistoryResponse;
    };
    /**
     * Evaluates every pod's lifecycle now and records the transitions (the federation's cycle
     * calls it). Admin only.
     */
    readonly evaluateLifecycles: {
        readonly path: "/slipstream.v1.AnalyticsService/EvaluateLifecycles";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: EvaluateLifecyclesRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => EvaluateLifecyclesRequest;
        readonly responseSerialize: (value: EvaluateLifecyclesResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => EvaluateLifecyclesResponse;
    };
    /**
     * Forces a pod's stage until lifted or expired; recorded with who and why. Admin only.
     * Returns FAILED_PRECONDITION for a retired pod.
     */
    readonly overrideLifecycleStage: {
        readonly path: "/slipstream.v1.AnalyticsService/OverrideLifecycleStage";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: OverrideLifecycleStageRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => OverrideLifecycleStageRequest;
        readonly responseSerialize: (value: OverrideLifecycleStageResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => OverrideLifecycleStageResponse;
    };
    /**
     * Lifts a pod's override; evaluation resumes from the forced stage. Admin only. Returns
     * FAILED_PRECONDITION when the pod has no override.
     */
    readonly liftLifecycleOverride: {
        readonly path: "/slipstream.v1.AnalyticsService/LiftLifecycleOverride";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: LiftLifecycleOverrideRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => LiftLifecycleOverrideRequest;
        readonly responseSerialize: (value: LiftLifecycleOverrideResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => LiftLifecycleOverrideResponse;
    };
};
export interface AnalyticsServiceServer extends UntypedServiceImplementation {
    /**
     * Returns a pod's implementation shortfall over a window: totals, per symbol and period,
     * orders per quality grade, and the execution review ("rewrite the execution, not the alpha").
     */
    getShortfallReport: handleUnaryCall<GetShortfallReportRequest, GetShortfallReportResponse>;
    /** Lists a pod's orders with the highest shortfall in a window, costliest first. */
    listHighShortfallOrders: handleUnaryCall<ListHighShortfallOrdersRequest, ListHighShortfallOrdersResponse>;
    /**
     * Returns a pod's residual-return report: alpha and betas to BTC and ETH with Newey-West
     * t-statistics, PnL attributed to beta and alpha, rolling betas, and the fake-alpha verdict.
     * Returns FAILED_PRECONDITION when the pod has too short a history.
     */
    getResidualReport: handleUnaryCall<GetResidualReportRequest, GetResidualReportResponse>;
    /**
     * Returns a pod's maker/taker volume mix per symbol and period against its declared intent,
     * and whether execution contradicts the intent.
     */
    getFillRatioReport: handleUnaryCall<GetFillRatioReportRequest, GetFillRatioReportResponse>;
    /** Lists pods' lifecycle states (one pod, or all), with the evidence of the last evaluation. */
    listLifecycles: handleUnaryCall<ListLifecyclesRequest, ListLifecyclesResponse>;
    /** Returns one pod's lifecycle transitions, oldest first. */
    getLifecycleHistory: handleUnaryCall<GetLifecycleHistoryRequest, GetLifecycleHistoryResponse>;
    /**
     * Evaluates every pod's lifecycle now and records the transitions (the federation's cycle
     * calls it). Admin only.
     */
    evaluateLifecycles: handleUnaryCall<EvaluateLifecyclesRequest, EvaluateLifecyclesResponse>;
    /**
     * Forces a pod's stage until lifted or expired; recorded with who and why. Admin only.
     * Returns FAILED_PRECONDITION for a retired pod.
     */
    overrideLifecycleStage: handleUnaryCall<OverrideLifecycleStageRequest, OverrideLifecycleStageResponse>;
    /**
     * Lifts a pod's override; evaluation resumes from the forced stage. Admin only. Returns
     * FAILED_PRECONDITION when the pod has no override.
     */
    liftLifecycleOverride: handleUnaryCall<LiftLifecycleOverrideRequest, LiftLifecycleOverrideResponse>;
}
export interface AnalyticsServiceClient extends Client {
    /**
     * Returns a pod's implementation shortfall over a window: totals, per symbol and period,
     * orders per quality grade, and the execution review ("rewrite the execution, not the alpha").
     */
    getShortfallReport(request: GetShortfallReportRequest, callback: (error: ServiceError | null, response: GetShortfallReportResponse) => void): ClientUnaryCall;
    getShortfallReport(request: GetShortfallReportRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetShortfallReportResponse) => void): ClientUnaryCall;
    getShortfallReport(request: GetShortfallReportRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetShortfallReportResponse) => void): ClientUnaryCall;
    /** Lists a pod's orders with the highest shortfall in a window, costliest first. */
    listHighShortfallOrders(request: ListHighShortfallOrdersRequest, callback: (error: ServiceError | null, response: ListHighShortfallOrdersResponse) => void): ClientUnaryCall;
    listHighShortfallOrders(request: ListHighShortfallOrdersRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ListHighShortfallOrdersResponse) => void): ClientUnaryCall;
    listHighShortfallOrders(request: ListHighShortfallOrdersRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ListHighShortfallOrdersResponse) => void): ClientUnaryCall;
    /**
     * Returns a pod's residual-return report: alpha and betas to BTC and ETH with Newey-West
     * t-statistics, PnL attributed to beta and alpha, rolling betas, and the fake-alpha verdict.
     * Returns FAILED_PRECONDITION when the pod has too short a history.
     */
    getResidualReport(request: GetResidualReportRequest, callback: (error: ServiceError | null, response: GetResidualReportResponse) => void): ClientUnaryCall;
    getResidualReport(request: GetResidualReportRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetResidualReportResponse) => void): ClientUnaryCall;
    getResidualReport(request: GetResidualReportRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetResidualReportResponse) => void): ClientUnaryCall;
    /**
     * Returns a pod's maker/taker volume mix per symbol and period against its declared intent,
     * and whether execution contradicts the intent.
     */
    getFillRatioReport(request: GetFillRatioReportRequest, callback: (error: ServiceError | null, response: GetFillRatioReportResponse) => void): ClientUnaryCall;
    getFillRatioReport(request: GetFillRatioReportRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetFillRatioReportResponse) => void): ClientUnaryCall;
    getFillRatioReport(request: GetFillRatioReportRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetFillRatioReportResponse) => void): ClientUnaryCall;
    /** Lists pods' lifecycle states (one pod, or all), with the evidence of the last evaluation. */
    listLifecycles(request: ListLifecyclesRequest, callback: (error: ServiceError | null, response: ListLifecyclesResponse) => void): ClientUnaryCall;
    listLifecycles(request: ListLifecyclesRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ListLifecyclesResponse) => void): ClientUnaryCall;
    listLifecycles(request: ListLifecyclesRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ListLifecyclesResponse) => void): ClientUnaryCall;
    /** Returns one pod's lifecycle transitions, oldest first. */
    getLifecycleHistory(request: GetLifecycleHistoryRequest, callback: (error: ServiceError | null, response: GetLifecycleHistoryResponse) => void): ClientUnaryCall;
    getLifecycleHistory(request: GetLifecycleHistoryRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetLifecycleHistoryResponse) => void): ClientUnaryCall;
    getLifecycleHistory(request: GetLifecycleHistoryRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetLifecycleHistoryResponse) => void): ClientUnaryCall;
    /**
     * Evaluates every pod's lifecycle now and records the transitions (the federation's cycle
     * calls it). Admin only.
     */
    evaluateLifecycles(request: EvaluateLifecyclesRequest, callback: (error: ServiceError | null, response: EvaluateLifecyclesResponse) => void): ClientUnaryCall;
    evaluateLifecycles(request: EvaluateLifecyclesRequest, metadata: Metadata, callback: (error: ServiceError | null, response: EvaluateLifecyclesResponse) => void): ClientUnaryCall;
    evaluateLifecycles(request: EvaluateLifecyclesRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: EvaluateLifecyclesResponse) => void): ClientUnaryCall;
    /**
     * Forces a pod's stage until lifted or expired; recorded with who and why. Admin only.
     * Returns FAILED_PRECONDITION for a retired pod.
     */
    overrideLifecycleStage(request: OverrideLifecycleStageRequest, callback: (error: ServiceError | null, response: OverrideLifecycleStageResponse) => void): ClientUnaryCall;
    overrideLifecycleStage(request: OverrideLifecycleStageRequest, metadata: Metadata, callback: (error: ServiceError | null, response: OverrideLifecycleStageResponse) => void): ClientUnaryCall;
    overrideLifecycleStage(request: OverrideLifecycleStageRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: OverrideLifecycleStageResponse) => void): ClientUnaryCall;
    /**
     * Lifts a pod's override; evaluation resumes from the forced stage. Admin only. Returns
     * FAILED_PRECONDITION when the pod has no override.
     */
    liftLifecycleOverride(request: LiftLifecycleOverrideRequest, callback: (error: ServiceError | null, response: LiftLifecycleOverrideResponse) => void): ClientUnaryCall;
    liftLifecycleOverride(request: LiftLifecycleOverrideRequest, metadata: Metadata, callback: (error: ServiceError | null, response: LiftLifecycleOverrideResponse) => void): ClientUnaryCall;
    liftLifecycleOverride(request: LiftLifecycleOverrideRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: LiftLifecycleOverrideResponse) => void): ClientUnaryCall;
}
export declare const AnalyticsServiceClient: {
    new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): AnalyticsServiceClient;
    service: typeof AnalyticsServiceService;
    serviceName: string;
};
type Builtin = Date | Function | Uint8Array | string | number | boolean | undefined;
export type DeepPartial<T> = T extends Builtin ? T : T extends globalThis.Array<infer U> ? globalThis.Array<DeepPartial<U>> : T extends ReadonlyArray<infer U> ? ReadonlyArray<DeepPartial<U>> : T extends {} ? {
    [K in keyof T]?: DeepPartial<T[K]>;
} : Partial<T>;
type KeysOfUnion<T> = T extends T ? keyof T : never;
export type Exact<P, I extends P> = P extends Builtin ? P : P & {
    [K in keyof P]: Exact<P[K], I[K]>;
} & {
    [K in Exclude<keyof I, KeysOfUnion<P>>]: never;
};
export interface MessageFns<T> {
    encode(message: T, writer?: BinaryWriter): BinaryWriter;
    decode(input: BinaryReader | Uint8Array, length?: number): T;
    fromJSON(object: any): T;
    toJSON(message: T): unknown;
    create<I extends Exact<DeepPartial<T>, I>>(base?: I): T;
    fromPartial<I extends Exact<DeepPartial<T>, I>>(object: I): T;
}
export {};
