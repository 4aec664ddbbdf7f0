import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { type CallOptions, type ChannelCredentials, Client, type ClientOptions, type ClientUnaryCall, type handleUnaryCall, type Metadata, type ServiceError, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { Timestamp } from "../../google/protobuf/timestamp";
import { PodLimits } from "./common";
export declare const protobufPackage = "slipstream.v1";
export declare const protobufFileName = "slipstream/v1/optimizer.proto";
/** CycleMode says whether a cycle acts on its result. */
export declare enum CycleMode {
    /** CYCLE_MODE_UNSPECIFIED - Not set; rejected. */
    CYCLE_MODE_UNSPECIFIED = "CYCLE_MODE_UNSPECIFIED",
    /** CYCLE_MODE_OBSERVE - Record what would be allocated; push nothing. */
    CYCLE_MODE_OBSERVE = "CYCLE_MODE_OBSERVE",
    /** CYCLE_MODE_APPLY - Record and push the new limits to every pod. */
    CYCLE_MODE_APPLY = "CYCLE_MODE_APPLY",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function cycleModeFromJSON(object: any): CycleMode;
export declare function cycleModeToJSON(object: CycleMode): string;
export declare function cycleModeToNumber(object: CycleMode): number;
/** AllocationMethod is how target weights are computed from the pods' covariance. */
export declare enum AllocationMethod {
    /** ALLOCATION_METHOD_UNSPECIFIED - Not set: the optimizer's configured method. */
    ALLOCATION_METHOD_UNSPECIFIED = "ALLOCATION_METHOD_UNSPECIFIED",
    /** ALLOCATION_METHOD_INVERSE_VOLATILITY - Weights proportional to 1 / volatility (naive risk parity). */
    ALLOCATION_METHOD_INVERSE_VOLATILITY = "ALLOCATION_METHOD_INVERSE_VOLATILITY",
    /** ALLOCATION_METHOD_HIERARCHICAL_RISK_PARITY - Hierarchical Risk Parity (Lopez de Prado, 2016). */
    ALLOCATION_METHOD_HIERARCHICAL_RISK_PARITY = "ALLOCATION_METHOD_HIERARCHICAL_RISK_PARITY",
    /** ALLOCATION_METHOD_MAX_DIVERSIFICATION - Maximum diversification ratio (Choueifaty and Coignard, 2008), long only, constrained. */
    ALLOCATION_METHOD_MAX_DIVERSIFICATION = "ALLOCATION_METHOD_MAX_DIVERSIFICATION",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function allocationMethodFromJSON(object: any): AllocationMethod;
export declare function allocationMethodToJSON(object: AllocationMethod): string;
export declare function allocationMethodToNumber(object: AllocationMethod): number;
/** CovarianceEstimator is how the pods' return covariance is estimated. */
export declare enum CovarianceEstimator {
    /** COVARIANCE_ESTIMATOR_UNSPECIFIED - Not set: the optimizer's configured estimator. */
    COVARIANCE_ESTIMATOR_UNSPECIFIED = "COVARIANCE_ESTIMATOR_UNSPECIFIED",
    /** COVARIANCE_ESTIMATOR_LEDOIT_WOLF - Ledoit-Wolf shrinkage towards a scaled identity (2004). */
    COVARIANCE_ESTIMATOR_LEDOIT_WOLF = "COVARIANCE_ESTIMATOR_LEDOIT_WOLF",
    /** COVARIANCE_ESTIMATOR_EWMA - Exponentially weighted, with the configured half-life. */
    COVARIANCE_ESTIMATOR_EWMA = "COVARIANCE_ESTIMATOR_EWMA",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function covarianceEstimatorFromJSON(object: any): CovarianceEstimator;
export declare function covarianceEstimatorToJSON(object: CovarianceEstimator): string;
export declare function covarianceEstimatorToNumber(object: CovarianceEstimator): number;
/** PodAllocation is one pod's outcome in a cycle, with what it was computed from. */
export interface PodAllocation {
    /** The pod. */
    pod_id: string;
    /** Capital before the cycle, USD, decimal string. */
    previous_capital_usd: string;
    /** Capital granted by the cycle, USD, decimal string. */
    capital_usd: string;
    /** The method's target weight before constraints, fraction of total capital. */
    target_weight: number;
    /** Final weight, fraction of total capital. */
    weight: number;
    /** Annualised volatility of the pod's daily returns on allocated capital, fraction. */
    volatility_annualized: number;
    /** Annualised Sharpe ratio of those returns (365-day year), ratio. */
    sharpe_annualized: number;
    /** Share of the portfolio's variance this pod contributes at the final weights, fraction. */
    risk_contribution: number;
    /** Daily returns used, count. */
    observation_count: number;
    /** Multiplier applied to the pod's cap for decay (1 = none), fraction. */
    decay_multiplier: number;
    /**
     * Largest capital the liquidity of the pod's symbols allows, USD, decimal string; empty
     * when the pod's symbols are unknown.
     */
    liquidity_capacity_usd: string;
    /** Why the pod got this figure: each constraint or rule that bound it, in order applied. */
    reasons: string[];
    /**
     * The limits derived for the pod (capital, volatility target, per-symbol caps from the
     * central volatility forecast, gross cap); pushed in CYCLE_MODE_APPLY.
     */
    limits: PodLimits | undefined;
    /** Whether the limits reached the pod (CYCLE_MODE_APPLY only). */
    delivered: boolean;
    /** Why delivery failed, empty when it did not. */
    delivery_error: string;
}
/** StressTestResult is the covariance stress test of a set of exposures. */
export interface StressTestResult {
    /** Correlation of the combined exposures' daily PnL with BTC, ratio in [-1, 1]. */
    btc_correlation: number;
    /** The configured ceiling on that correlation, ratio. */
    btc_correlation_limit: number;
    /** Whether the ceiling was exceeded before scaling. */
    breached: boolean;
    /** Correlation after the contributing pods were scaled down, ratio. */
    btc_correlation_after: number;
    /** The pods scaled down and by how much. */
    scalings: PodScaling[];
    /** Expected daily volatility of the combined exposures, USD. */
    expected_risk_usd: number;
    /** Daily volatility with every correlation at +1 (the worst case), USD. */
    worst_correlation_risk_usd: number;
    /** Daily volatility with each asset's volatility at its configured high percentile, USD. */
    high_volatility_risk_usd: number;
    /** The risk target the overlay compares against, daily, USD. */
    risk_target_usd: number;
    /** Overlay multiplier applied to every pod's limits (1 = none), fraction. */
    overlay_multiplier: number;
    /** Which overlay measure bound the multiplier, empty when none did. */
    overlay_binding: string;
}
/** PodScaling is how much the stress test cut one pod's limits. */
export interface PodScaling {
    /** The pod. */
    pod_id: string;
    /** Multiplier applied to its position caps, fraction in [0, 1] (the configured floor, 0 by default). */
    multiplier: number;
}
/** ScenarioPosition is a position value in one symbol. */
export interface ScenarioPosition {
    /** Instrument in ccxt unified notation. */
    symbol: string;
    /** Signed position value, USD (positive long), decimal string. */
    notional_usd: string;
}
/** PodScenario is one pod's positions in a stress scenario. */
export interface PodScenario {
    /** The pod. */
    pod_id: string;
    /** Its positions in the scenario. */
    positions: ScenarioPosition[];
}
/** Allocation is one recorded cycle. */
export interface Allocation {
    /** Identifier of the cycle, sequence number from 1. */
    cycle_id: string;
    /** When the cycle ran. */
    cycle_time: Timestamp | undefined;
    /** Observe or apply. */
    mode: CycleMode;
    /** Method used. */
    method: AllocationMethod;
    /** Estimator used. */
    estimator: CovarianceEstimator;
    /** Capital allocated across pods, USD, decimal string. */
    total_capital_usd: string;
    /** Each pod's outcome, by pod_id. */
    pods: PodAllocation[];
    /**
     * Effective number of bets at the final weights: the inverse Herfindahl index of the pods'
     * risk contributions (Roncalli, 2013), count.
     */
    effective_number_of_bets: number;
    /**
     * Diversification ratio at the final weights (weighted volatilities over portfolio
     * volatility, >= 1), ratio.
     */
    diversification_ratio: number;
    /** Sum of absolute capital changes over total capital, fraction. */
    turnover: number;
    /** The stress test at every pod's maximum under the new limits, and the overlay. */
    stress: StressTestResult | undefined;
    /** Who ran the cycle (operator, or "schedule"). */
    requested_by: string;
}
/** RunCycleRequest starts a cycle. */
export interface RunCycleRequest {
    /** Observe or apply; must be set. */
    mode: CycleMode;
    /** Method for this cycle; unset means the configured one. */
    method: AllocationMethod;
    /** Estimator for this cycle; unset means the configured one. */
    estimator: CovarianceEstimator;
    /** Who asks; must not be empty. */
    requested_by: string;
    /** Pods whose capital an operator fixed for this cycle; at most one per pod. */
    pins: CapitalPin[];
}
/**
 * CapitalPin fixes one pod's capital: the pin wins over the pod's bounds, stage and liquidity
 * caps (an operator's explicit, logged decision), and the other pods share the rest.
 */
export interface CapitalPin {
    /** The pod. */
    pod_id: string;
    /** Its capital, USD, decimal string, >= 0. */
    capital_usd: string;
    /** Why, for the record. */
    reason: string;
}
/** RunCycleResponse returns the recorded cycle. */
export interface RunCycleResponse {
    /** The cycle. */
    allocation: Allocation | undefined;
}
/** GetAllocationRequest names a cycle. */
export interface GetAllocationRequest {
    /** The cycle's identifier, sequence number; 0 means the latest, >= 0. */
    cycle_id: string;
}
/** GetAllocationResponse returns a cycle. */
export interface GetAllocationResponse {
    /** The cycle. */
    allocation: Allocation | undefined;
}
/** ListAllocationsRequest pages through cycles. */
export interface ListAllocationsRequest {
    /** Maximum cycles returned, count; 0 means 100; at most 10,000. */
    max_count: number;
    /** Only the history of this pod (cycles where it took part); empty means all pods. */
    pod_id: string;
}
/** ListAllocationsResponse lists cycles, newest first. */
export interface ListAllocationsResponse {
    /** The cycles. */
    allocations: Allocation[];
}
/** GetCovarianceRequest selects an estimator. */
export interface GetCovarianceRequest {
    /** Unset means the configured one. */
    estimator: CovarianceEstimator;
}
/** GetCovarianceResponse is the pods' covariance as estimated now. */
export interface GetCovarianceResponse {
    /** The pods, in matrix order. */
    pod_ids: string[];
    /** Covariance of daily returns on allocated capital, row-major N x N, fraction squared per day. */
    covariance: number[];
    /** Correlation, row-major N x N, ratio in [-1, 1]. */
    correlation: number[];
    /** Ledoit-Wolf shrinkage intensity, fraction in [0, 1]; 0 for EWMA. */
    shrinkage: number;
    /** Effective number of bets at equal weights, count. */
    effective_number_of_bets: number;
    /** Diversification ratio at equal weights, ratio. */
    diversification_ratio: number;
    /** Days with a return from at least one pod, count. */
    observation_count: number;
}
/** RunStressTestRequest gives the scenario. */
export interface RunStressTestRequest {
    /** Scenario exposures per pod; empty means every pod at its maximum under its current limits. */
    pods: PodScenario[];
    /** Ceiling on the correlation with BTC, ratio in (0, 1); 0 means the configured one. */
    btc_correlation_limit: number;
}
/** RunStressTestResponse is the result. */
export interface RunStressTestResponse {
    /** The result, with the scaling that would bring the correlation under the ceiling. */
    result: StressTestResult | undefined;
}
/** GetCapacityRequest names a symbol. */
export interface GetCapacityRequest {
    /** Instrument in ccxt unified notation. */
    symbol: string;
    /** Impact budget, bps, > 0; 0 means the configured one. */
    impact_budget_bps: number;
}
/** LiquidityPoint is one point of the liquidity surface. */
export interface LiquidityPoint {
    /** Order size, USD. */
    order_notional_usd: number;
    /** Expected slippage of an order of that size, bps. */
    expected_slippage_bps: number;
}
/** GetCapacityResponse is the symbol's liquidity surface. */
export interface GetCapacityResponse {
    /** The symbol. */
    symbol: string;
    /** Half the bid-ask spread, bps. */
    half_spread_bps: number;
    /** Daily volatility of returns (fraction, not annualised). */
    daily_volatility: number;
    /** Average daily traded value, USD. */
    daily_volume_usd: number;
    /** The square-root law's Y coefficient, ratio. */
    impact_coefficient: number;
    /** Trades the coefficient was calibrated from, count; 0 means the literature default was used. */
    calibration_trade_count: number;
    /** Where the coefficient comes from, for a human. */
    impact_coefficient_source: string;
    /** The impact budget used, bps. */
    impact_budget_bps: number;
    /** Largest order whose expected slippage stays within the budget, USD. */
    capacity_usd: number;
    /** Expected slippage at sizes from 0.01% to 10% of daily volume. */
    surface: LiquidityPoint[];
}
export declare const PodAllocation: MessageFns<PodAllocation>;
export declare const StressTestResult: MessageFns<StressTestResult>;
export declare const PodScaling: MessageFns<PodScaling>;
export declare const ScenarioPosition: MessageFns<ScenarioPosition>;
export declare const PodScenario: MessageFns<PodScenario>;
export declare const Allocation: MessageFns<Allocation>;
export declare const RunCycleRequest: MessageFns<RunCycleRequest>;
export declare const CapitalPin: MessageFns<CapitalPin>;
export declare const RunCycleResponse: MessageFns<RunCycleResponse>;
export declare const GetAllocationRequest: MessageFns<GetAllocationRequest>;
export declare const GetAllocationResponse: MessageFns<GetAllocationResponse>;
export declare const ListAllocationsRequest: MessageFns<ListAllocationsRequest>;
export declare const ListAllocationsResponse: MessageFns<ListAllocationsResponse>;
export declare const GetCovarianceRequest: MessageFns<GetCovarianceRequest>;
export declare const GetCovarianceResponse: MessageFns<GetCovarianceResponse>;
export declare const RunStressTestRequest: MessageFns<RunStressTestRequest>;
export declare const RunStressTestResponse: MessageFns<RunStressTestResponse>;
export declare const GetCapacityRequest: MessageFns<GetCapacityRequest>;
export declare const LiquidityPoint: MessageFns<LiquidityPoint>;
export declare const GetCapacityResponse: MessageFns<GetCapacityResponse>;
/**
 * OptimizerService is the federation's central bank. It does not tell a pod what to buy; it
 * tells it how much risk it may take. Each cycle it reads every pod's returns on allocated
 * capital from the federation's status history, estimates their covariance, allocates the
 * federation's capital (performing, uncorrelated pods get more; decaying or correlated ones
 * less), turns each pod's capital into per-symbol caps on the central volatility forecast,
 * caps them by market liquidity, stress-tests the whole at every pod's maximum, and records
 * everything it used so that each figure can be explained later.
 *
 * Identity: metadata "authorization: Bearer <token>". RunCycle needs the admin token; the
 * read calls accept admin, auditor and viewer tokens (docs/authorization.md). Malformed input is INVALID_ARGUMENT naming the field.
 */
export type OptimizerServiceService = typeof OptimizerServiceService;
export declare const OptimizerServiceService: {
    /**
     * Runs one allocation cycle now. In CYCLE_MODE_OBSERVE it records what it would do and
     * pushes nothing; in CYCLE_MODE_APPLY it pushes each pod's new limits through the
     * federation (PushPodConfig), which the gateway enforces. Returns FAILED_PRECONDITION when
     * the federation has no registered pod, UNAVAILABLE when the federation cannot be read.
     */
    readonly runCycle: {
        readonly path: "/slipstream.v1.OptimizerService/RunCycle";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: RunCycleRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => RunCycleRequest;
        readonly responseSerialize: (value: RunCycleResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => RunCycleResponse;
    };
    /**
     * Returns one recorded cycle (the latest when cycle_id is 0). Returns NOT_FOUND before the
     * first cycle or for an unknown cycle_id.
     */
    readonly getAllocation: {
        readonly path: "/slipstream.v1.OptimizerService/GetAllocation";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetAllocationRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetAllocationRequest;
        readonly responseSerialize: (value: GetAllocationResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetAllocationResponse;
    };
    /** Lists recorded cycles, newest first, without their inputs. */
    readonly listAllocations: {
        readonly path: "/slipstream.v1.OptimizerService/ListAllocations";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ListAllocationsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ListAllocationsRequest;
        readonly responseSerialize: (value: ListAllocationsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ListAllocationsResponse;
    };
    /**
     * Returns the pods' return covariance and correlation as estimated now, with diversification
     * metrics. Returns FAILED_PRECONDITION when fewer than two pods have enough history.
     */
    readonly getCovariance: {
        readonly path: "/slipstream.v1.OptimizerService/GetCovariance";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetCovarianceRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetCovarianceRequest;
        readonly responseSerialize: (value: GetCovarianceResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetCovarianceResponse;
    };
    /**
     * Runs the covariance stress test on the given scenario exposures, or with every pod at its
     * maximum positions under its current limits when none are given.
     */
    readonly runStressTest: {
        readonly path: "/slipstream.v1.OptimizerService/RunStressTest";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: RunStressTestRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => RunStressTestRequest;
        readonly responseSerialize: (value: RunStressTestResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => RunStressTestResponse;
    };
    /**
     * Returns a symbol's liquidity surface (expected slippage against order size, square-root
     * law) and its capacity under the impact budget. Returns NOT_FOUND for a symbol the data lake
     * has no daily history of.
     */
    readonly getCapacity: {
        readonly path: "/slipstream.v1.OptimizerService/GetCapacity";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetCapacityRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetCapacityRequest;
        readonly responseSerialize: (value: GetCapacityResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetCapacityResponse;
    };
};
export interface OptimizerServiceServer extends UntypedServiceImplementation {
    /**
     * Runs one allocation cycle now. In CYCLE_MODE_OBSERVE it records what it would do and
     * pushes nothing; in CYCLE_MODE_APPLY it pushes each pod's new limits through the
     * federation (PushPodConfig), which the gateway enforces. Returns FAILED_PRECONDITION when
     * the federation has no registered pod, UNAVAILABLE when the federation cannot be read.
     */
    runCycle: handleUnaryCall<RunCycleRequest, RunCycleResponse>;
    /**
     * Returns one recorded cycle (the latest when cycle_id is 0). Returns NOT_FOUND before the
     * first cycle or for an unknown cycle_id.
     */
    getAllocation: handleUnaryCall<GetAllocationRequest, GetAllocationResponse>;
    /** Lists recorded cycles, newest first, without their inputs. */
    listAllocations: handleUnaryCall<ListAllocationsRequest, ListAllocationsResponse>;
    /**
     * Returns the pods' return covariance and correlation as estimated now, with diversification
     * metrics. Returns FAILED_PRECONDITION when fewer than two pods have enough history.
     */
    getCovariance: handleUnaryCall<GetCovarianceRequest, GetCovarianceResponse>;
    /**
     * Runs the covariance stress test on the given scenario exposures, or with every pod at its
     * maximum positions under its current limits when none are given.
     */
    runStressTest: handleUnaryCall<RunStressTestRequest, RunStressTestResponse>;
    /**
     * Returns a symbol's liquidity surface (expected slippage against order size, square-root
     * law) and its capacity under the impact budget. Returns NOT_FOUND for a symbol the data lake
     * has no daily history of.
     */
    getCapacity: handleUnaryCall<GetCapacityRequest, GetCapacityResponse>;
}
export interface OptimizerServiceClient extends Client {
    /**
     * Runs one allocation cycle now. In CYCLE_MODE_OBSERVE it records what it would do and
     * pushes nothing; in CYCLE_MODE_APPLY it pushes each pod's new limits through the
     * federation (PushPodConfig), which the gateway enforces. Returns FAILED_PRECONDITION when
     * the federation has no registered pod, UNAVAILABLE when the federation cannot be read.
     */
    runCycle(request: RunCycleRequest, callback: (error: ServiceError | null, response: RunCycleResponse) => void): ClientUnaryCall;
    runCycle(request: RunCycleRequest, metadata: Metadata, callback: (error: ServiceError | null, response: RunCycleResponse) => void): ClientUnaryCall;
    runCycle(request: RunCycleRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: RunCycleResponse) => void): ClientUnaryCall;
    /**
     * Returns one recorded cycle (the latest when cycle_id is 0). Returns NOT_FOUND before the
     * first cycle or for an unknown cycle_id.
     */
    getAllocation(request: GetAllocationRequest, callback: (error: ServiceError | null, response: GetAllocationResponse) => void): ClientUnaryCall;
    getAllocation(request: GetAllocationRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetAllocationResponse) => void): ClientUnaryCall;
    getAllocation(request: GetAllocationRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetAllocationResponse) => void): ClientUnaryCall;
    /** Lists recorded cycles, newest first, without their inputs. */
    listAllocations(request: ListAllocationsRequest, callback: (error: ServiceError | null, response: ListAllocationsResponse) => void): ClientUnaryCall;
    listAllocations(request: ListAllocationsRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ListAllocationsResponse) => void): ClientUnaryCall;
    listAllocations(request: ListAllocationsRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ListAllocationsResponse) => void): ClientUnaryCall;
    /**
     * Returns the pods' return covariance and correlation as estimated now, with diversification
     * metrics. Returns FAILED_PRECONDITION when fewer than two pods have enough history.
     */
    getCovariance(request: GetCovarianceRequest, callback: (error: ServiceError | null, response: GetCovarianceResponse) => void): ClientUnaryCall;
    getCovariance(request: GetCovarianceRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetCovarianceResponse) => void): ClientUnaryCall;
    getCovariance(request: GetCovarianceRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetCovarianceResponse) => void): ClientUnaryCall;
    /**
     * Runs the covariance stress test on the given scenario exposures, or with every pod at its
     * maximum positions under its current limits when none are given.
     */
    runStressTest(request: RunStressTestRequest, callback: (error: ServiceError | null, response: RunStressTestResponse) => void): ClientUnaryCall;
    runStressTest(request: RunStressTestRequest, metadata: Metadata, callback: (error: ServiceError | null, response: RunStressTestResponse) => void): ClientUnaryCall;
    runStressTest(request: RunStressTestRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: RunStressTestResponse) => void): ClientUnaryCall;
    /**
     * Returns a symbol's liquidity surface (expected slippage against order size, square-root
     * law) and its capacity under the impact budget. Returns NOT_FOUND for a symbol the data lake
     * has no daily history of.
     */
    getCapacity(request: GetCapacityRequest, callback: (error: ServiceError | null, response: GetCapacityResponse) => void): ClientUnaryCall;
    getCapacity(request: GetCapacityRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetCapacityResponse) => void): ClientUnaryCall;
    getCapacity(request: GetCapacityRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetCapacityResponse) => void): ClientUnaryCall;
}
export declare const OptimizerServiceClient: {
    new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): OptimizerServiceClient;
    service: typeof OptimizerServiceService;
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
