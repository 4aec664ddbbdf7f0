import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { type CallOptions, type ChannelCredentials, Client, type ClientDuplexStream, type ClientOptions, type ClientReadableStream, type ClientUnaryCall, type handleBidiStreamingCall, type handleServerStreamingCall, type handleUnaryCall, type Metadata, type ServiceError, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { Timestamp } from "../../google/protobuf/timestamp";
import { OrderSide } from "./common";
export declare const protobufPackage = "slipstream.v1";
export declare const protobufFileName = "slipstream/v1/gateway.proto";
/** OrderType is how an order executes. */
export declare enum OrderType {
    /** ORDER_TYPE_UNSPECIFIED - Not set; rejected. */
    ORDER_TYPE_UNSPECIFIED = "ORDER_TYPE_UNSPECIFIED",
    /** ORDER_TYPE_MARKET - Executes at once against the book. */
    ORDER_TYPE_MARKET = "ORDER_TYPE_MARKET",
    /** ORDER_TYPE_LIMIT - Executes at limit_price or better. */
    ORDER_TYPE_LIMIT = "ORDER_TYPE_LIMIT",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function orderTypeFromJSON(object: any): OrderType;
export declare function orderTypeToJSON(object: OrderType): string;
export declare function orderTypeToNumber(object: OrderType): number;
/** TimeInForce says how long a limit order works. */
export declare enum TimeInForce {
    /** TIME_IN_FORCE_UNSPECIFIED - Not set: GTC for limit orders, IOC for market orders. */
    TIME_IN_FORCE_UNSPECIFIED = "TIME_IN_FORCE_UNSPECIFIED",
    /** TIME_IN_FORCE_GTC - Good till cancelled. */
    TIME_IN_FORCE_GTC = "TIME_IN_FORCE_GTC",
    /** TIME_IN_FORCE_IOC - Immediate or cancel: what does not fill at once is cancelled. */
    TIME_IN_FORCE_IOC = "TIME_IN_FORCE_IOC",
    /** TIME_IN_FORCE_FOK - Fill or kill: fills entirely at once or not at all. */
    TIME_IN_FORCE_FOK = "TIME_IN_FORCE_FOK",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function timeInForceFromJSON(object: any): TimeInForce;
export declare function timeInForceToJSON(object: TimeInForce): string;
export declare function timeInForceToNumber(object: TimeInForce): number;
/** OrderStatus is where an order is in its life. */
export declare enum OrderStatus {
    /** ORDER_STATUS_UNSPECIFIED - Not set. */
    ORDER_STATUS_UNSPECIFIED = "ORDER_STATUS_UNSPECIFIED",
    /** ORDER_STATUS_PENDING - Recorded and being sent to the venue. */
    ORDER_STATUS_PENDING = "ORDER_STATUS_PENDING",
    /** ORDER_STATUS_OPEN - Working at the venue, nothing filled yet. */
    ORDER_STATUS_OPEN = "ORDER_STATUS_OPEN",
    /** ORDER_STATUS_PARTIALLY_FILLED - Working at the venue, partly filled. */
    ORDER_STATUS_PARTIALLY_FILLED = "ORDER_STATUS_PARTIALLY_FILLED",
    /** ORDER_STATUS_FILLED - Completely filled. */
    ORDER_STATUS_FILLED = "ORDER_STATUS_FILLED",
    /** ORDER_STATUS_CANCELED - Cancelled (by the pod, a halt, or IOC/FOK rules), possibly after partial fills. */
    ORDER_STATUS_CANCELED = "ORDER_STATUS_CANCELED",
    /** ORDER_STATUS_REJECTED - Refused by a pre-trade check or by the venue; see reject_reason. */
    ORDER_STATUS_REJECTED = "ORDER_STATUS_REJECTED",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function orderStatusFromJSON(object: any): OrderStatus;
export declare function orderStatusToJSON(object: OrderStatus): string;
export declare function orderStatusToNumber(object: OrderStatus): number;
/** RejectReason says which check refused an order. */
export declare enum RejectReason {
    /** REJECT_REASON_UNSPECIFIED - Not rejected. */
    REJECT_REASON_UNSPECIFIED = "REJECT_REASON_UNSPECIFIED",
    /** REJECT_REASON_POD_HALTED - The federation halted the pod (enforced here even if the pod ignores Halt). */
    REJECT_REASON_POD_HALTED = "REJECT_REASON_POD_HALTED",
    /** REJECT_REASON_REDUCE_ONLY - The pod is reduce-only and the order would increase exposure. */
    REJECT_REASON_REDUCE_ONLY = "REJECT_REASON_REDUCE_ONLY",
    /** REJECT_REASON_MAX_ORDER_QUANTITY - The order's quantity is above the per-order maximum. */
    REJECT_REASON_MAX_ORDER_QUANTITY = "REJECT_REASON_MAX_ORDER_QUANTITY",
    /** REJECT_REASON_MAX_ORDER_NOTIONAL - The order's notional is above the per-order maximum. */
    REJECT_REASON_MAX_ORDER_NOTIONAL = "REJECT_REASON_MAX_ORDER_NOTIONAL",
    /** REJECT_REASON_PRICE_COLLAR - The limit price is too far from the reference price. */
    REJECT_REASON_PRICE_COLLAR = "REJECT_REASON_PRICE_COLLAR",
    /** REJECT_REASON_MESSAGE_THROTTLE - The pod sent more orders per second than its throttle allows. */
    REJECT_REASON_MESSAGE_THROTTLE = "REJECT_REASON_MESSAGE_THROTTLE",
    /** REJECT_REASON_POSITION_LIMIT - The resulting position would exceed the pod's per-symbol limit. */
    REJECT_REASON_POSITION_LIMIT = "REJECT_REASON_POSITION_LIMIT",
    /** REJECT_REASON_GROSS_NOTIONAL_LIMIT - The resulting gross notional would exceed the pod's limit. */
    REJECT_REASON_GROSS_NOTIONAL_LIMIT = "REJECT_REASON_GROSS_NOTIONAL_LIMIT",
    /** REJECT_REASON_SELF_TRADE - The order would trade against another pod's resting order on the same account. */
    REJECT_REASON_SELF_TRADE = "REJECT_REASON_SELF_TRADE",
    /** REJECT_REASON_UNKNOWN_SYMBOL - The symbol is not traded on the pod's account. */
    REJECT_REASON_UNKNOWN_SYMBOL = "REJECT_REASON_UNKNOWN_SYMBOL",
    /** REJECT_REASON_VENUE - The venue refused the order; see reject_message. */
    REJECT_REASON_VENUE = "REJECT_REASON_VENUE",
    /** REJECT_REASON_REDUCE_ONLY_ORDER - The reduce-only order would not reduce the pod's position. */
    REJECT_REASON_REDUCE_ONLY_ORDER = "REJECT_REASON_REDUCE_ONLY_ORDER",
    /** REJECT_REASON_NOT_CONFIGURED - The pod has no configuration from the federation yet. */
    REJECT_REASON_NOT_CONFIGURED = "REJECT_REASON_NOT_CONFIGURED",
    /**
     * REJECT_REASON_POD_UNREACHABLE - The federation has reported the pod UNREACHABLE for longer than the gateway's window
     * (risk.block_unreachable_after_seconds): new orders are refused, cancels still work, and
     * the block lifts as soon as the federation reaches the pod again.
     */
    REJECT_REASON_POD_UNREACHABLE = "REJECT_REASON_POD_UNREACHABLE",
    /**
     * REJECT_REASON_VENUE_UNAVAILABLE - The account's exchange is not answering (down, timing out or failing with 5xx); nothing was
     * sent. reject_message summarises the exchange's last error. Retry once it answers again.
     */
    REJECT_REASON_VENUE_UNAVAILABLE = "REJECT_REASON_VENUE_UNAVAILABLE",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function rejectReasonFromJSON(object: any): RejectReason;
export declare function rejectReasonToJSON(object: RejectReason): string;
export declare function rejectReasonToNumber(object: RejectReason): number;
/** Liquidity says whether a fill added or removed liquidity. */
export declare enum Liquidity {
    /** LIQUIDITY_UNSPECIFIED - Not known. */
    LIQUIDITY_UNSPECIFIED = "LIQUIDITY_UNSPECIFIED",
    /** LIQUIDITY_MAKER - The order rested and was hit: maker. */
    LIQUIDITY_MAKER = "LIQUIDITY_MAKER",
    /** LIQUIDITY_TAKER - The order crossed the spread: taker. */
    LIQUIDITY_TAKER = "LIQUIDITY_TAKER",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function liquidityFromJSON(object: any): Liquidity;
export declare function liquidityToJSON(object: Liquidity): string;
export declare function liquidityToNumber(object: Liquidity): number;
/** Order is the gateway's record of one order. */
export interface Order {
    /** The pod that owns the order. */
    pod_id: string;
    /** The pod's identifier of the order, unique per pod; 1-36 characters of [A-Za-z0-9._:-]. */
    client_order_id: string;
    /** The gateway's identifier, unique across pods. */
    order_id: string;
    /** The venue's identifier, once acknowledged. */
    exchange_order_id: string;
    /** Trading account at the venue. */
    account: string;
    /** Instrument in ccxt unified notation. */
    symbol: string;
    /** Buy or sell. */
    side: OrderSide;
    /** Market or limit. */
    type: OrderType;
    /** Time in force. */
    time_in_force: TimeInForce;
    /** Quantity in base-asset units, decimal string, > 0. */
    quantity: string;
    /** Limit price, USD per base unit, decimal string; empty for market orders. */
    limit_price: string;
    /** Post-only: rejected rather than taking liquidity. */
    post_only: boolean;
    /** Reduce-only: may only reduce the pod's position. */
    reduce_only: boolean;
    /** Price when the pod's signal fired, USD per base unit, decimal string (for shortfall). */
    decision_price: string;
    /** When the pod's signal fired. */
    decision_time: Timestamp | undefined;
    /** Where the order is in its life. */
    status: OrderStatus;
    /** Filled quantity, base-asset units, decimal string. */
    filled_quantity: string;
    /** Volume-weighted average fill price, USD per base unit, decimal string; empty before a fill. */
    average_fill_price: string;
    /** Fees paid so far, USD, decimal string. */
    fees_usd: string;
    /** Why the order was refused, when status is REJECTED. */
    reject_reason: RejectReason;
    /** Human-readable detail of the rejection. */
    reject_message: string;
    /** Reference price the checks used, USD per base unit, decimal string. */
    reference_price: string;
    /** When the gateway recorded the order. */
    create_time: Timestamp | undefined;
    /** When the order last changed. */
    update_time: Timestamp | undefined;
}
/** Fill is one execution of an order. */
export interface Fill {
    /** The pod that owns the order. */
    pod_id: string;
    /** The gateway's fill identifier. */
    fill_id: string;
    /** The order filled. */
    order_id: string;
    /** The pod's identifier of the order. */
    client_order_id: string;
    /** The venue's trade identifier. */
    exchange_trade_id: string;
    /** Instrument in ccxt unified notation. */
    symbol: string;
    /** Buy or sell. */
    side: OrderSide;
    /** Filled quantity, base-asset units, decimal string, > 0. */
    quantity: string;
    /** Fill price, USD per base unit, decimal string. */
    price: string;
    /** Fee, USD, decimal string (negative for a rebate). */
    fee_usd: string;
    /** Maker or taker. */
    liquidity: Liquidity;
    /** When the venue executed it. */
    fill_time: Timestamp | undefined;
}
/** PodPosition is a pod's holding in one symbol, from its fills. */
export interface PodPosition {
    /** Instrument in ccxt unified notation. */
    symbol: string;
    /** Signed quantity, base-asset units, decimal string. */
    quantity: string;
    /** Volume-weighted average entry price of the open quantity, USD per base unit, decimal string. */
    average_entry_price: string;
    /** Realised profit and loss, USD, decimal string (before fees). */
    realized_pnl_usd: string;
    /** Fees paid, USD, decimal string. */
    fees_usd: string;
    /** When the last fill in this symbol was booked (a report produced before it cannot show it). */
    last_fill_time: Timestamp | undefined;
}
/** SubmitOrderRequest places one order for the calling pod. */
export interface SubmitOrderRequest {
    /** The pod's identifier of the order, unique per pod; 1-36 characters of [A-Za-z0-9._:-]. */
    client_order_id: string;
    /** Instrument in ccxt unified notation. */
    symbol: string;
    /** Buy or sell; must be set. */
    side: OrderSide;
    /** Market or limit; must be set. */
    type: OrderType;
    /** Quantity in base-asset units, decimal string, > 0. */
    quantity: string;
    /** Limit price, USD per base unit, decimal string, > 0; required for limit orders, empty otherwise. */
    limit_price: string;
    /** Time in force; unset means GTC for limit orders and IOC for market orders. */
    time_in_force: TimeInForce;
    /** Post-only (limit orders only). */
    post_only: boolean;
    /** Reduce-only. */
    reduce_only: boolean;
    /** Price when the signal fired, USD per base unit, decimal string, > 0; required. */
    decision_price: string;
    /** When the signal fired; required, not in the future. */
    decision_time: Timestamp | undefined;
}
/** SubmitOrderResponse returns the recorded order. */
export interface SubmitOrderResponse {
    /** The order, with its status (REJECTED with a reason when a check refused it). */
    order: Order | undefined;
    /** True when this was a retry of a known client_order_id and the original is returned. */
    duplicate: boolean;
}
/** CancelOrderRequest names one order of the calling pod. */
export interface CancelOrderRequest {
    /** The pod's identifier of the order. */
    client_order_id: string;
}
/** CancelOrderResponse returns the order after the cancel. */
export interface CancelOrderResponse {
    /** The order (CANCELED, or FILLED if it filled first). */
    order: Order | undefined;
}
/** StreamOrdersRequest is one request of an order-entry session. */
export interface StreamOrdersRequest {
    /**
     * The caller's correlation number, echoed on the answer; any value (uniqueness is the
     * caller's business; client_order_id is what makes a submit idempotent).
     */
    request_id: string;
    /** Place an order, as SubmitOrder. */
    submit?: SubmitOrderRequest | undefined;
    /** Cancel an order, as CancelOrder. */
    cancel?: CancelOrderRequest | undefined;
    /** Place a list of orders (a basket, a rebalance), in order. */
    submit_list?: SubmitOrderListRequest | undefined;
}
/**
 * SubmitOrderListRequest places several orders in one message. The list is checked whole
 * first: one malformed order (INVALID_ARGUMENT naming orders[i] and its field) places none.
 * Then each order is placed in turn and answered on its own, exactly as a single submit would
 * be (a pre-trade check may refuse one order and not the next).
 */
export interface SubmitOrderListRequest {
    /** The orders, 1 to 100 (count). */
    orders: SubmitOrderRequest[];
}
/** SubmitOrderListResponse answers every order of a list, in the list's order. */
export interface SubmitOrderListResponse {
    /** One answer per order. */
    results: SubmitOrderResponse[];
}
/** StreamOrdersResponse answers one request of an order-entry session. */
export interface StreamOrdersResponse {
    /** The request_id (correlation number) of the request answered. */
    request_id: string;
    /** The answer to a submit. */
    submitted?: SubmitOrderResponse | undefined;
    /** The answer to a cancel. */
    cancelled?: CancelOrderResponse | undefined;
    /** Why the request failed (what the unary call would have returned as its status). */
    error?: RequestError | undefined;
    /** The answers to a list of orders. */
    submitted_list?: SubmitOrderListResponse | undefined;
}
/** RequestError is why one request in a stream failed; the stream stays open. */
export interface RequestError {
    /**
     * The gRPC status code name the unary call would have returned, e.g. "INVALID_ARGUMENT",
     * "NOT_FOUND", "INTERNAL".
     */
    code: string;
    /**
     * Path of the field at fault within the request's action, e.g. "quantity"; empty when no
     * single field is.
     */
    field: string;
    /** What is wrong, for a human. */
    message: string;
}
/** CancelAllOrdersRequest cancels every open order of the calling pod. */
export interface CancelAllOrdersRequest {
}
/** CancelAllOrdersResponse lists what was cancelled. */
export interface CancelAllOrdersResponse {
    /** The orders cancelled. */
    orders: Order[];
}
/** GetOrderRequest names one order. */
export interface GetOrderRequest {
    /** The pod's identifier of the order. */
    client_order_id: string;
    /** Admin only: the pod whose order to read; pods leave it empty. */
    pod_id: string;
}
/** GetOrderResponse returns the order. */
export interface GetOrderResponse {
    /** The order. */
    order: Order | undefined;
}
/** ListOrdersRequest selects orders. */
export interface ListOrdersRequest {
    /** Admin only: the pod whose orders to list; pods leave it empty. */
    pod_id: string;
    /** Only open orders (PENDING, OPEN, PARTIALLY_FILLED). */
    open_only: boolean;
    /** Maximum orders returned, count; 0 means 1,000; at most 10,000. */
    max_count: number;
}
/** ListOrdersResponse lists orders, newest first. */
export interface ListOrdersResponse {
    /** The orders. */
    orders: Order[];
}
/** ListFillsRequest selects fills. */
export interface ListFillsRequest {
    /** Admin only: the pod whose fills to list; pods leave it empty. */
    pod_id: string;
    /** Maximum fills returned (the newest), count; 0 means 1,000; at most 100,000. */
    max_count: number;
}
/** ListFillsResponse lists fills, oldest first. */
export interface ListFillsResponse {
    /** The fills. */
    fills: Fill[];
}
/** StreamExecutionsRequest opens the calling pod's execution feed. */
export interface StreamExecutionsRequest {
    /** Resume after this sequence number (0 = from the beginning), >= 0. */
    after_sequence: string;
}
/** StreamExecutionsResponse is one event of the feed. */
export interface StreamExecutionsResponse {
    /** Sequence number of this event in the pod's feed (1, 2, 3, ... without gaps). */
    sequence: string;
    /** An order changed (new status, fill progress). */
    order?: Order | undefined;
    /** A fill. */
    fill?: Fill | undefined;
}
/** ListPositionsRequest asks for the calling pod's positions. */
export interface ListPositionsRequest {
    /** Admin only: the pod whose positions to list; pods leave it empty. */
    pod_id: string;
}
/** ListPositionsResponse lists positions by symbol. */
export interface ListPositionsResponse {
    /** The positions, including flat ones with realised PnL. */
    positions: PodPosition[];
}
/** ListPricesRequest asks for reference prices. */
export interface ListPricesRequest {
    /** Instruments in ccxt unified notation; empty means every symbol of the pod's account. */
    symbols: string[];
    /** Admin only: the pod whose account to read; pods leave it empty. */
    pod_id: string;
}
/** SymbolPrice is one reference price. */
export interface SymbolPrice {
    /** Instrument in ccxt unified notation. */
    symbol: string;
    /** Reference price, USD per base unit, decimal string. */
    price: string;
}
/** ListPricesResponse lists prices by symbol. */
export interface ListPricesResponse {
    /** The prices; a symbol the account does not trade is absent. */
    prices: SymbolPrice[];
    /** When the gateway read them. */
    price_time: Timestamp | undefined;
}
/** ListVenuePositionsRequest names an account. */
export interface ListVenuePositionsRequest {
    /** The trading account. */
    account: string;
}
/** ListVenuePositionsResponse lists the venue's positions for the account. */
export interface ListVenuePositionsResponse {
    /** Signed positions by symbol (flat ones omitted). */
    positions: VenuePosition[];
}
/** VenuePosition is the venue's own record of one holding. */
export interface VenuePosition {
    /** Instrument in ccxt unified notation. */
    symbol: string;
    /** Signed quantity, base-asset units, decimal string. */
    quantity: string;
}
export declare const Order: MessageFns<Order>;
export declare const Fill: MessageFns<Fill>;
export declare const PodPosition: MessageFns<PodPosition>;
export declare const SubmitOrderRequest: MessageFns<SubmitOrderRequest>;
export declare const SubmitOrderResponse: MessageFns<SubmitOrderResponse>;
export declare const CancelOrderRequest: MessageFns<CancelOrderRequest>;
export declare const CancelOrderResponse: MessageFns<CancelOrderResponse>;
export declare const StreamOrdersRequest: MessageFns<StreamOrdersRequest>;
export declare const SubmitOrderListRequest: MessageFns<SubmitOrderListRequest>;
export declare const SubmitOrderListResponse: MessageFns<SubmitOrderListResponse>;
export declare const StreamOrdersResponse: MessageFns<StreamOrdersResponse>;
export declare const RequestError: MessageFns<RequestError>;
export declare const CancelAllOrdersRequest: MessageFns<CancelAllOrdersRequest>;
export declare const CancelAllOrdersResponse: MessageFns<CancelAllOrdersResponse>;
export declare const GetOrderRequest: MessageFns<GetOrderRequest>;
export declare const GetOrderResponse: MessageFns<GetOrderResponse>;
export declare const ListOrdersRequest: MessageFns<ListOrdersRequest>;
export declare const ListOrdersResponse: MessageFns<ListOrdersResponse>;
export declare const ListFillsRequest: MessageFns<ListFillsRequest>;
export declare const ListFillsResponse: MessageFns<ListFillsResponse>;
export declare const StreamExecutionsRequest: MessageFns<StreamExecutionsRequest>;
export declare const StreamExecutionsResponse: MessageFns<StreamExecutionsResponse>;
export declare const ListPositionsRequest: MessageFns<ListPositionsRequest>;
export declare const ListPositionsResponse: MessageFns<ListPositionsResponse>;
export declare const ListPricesRequest: MessageFns<ListPricesRequest>;
export declare const SymbolPrice: MessageFns<SymbolPrice>;
export declare const ListPricesResponse: MessageFns<ListPricesResponse>;
export declare const ListVenuePositionsRequest: MessageFns<ListVenuePositionsRequest>;
export declare const ListVenuePositionsResponse: MessageFns<ListVenuePositionsResponse>;
export declare const VenuePosition: MessageFns<VenuePosition>;
/**
 * GatewayService is the one door from pods to the exchanges. It owns the accounts, their
 * nonces and rate limits, runs the pre-trade risk checks before anything leaves, and records
 * every order (with the pod's decision price and time) and every fill durably.
 *
 * Identity: metadata "authorization: Bearer <token>" with a pod's token; the token decides
 * which pod is calling, and a pod sees and cancels only its own orders. Admin and auditor
 * tokens may read every pod's orders (pod_id in the request) but never place orders
 * (docs/authorization.md).
 *
 * A refused order is not an RPC error: SubmitOrder answers with the order in status REJECTED
 * and a reject reason. Malformed input is INVALID_ARGUMENT naming the field.
 *
 * Exchange outages: the standard grpc.health.v1 service reports each exchange account under
 * the name "slipstream.v1.GatewayService/accounts/<account>", NOT_SERVING while the exchange
 * does not answer; meanwhile orders are REJECTED with REJECT_REASON_VENUE_UNAVAILABLE and
 * cancels return UNAVAILABLE.
 */
export type GatewayServiceService = typeof GatewayServiceService;
export declare const GatewayServiceService: {
    /**
     * Submits an order. Idempotent per (pod, client_order_id): a retry returns the original
     * order with duplicate = true and never places a second one. The answer comes once the order
     * is durably recorded and the venue acknowledged it (or refused it).
     */
    readonly submitOrder: {
        readonly path: "/slipstream.v1.GatewayService/SubmitOrder";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: SubmitOrderRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => SubmitOrderRequest;
        readonly responseSerialize: (value: SubmitOrderResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => SubmitOrderResponse;
    };
    /** Cancels one open order of the calling pod. Returns NOT_FOUND for an unknown order. */
    readonly cancelOrder: {
        readonly path: "/slipstream.v1.GatewayService/CancelOrder";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: CancelOrderRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => CancelOrderRequest;
        readonly responseSerialize: (value: CancelOrderResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => CancelOrderResponse;
    };
    /**
     * Opens an order-entry session for the calling pod (in the manner of a FIX session): submits
     * and cancels flow in on one stream, and each is answered on the other once it is durable,
     * echoing its request_id, with the same meaning as SubmitOrder and CancelOrder. A session
     * costs one call instead of one per order, so a pod can keep many orders in flight. Requests
     * are applied in the order sent and answered in that order. A bad request is answered with a
     * RequestError and the session stays open. Returns PERMISSION_DENIED for a non-pod token.
     */
    readonly streamOrders: {
        readonly path: "/slipstream.v1.GatewayService/StreamOrders";
        readonly requestStream: true;
        readonly responseStream: true;
        readonly requestSerialize: (value: StreamOrdersRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => StreamOrdersRequest;
        readonly responseSerialize: (value: StreamOrdersResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => StreamOrdersResponse;
    };
    /** Cancels every open order of the calling pod (allowed while halted). */
    readonly cancelAllOrders: {
        readonly path: "/slipstream.v1.GatewayService/CancelAllOrders";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: CancelAllOrdersRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => CancelAllOrdersRequest;
        readonly responseSerialize: (value: CancelAllOrdersResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => CancelAllOrdersResponse;
    };
    /** Returns one order of the calling pod. Returns NOT_FOUND for an unknown order. */
    readonly getOrder: {
        readonly path: "/slipstream.v1.GatewayService/GetOrder";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetOrderRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetOrderRequest;
        readonly responseSerialize: (value: GetOrderResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetOrderResponse;
    };
    /** Lists the calling pod's orders, newest first. */
    readonly listOrders: {
        readonly path: "/slipstream.v1.GatewayService/ListOrders";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ListOrdersRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ListOrdersRequest;
        readonly responseSerialize: (value: ListOrdersResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ListOrdersResponse;
    };
    /** Lists the calling pod's fills, oldest first. */
    readonly listFills: {
        readonly path: "/slipstream.v1.GatewayService/ListFills";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ListFillsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ListFillsRequest;
        readonly responseSerialize: (value: ListFillsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ListFillsResponse;
    };
    /**
     * Streams the calling pod's order updates and fills in sequence order, starting after
     * after_sequence, first from the durable record, then live. Resuming with the last sequence
     * seen gives every later event exactly once.
     */
    readonly streamExecutions: {
        readonly path: "/slipstream.v1.GatewayService/StreamExecutions";
        readonly requestStream: false;
        readonly responseStream: true;
        readonly requestSerialize: (value: StreamExecutionsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => StreamExecutionsRequest;
        readonly responseSerialize: (value: StreamExecutionsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => StreamExecutionsResponse;
    };
    /** Returns the calling pod's positions as the gateway knows them from fills. */
    readonly listPositions: {
        readonly path: "/slipstream.v1.GatewayService/ListPositions";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ListPositionsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ListPositionsRequest;
        readonly responseSerialize: (value: ListPositionsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ListPositionsResponse;
    };
    /**
     * Returns the reference prices (the ones the price collar uses) of the symbols traded on the
     * calling pod's account, so a pod values and decides at the prices it will trade at. The
     * admin reads them for the pod it names (post-trade analytics values unfilled orders at them).
     */
    readonly listPrices: {
        readonly path: "/slipstream.v1.GatewayService/ListPrices";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ListPricesRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ListPricesRequest;
        readonly responseSerialize: (value: ListPricesResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ListPricesResponse;
    };
    /**
     * Admin only: the positions an in-process (paper) venue holds for an account, from its own
     * ledger, independent of the gateway's per-pod books; the auditor reads it as the "exchange"
     * view of paper accounts. Returns FAILED_PRECONDITION for an external venue (read it at the
     * exchange) and NOT_FOUND for an unknown account.
     */
    readonly listVenuePositions: {
        readonly path: "/slipstream.v1.GatewayService/ListVenuePositions";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ListVenuePositionsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ListVenuePositionsRequest;
        readonly responseSerialize: (value: ListVenuePositionsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ListVenuePositionsResponse;
    };
};
export interface GatewayServiceServer extends UntypedServiceImplementation {
    /**
     * Submits an order. Idempotent per (pod, client_order_id): a retry returns the original
     * order with duplicate = true and never places a second one. The answer comes once the order
     * is durably recorded and the venue acknowledged it (or refused it).
     */
    submitOrder: handleUnaryCall<SubmitOrderRequest, SubmitOrderResponse>;
    /** Cancels one open order of the calling pod. Returns NOT_FOUND for an unknown order. */
    cancelOrder: handleUnaryCall<CancelOrderRequest, CancelOrderResponse>;
    /**
     * Opens an order-entry session for the calling pod (in the manner of a FIX session): submits
     * and cancels flow in on one stream, and each is answered on the other once it is durable,
     * echoing its request_id, with the same meaning as SubmitOrder and CancelOrder. A session
     * costs one call instead of one per order, so a pod can keep many orders in flight. Requests
     * are applied in the order sent and answered in that order. A bad request is answered with a
     * RequestError and the session stays open. Returns PERMISSION_DENIED for a non-pod token.
     */
    streamOrders: handleBidiStreamingCall<StreamOrdersRequest, StreamOrdersResponse>;
    /** Cancels every open order of the calling pod (allowed while halted). */
    cancelAllOrders: handleUnaryCall<CancelAllOrdersRequest, CancelAllOrdersResponse>;
    /** Returns one order of the calling pod. Returns NOT_FOUND for an unknown order. */
    getOrder: handleUnaryCall<GetOrderRequest, GetOrderResponse>;
    /** Lists the calling pod's orders, newest first. */
    listOrders: handleUnaryCall<ListOrdersRequest, ListOrdersResponse>;
    /** Lists the calling pod's fills, oldest first. */
    listFills: handleUnaryCall<ListFillsRequest, ListFillsResponse>;
    /**
     * Streams the calling pod's order updates and fills in sequence order, starting after
     * after_sequence, first from the durable record, then live. Resuming with the last sequence
     * seen gives every later event exactly once.
     */
    streamExecutions: handleServerStreamingCall<StreamExecutionsRequest, StreamExecutionsResponse>;
    /** Returns the calling pod's positions as the gateway knows them from fills. */
    listPositions: handleUnaryCall<ListPositionsRequest, ListPositionsResponse>;
    /**
     * Returns the reference prices (the ones the price collar uses) of the symbols traded on the
     * calling pod's account, so a pod values and decides at the prices it will trade at. The
     * admin reads them for the pod it names (post-trade analytics values unfilled orders at them).
     */
    listPrices: handleUnaryCall<ListPricesRequest, ListPricesResponse>;
    /**
     * Admin only: the positions an in-process (paper) venue holds for an account, from its own
     * ledger, independent of the gateway's per-pod books; the auditor reads it as the "exchange"
     * view of paper accounts. Returns FAILED_PRECONDITION for an external venue (read it at the
     * exchange) and NOT_FOUND for an unknown account.
     */
    listVenuePositions: handleUnaryCall<ListVenuePositionsRequest, ListVenuePositionsResponse>;
}
export interface GatewayServiceClient extends Client {
    /**
     * Submits an order. Idempotent per (pod, client_order_id): a retry returns the original
     * order with duplicate = true and never places a second one. The answer comes once the order
     * is durably recorded and the venue acknowledged it (or refused it).
     */
    submitOrder(request: SubmitOrderRequest, callback: (error: ServiceError | null, response: SubmitOrderResponse) => void): ClientUnaryCall;
    submitOrder(request: SubmitOrderRequest, metadata: Metadata, callback: (error: ServiceError | null, response: SubmitOrderResponse) => void): ClientUnaryCall;
    submitOrder(request: SubmitOrderRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: SubmitOrderResponse) => void): ClientUnaryCall;
    /** Cancels one open order of the calling pod. Returns NOT_FOUND for an unknown order. */
    cancelOrder(request: CancelOrderRequest, callback: (error: ServiceError | null, response: CancelOrderResponse) => void): ClientUnaryCall;
    cancelOrder(request: CancelOrderRequest, metadata: Metadata, callback: (error: ServiceError | null, response: CancelOrderResponse) => void): ClientUnaryCall;
    cancelOrder(request: CancelOrderRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: CancelOrderResponse) => void): ClientUnaryCall;
    /**
     * Opens an order-entry session for the calling pod (in the manner of a FIX session): submits
     * and cancels flow in on one stream, and each is answered on the other once it is durable,
     * echoing its request_id, with the same meaning as SubmitOrder and CancelOrder. A session
     * costs one call instead of one per order, so a pod can keep many orders in flight. Requests
     * are applied in the order sent and answered in that order. A bad request is answered with a
     * RequestError and the session stays open. Returns PERMISSION_DENIED for a non-pod token.
     */
    streamOrders(): ClientDuplexStream<StreamOrdersRequest, StreamOrdersResponse>;
    streamOrders(options: Partial<CallOptions>): ClientDuplexStream<StreamOrdersRequest, StreamOrdersResponse>;
    streamOrders(metadata: Metadata, options?: Partial<CallOptions>): ClientDuplexStream<StreamOrdersRequest, StreamOrdersResponse>;
    /** Cancels every open order of the calling pod (allowed while halted). */
    cancelAllOrders(request: CancelAllOrdersRequest, callback: (error: ServiceError | null, response: CancelAllOrdersResponse) => void): ClientUnaryCall;
    cancelAllOrders(request: CancelAllOrdersRequest, metadata: Metadata, callback: (error: ServiceError | null, response: CancelAllOrdersResponse) => void): ClientUnaryCall;
    cancelAllOrders(request: CancelAllOrdersRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: CancelAllOrdersResponse) => void): ClientUnaryCall;
    /** Returns one order of the calling pod. Returns NOT_FOUND for an unknown order. */
    getOrder(request: GetOrderRequest, callback: (error: ServiceError | null, response: GetOrderResponse) => void): ClientUnaryCall;
    getOrder(request: GetOrderRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetOrderResponse) => void): ClientUnaryCall;
    getOrder(request: GetOrderRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetOrderResponse) => void): ClientUnaryCall;
    /** Lists the calling pod's orders, newest first. */
    listOrders(request: ListOrdersRequest, callback: (error: ServiceError | null, response: ListOrdersResponse) => void): ClientUnaryCall;
    listOrders(request: ListOrdersRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ListOrdersResponse) => void): ClientUnaryCall;
    listOrders(request: ListOrdersRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ListOrdersResponse) => void): ClientUnaryCall;
    /** Lists the calling pod's fills, oldest first. */
    listFills(request: ListFillsRequest, callback: (error: ServiceError | null, response: ListFillsResponse) => void): ClientUnaryCall;
    listFills(request: ListFillsRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ListFillsResponse) => void): ClientUnaryCall;
    listFills(request: ListFillsRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ListFillsResponse) => void): ClientUnaryCall;
    /**
     * Streams the calling pod's order updates and fills in sequence order, starting after
     * after_sequence, first from the durable record, then live. Resuming with the last sequence
     * seen gives every later event exactly once.
     */
    streamExecutions(request: StreamExecutionsRequest, options?: Partial<CallOptions>): ClientReadableStream<StreamExecutionsResponse>;
    streamExecutions(request: StreamExecutionsRequest, metadata?: Metadata, options?: Partial<CallOptions>): ClientReadableStream<StreamExecutionsResponse>;
    /** Returns the calling pod's positions as the gateway knows them from fills. */
    listPositions(request: ListPositionsRequest, callback: (error: ServiceError | null, response: ListPositionsResponse) => void): ClientUnaryCall;
    listPositions(request: ListPositionsRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ListPositionsResponse) => void): ClientUnaryCall;
    listPositions(request: ListPositionsRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ListPositionsResponse) => void): ClientUnaryCall;
    /**
     * Returns the reference prices (the ones the price collar uses) of the symbols traded on the
     * calling pod's account, so a pod values and decides at the prices it will trade at. The
     * admin reads them for the pod it names (post-trade analytics values unfilled orders at them).
     */
    listPrices(request: ListPricesRequest, callback: (error: ServiceError | null, response: ListPricesResponse) => void): ClientUnaryCall;
    listPrices(request: ListPricesRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ListPricesResponse) => void): ClientUnaryCall;
    listPrices(request: ListPricesRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ListPricesResponse) => void): ClientUnaryCall;
    /**
     * Admin only: the positions an in-process (paper) venue holds for an account, from its own
     * ledger, independent of the gateway's per-pod books; the auditor reads it as the "exchange"
     * view of paper accounts. Returns FAILED_PRECONDITION for an external venue (read it at the
     * exchange) and NOT_FOUND for an unknown account.
     */
    listVenuePositions(request: ListVenuePositionsRequest, callback: (error: ServiceError | null, response: ListVenuePositionsResponse) => void): ClientUnaryCall;
    listVenuePositions(request: ListVenuePositionsRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ListVenuePositionsResponse) => void): ClientUnaryCall;
    listVenuePositions(request: ListVenuePositionsRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ListVenuePositionsResponse) => void): ClientUnaryCall;
}
export declare const GatewayServiceClient: {
    new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): GatewayServiceClient;
    service: typeof GatewayServiceService;
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
