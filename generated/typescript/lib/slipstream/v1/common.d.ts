import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { Duration } from "../../google/protobuf/duration";
import { Timestamp } from "../../google/protobuf/timestamp";
export declare const protobufPackage = "slipstream.v1";
export declare const protobufFileName = "slipstream/v1/common.proto";
/** TradingState is what a pod is allowed to do with new orders. */
export declare enum TradingState {
    /** TRADING_STATE_UNSPECIFIED - Not set; rejected wherever a state is required. */
    TRADING_STATE_UNSPECIFIED = "TRADING_STATE_UNSPECIFIED",
    /** TRADING_STATE_ACTIVE - The pod may open, increase, reduce and close positions within its limits. */
    TRADING_STATE_ACTIVE = "TRADING_STATE_ACTIVE",
    /** TRADING_STATE_REDUCE_ONLY - The pod may only reduce or close positions and cancel orders. */
    TRADING_STATE_REDUCE_ONLY = "TRADING_STATE_REDUCE_ONLY",
    /** TRADING_STATE_HALTED - The pod places no order at all; it may still cancel open orders. */
    TRADING_STATE_HALTED = "TRADING_STATE_HALTED",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function tradingStateFromJSON(object: any): TradingState;
export declare function tradingStateToJSON(object: TradingState): string;
export declare function tradingStateToNumber(object: TradingState): number;
/** Health is the pod's self-assessment; missing telemetry is never healthy. */
export declare enum Health {
    /** HEALTH_UNSPECIFIED - Not set. */
    HEALTH_UNSPECIFIED = "HEALTH_UNSPECIFIED",
    /** HEALTH_HEALTHY - Strategy loop and market data are current. */
    HEALTH_HEALTHY = "HEALTH_HEALTHY",
    /** HEALTH_DEGRADED - The pod answers, but its strategy loop or data is late or stuck. */
    HEALTH_DEGRADED = "HEALTH_DEGRADED",
    /** HEALTH_UNHEALTHY - The pod reports that it cannot trade correctly. */
    HEALTH_UNHEALTHY = "HEALTH_UNHEALTHY",
    /** HEALTH_UNKNOWN - The telemetry needed to judge health is missing (e.g. the pod is unreachable). */
    HEALTH_UNKNOWN = "HEALTH_UNKNOWN",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function healthFromJSON(object: any): Health;
export declare function healthToJSON(object: Health): string;
export declare function healthToNumber(object: Health): number;
/**
 * ExecutionIntent is how a pod declares it means to execute; post-trade analytics
 * compare it with its actual maker/taker volume.
 */
export declare enum ExecutionIntent {
    /** EXECUTION_INTENT_UNSPECIFIED - Not set; rejected at registration. */
    EXECUTION_INTENT_UNSPECIFIED = "EXECUTION_INTENT_UNSPECIFIED",
    /** EXECUTION_INTENT_MAKER - Passive: posts liquidity, expects mostly maker fills. */
    EXECUTION_INTENT_MAKER = "EXECUTION_INTENT_MAKER",
    /** EXECUTION_INTENT_TAKER - Aggressive: takes liquidity, expects mostly taker fills. */
    EXECUTION_INTENT_TAKER = "EXECUTION_INTENT_TAKER",
    /** EXECUTION_INTENT_MIXED - Both, with no dominant style. */
    EXECUTION_INTENT_MIXED = "EXECUTION_INTENT_MIXED",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function executionIntentFromJSON(object: any): ExecutionIntent;
export declare function executionIntentToJSON(object: ExecutionIntent): string;
export declare function executionIntentToNumber(object: ExecutionIntent): number;
/** HaltReason says why a kill switch was pulled. */
export declare enum HaltReason {
    /** HALT_REASON_UNSPECIFIED - Not set; rejected. */
    HALT_REASON_UNSPECIFIED = "HALT_REASON_UNSPECIFIED",
    /** HALT_REASON_MANUAL - An operator decided to halt. */
    HALT_REASON_MANUAL = "HALT_REASON_MANUAL",
    /** HALT_REASON_RISK_VIOLATION - A risk limit or an audit discrepancy was breached. */
    HALT_REASON_RISK_VIOLATION = "HALT_REASON_RISK_VIOLATION",
    /** HALT_REASON_PERFORMANCE_FAILURE - The pod's performance fell below its mandate. */
    HALT_REASON_PERFORMANCE_FAILURE = "HALT_REASON_PERFORMANCE_FAILURE",
    /** HALT_REASON_MAINTENANCE - Planned maintenance of the pod or the platform. */
    HALT_REASON_MAINTENANCE = "HALT_REASON_MAINTENANCE",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function haltReasonFromJSON(object: any): HaltReason;
export declare function haltReasonToJSON(object: HaltReason): string;
export declare function haltReasonToNumber(object: HaltReason): number;
/** LifecycleStage is where a pod is in its life; each stage caps the capital it may be given. */
export declare enum LifecycleStage {
    /** LIFECYCLE_STAGE_UNSPECIFIED - Not set. */
    LIFECYCLE_STAGE_UNSPECIFIED = "LIFECYCLE_STAGE_UNSPECIFIED",
    /** LIFECYCLE_STAGE_INCUBATION - New: small learning capital while evidence accumulates. */
    LIFECYCLE_STAGE_INCUBATION = "LIFECYCLE_STAGE_INCUBATION",
    /** LIFECYCLE_STAGE_EVALUATION - Showing significance: more capital, still capped. */
    LIFECYCLE_STAGE_EVALUATION = "LIFECYCLE_STAGE_EVALUATION",
    /** LIFECYCLE_STAGE_GROWTH - Significant skill: scaled up. */
    LIFECYCLE_STAGE_GROWTH = "LIFECYCLE_STAGE_GROWTH",
    /** LIFECYCLE_STAGE_MATURITY - Established: the largest caps. */
    LIFECYCLE_STAGE_MATURITY = "LIFECYCLE_STAGE_MATURITY",
    /** LIFECYCLE_STAGE_RETIREMENT - Finished: no capital; terminal. */
    LIFECYCLE_STAGE_RETIREMENT = "LIFECYCLE_STAGE_RETIREMENT",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function lifecycleStageFromJSON(object: any): LifecycleStage;
export declare function lifecycleStageToJSON(object: LifecycleStage): string;
export declare function lifecycleStageToNumber(object: LifecycleStage): number;
/** OrderSide is the direction of an order. */
export declare enum OrderSide {
    /** ORDER_SIDE_UNSPECIFIED - Not set; rejected. */
    ORDER_SIDE_UNSPECIFIED = "ORDER_SIDE_UNSPECIFIED",
    /** ORDER_SIDE_BUY - Buy the base asset. */
    ORDER_SIDE_BUY = "ORDER_SIDE_BUY",
    /** ORDER_SIDE_SELL - Sell the base asset. */
    ORDER_SIDE_SELL = "ORDER_SIDE_SELL",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function orderSideFromJSON(object: any): OrderSide;
export declare function orderSideToJSON(object: OrderSide): string;
export declare function orderSideToNumber(object: OrderSide): number;
/** Position is a pod's holding in one symbol. */
export interface Position {
    /** Instrument in ccxt unified notation, e.g. "BTC/USDT". */
    symbol: string;
    /** Signed quantity in base-asset units, decimal string; negative is short. */
    quantity: string;
    /** Signed market value in USD at mark_price, decimal string (quantity x mark_price). */
    notional_usd: string;
    /** Price used to value the position, in USD per base unit, decimal string. */
    mark_price: string;
    /** Volume-weighted average entry price of the open quantity, USD per base unit, decimal string. */
    average_entry_price: string;
    /** Unrealised profit and loss of this position at mark_price, in USD, decimal string. */
    unrealized_pnl_usd: string;
}
/** OpenOrder is a working order of a pod. */
export interface OpenOrder {
    /** The pod's own identifier of the order, unique per pod. */
    client_order_id: string;
    /** Instrument in ccxt unified notation. */
    symbol: string;
    /** Buy or sell. */
    side: OrderSide;
    /** Original quantity in base-asset units, decimal string, positive. */
    quantity: string;
    /** Quantity not yet filled, in base-asset units, decimal string. */
    remaining_quantity: string;
    /** Limit price in USD per base unit, decimal string; empty for a market order. */
    limit_price: string;
    /** When the order was created. */
    create_time: Timestamp | undefined;
}
/** SymbolLimit caps a pod's position in one symbol. Empty fields mean no cap. */
export interface SymbolLimit {
    /** Instrument in ccxt unified notation. */
    symbol: string;
    /** Maximum absolute position in base-asset units, decimal string, >= 0. */
    max_position_quantity: string;
    /** Maximum absolute position value in USD, decimal string, >= 0. */
    max_position_notional_usd: string;
}
/** PodLimits are the dynamic risk limits the centre grants a pod. */
export interface PodLimits {
    /** Per-symbol position caps; a symbol may appear at most once. */
    symbol_limits: SymbolLimit[];
    /**
     * Maximum sum of absolute position values across symbols, in USD, decimal string, >= 0;
     * empty means no cap.
     */
    max_gross_notional_usd: string;
    /** Capital allocated to the pod, in USD, decimal string, >= 0; returns are measured on it. */
    capital_allocation_usd: string;
    /**
     * Target volatility of the pod's returns, annualised, as a fraction (0.2 = 20%), >= 0;
     * 0 means not set.
     */
    volatility_target_annualized: number;
}
/** PodConfig is one complete, versioned configuration of a pod. */
export interface PodConfig {
    /**
     * Monotonically increasing version, >= 1. A pod rejects a lower version and accepts
     * the same version again only with identical content (an idempotent retry).
     */
    config_version: string;
    /**
     * Trading state the centre wants: ACTIVE resumes a halted pod, REDUCE_ONLY winds it
     * down, HALTED keeps it halted.
     */
    trading_state: TradingState;
    /** Risk limits in force from this version on. */
    limits: PodLimits | undefined;
    /** Free-form strategy parameters; keys and values are the pod's own convention. */
    parameters: {
        [key: string]: string;
    };
}
export interface PodConfig_ParametersEntry {
    key: string;
    value: string;
}
/** HaltState records the kill switch that is in force, if any. */
export interface HaltState {
    /** Why the pod was halted. */
    reason: HaltReason;
    /** Identity of whoever asked (operator name, service name). */
    requested_by: string;
    /** Free text from the requester. */
    note: string;
    /** When the pod applied the halt. */
    halt_time: Timestamp | undefined;
}
/** PodStatus is a pod's complete report, as a risk manager needs it. */
export interface PodStatus {
    /** Identifier of the pod, unique within the federation. */
    pod_id: string;
    /** What the pod is currently allowed to do. */
    trading_state: TradingState;
    /** The pod's health; never HEALTHY when its telemetry is stale. */
    health: Health;
    /** Sum of signed position values, in USD, decimal string. */
    net_exposure_usd: string;
    /** Sum of absolute position values, in USD, decimal string. */
    gross_exposure_usd: string;
    /** Positions, one per symbol with a non-zero quantity. */
    positions: Position[];
    /** Working orders. */
    open_orders: OpenOrder[];
    /** Profit and loss realised since the pod started trading, in USD, decimal string. */
    realized_pnl_usd: string;
    /** Profit and loss of open positions at mark, in USD, decimal string. */
    unrealized_pnl_usd: string;
    /** Net asset value (capital plus realised and unrealised PnL), in USD, decimal string. */
    nav_usd: string;
    /** The configuration in force, including its version (0 = never configured). */
    config: PodConfig | undefined;
    /** How the pod means to execute. */
    execution_intent: ExecutionIntent;
    /** Time since the pod process started. */
    uptime: Duration | undefined;
    /** When this report was produced, by the pod's clock. */
    report_time: Timestamp | undefined;
    /** The halt in force; absent unless trading_state is HALTED. */
    halt: HaltState | undefined;
    /** Implementation language of the pod, e.g. "python", "node". */
    language: string;
}
export declare const Position: MessageFns<Position>;
export declare const OpenOrder: MessageFns<OpenOrder>;
export declare const SymbolLimit: MessageFns<SymbolLimit>;
export declare const PodLimits: MessageFns<PodLimits>;
export declare const PodConfig: MessageFns<PodConfig>;
export declare const PodConfig_ParametersEntry: MessageFns<PodConfig_ParametersEntry>;
export declare const HaltState: MessageFns<HaltState>;
export declare const PodStatus: MessageFns<PodStatus>;
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
