import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { type CallOptions, type ChannelCredentials, Client, type ClientOptions, type ClientReadableStream, type ClientUnaryCall, type handleServerStreamingCall, type handleUnaryCall, type Metadata, type ServiceError, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { Timestamp } from "../../google/protobuf/timestamp";
export declare const protobufPackage = "slipstream.v1";
export declare const protobufFileName = "slipstream/v1/datalake.proto";
/** TradeSide is the aggressor side of a trade. */
export declare enum TradeSide {
    /** TRADE_SIDE_UNSPECIFIED - Not known (some venues do not publish it). */
    TRADE_SIDE_UNSPECIFIED = "TRADE_SIDE_UNSPECIFIED",
    /** TRADE_SIDE_BUY - The taker bought (lifted the offer). */
    TRADE_SIDE_BUY = "TRADE_SIDE_BUY",
    /** TRADE_SIDE_SELL - The taker sold (hit the bid). */
    TRADE_SIDE_SELL = "TRADE_SIDE_SELL",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function tradeSideFromJSON(object: any): TradeSide;
export declare function tradeSideToJSON(object: TradeSide): string;
export declare function tradeSideToNumber(object: TradeSide): number;
/** SeriesKind says what a series holds. */
export declare enum SeriesKind {
    /** SERIES_KIND_UNSPECIFIED - Not set. */
    SERIES_KIND_UNSPECIFIED = "SERIES_KIND_UNSPECIFIED",
    /** SERIES_KIND_BARS - OHLCV bars of one timeframe. */
    SERIES_KIND_BARS = "SERIES_KIND_BARS",
    /** SERIES_KIND_TRADES - Individual trades. */
    SERIES_KIND_TRADES = "SERIES_KIND_TRADES",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function seriesKindFromJSON(object: any): SeriesKind;
export declare function seriesKindToJSON(object: SeriesKind): string;
export declare function seriesKindToNumber(object: SeriesKind): number;
/** BarColumns holds bars column by column; every repeated field has one entry per bar. */
export interface BarColumns {
    /** Bar open times (the event time), milliseconds since the Unix epoch, UTC; aligned to the timeframe. */
    open_times_unix_ms: string[];
    /** Opening prices, quote currency (USD) per base unit. */
    opens: number[];
    /** Highest prices, quote currency (USD) per base unit. */
    highs: number[];
    /** Lowest prices, quote currency (USD) per base unit. */
    lows: number[];
    /** Closing prices, quote currency (USD) per base unit. */
    closes: number[];
    /** Traded volumes, base-asset units, >= 0. */
    volumes: number[];
    /**
     * When the lake learned each bar version, nanoseconds since the Unix epoch, UTC. On write:
     * empty means "now" for every row; otherwise one per bar, each >= the bar's close and <= now.
     */
    knowledge_times_unix_ns: string[];
}
/** TradeColumns holds trades column by column; every repeated field has one entry per trade. */
export interface TradeColumns {
    /** Trade times (the event time), milliseconds since the Unix epoch, UTC. */
    trade_times_unix_ms: string[];
    /** The venue's trade ids, unique per symbol; 1-64 characters. */
    trade_ids: string[];
    /** Prices, quote currency (USD) per base unit, > 0. */
    prices: number[];
    /** Quantities, base-asset units, > 0. */
    quantities: number[];
    /** Aggressor sides. */
    sides: TradeSide[];
    /**
     * When the lake learned each trade version, nanoseconds since the Unix epoch, UTC. On write:
     * empty means "now"; otherwise one per trade, each >= its trade time and <= now.
     */
    knowledge_times_unix_ns: string[];
}
/** SeriesCoverage describes one stored series as of a knowledge time. */
export interface SeriesCoverage {
    /** Instrument, ccxt unified notation, e.g. "BTC/USDT". */
    symbol: string;
    /** Bars or trades. */
    kind: SeriesKind;
    /** Bar timeframe in ccxt notation ("1m", "1h", "1d"); empty for trades. */
    timeframe: string;
    /** Event time of the first row. */
    first_event_time: Timestamp | undefined;
    /** Event time of the last row. */
    last_event_time: Timestamp | undefined;
    /** Distinct bars or trades visible, count. */
    row_count: string;
    /** Stored versions including corrections, count. */
    version_count: string;
    /** Missing bars between the first and last bar, count; 0 for trades. */
    missing_bar_count: string;
}
/** Gap is a run of missing bars. */
export interface Gap {
    /** Open time of the first missing bar. */
    start_time: Timestamp | undefined;
    /** Open time just after the last missing bar (exclusive). */
    end_time: Timestamp | undefined;
    /** Missing bars in the run, count. */
    missing_bar_count: string;
}
/** WriteBarsRequest carries one batch of one bar series. */
export interface WriteBarsRequest {
    /** Instrument, ccxt unified notation, 1-64 characters. */
    symbol: string;
    /** Timeframe in ccxt notation: 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d. */
    timeframe: string;
    /** The bars; at most 1,000,000 per batch. */
    bars: BarColumns | undefined;
}
/** WriteBarsResponse confirms a stored batch. */
export interface WriteBarsResponse {
    /** Bars stored, count. */
    written_count: string;
    /** Of those, corrections of bars already known, count. */
    revised_count: string;
    /** Knowledge time assigned to rows written without one. */
    knowledge_time: Timestamp | undefined;
}
/** WriteTradesRequest carries one batch of trades of one symbol. */
export interface WriteTradesRequest {
    /** Instrument, ccxt unified notation, 1-64 characters. */
    symbol: string;
    /** The trades; at most 1,000,000 per batch. */
    trades: TradeColumns | undefined;
}
/** WriteTradesResponse confirms a stored batch. */
export interface WriteTradesResponse {
    /** Trades stored, count. */
    written_count: string;
    /** Of those, corrections of trades already known, count. */
    revised_count: string;
    /** Knowledge time assigned to rows written without one. */
    knowledge_time: Timestamp | undefined;
}
/** QueryBarsRequest selects bars of one series. */
export interface QueryBarsRequest {
    /** Instrument, ccxt unified notation. */
    symbol: string;
    /** Timeframe in ccxt notation. */
    timeframe: string;
    /** First open time (inclusive); unset means from the first bar. */
    start_time: Timestamp | undefined;
    /** Last open time (exclusive); unset means through the last bar. */
    end_time: Timestamp | undefined;
    /** Knowledge cut-off; unset means now. */
    as_of_time: Timestamp | undefined;
    /** Bars per streamed message, count; 0 means 50,000; at most 500,000. */
    batch_size: number;
    /**
     * Return every stored version known at as_of_time (for audits and exports), ordered by
     * open time then knowledge time, instead of only the latest version of each bar.
     */
    all_versions: boolean;
}
/** QueryBarsResponse is one batch of the answer. */
export interface QueryBarsResponse {
    /** Bars in open-time order, each the latest version known at as_of_time. */
    bars: BarColumns | undefined;
    /** The knowledge cut-off the answer used. */
    as_of_time: Timestamp | undefined;
}
/** QueryTradesRequest selects trades of one symbol. */
export interface QueryTradesRequest {
    /** Instrument, ccxt unified notation. */
    symbol: string;
    /** First trade time (inclusive); unset means from the first trade. */
    start_time: Timestamp | undefined;
    /** Last trade time (exclusive); unset means through the last trade. */
    end_time: Timestamp | undefined;
    /** Knowledge cut-off; unset means now. */
    as_of_time: Timestamp | undefined;
    /** Trades per streamed message, count; 0 means 50,000; at most 500,000. */
    batch_size: number;
}
/** QueryTradesResponse is one batch of the answer. */
export interface QueryTradesResponse {
    /** Trades in time order (then by trade id), each the latest version known at as_of_time. */
    trades: TradeColumns | undefined;
    /** The knowledge cut-off the answer used. */
    as_of_time: Timestamp | undefined;
}
/** ListSeriesRequest asks for every series. */
export interface ListSeriesRequest {
}
/** ListSeriesResponse lists series by symbol, kind and timeframe. */
export interface ListSeriesResponse {
    /** The series. */
    series: SeriesCoverage[];
}
/** GetCoverageRequest names one bar series. */
export interface GetCoverageRequest {
    /** Instrument, ccxt unified notation. */
    symbol: string;
    /** Timeframe in ccxt notation. */
    timeframe: string;
    /** Knowledge cut-off; unset means now. */
    as_of_time: Timestamp | undefined;
    /** Maximum gaps listed (oldest first), count; 0 means 1,000. */
    max_gap_count: number;
}
/** GetCoverageResponse describes the series and its gaps. */
export interface GetCoverageResponse {
    /** Coverage summary. */
    coverage: SeriesCoverage | undefined;
    /** Runs of missing bars, oldest first. */
    gaps: Gap[];
}
export declare const BarColumns: MessageFns<BarColumns>;
export declare const TradeColumns: MessageFns<TradeColumns>;
export declare const SeriesCoverage: MessageFns<SeriesCoverage>;
export declare const Gap: MessageFns<Gap>;
export declare const WriteBarsRequest: MessageFns<WriteBarsRequest>;
export declare const WriteBarsResponse: MessageFns<WriteBarsResponse>;
export declare const WriteTradesRequest: MessageFns<WriteTradesRequest>;
export declare const WriteTradesResponse: MessageFns<WriteTradesResponse>;
export declare const QueryBarsRequest: MessageFns<QueryBarsRequest>;
export declare const QueryBarsResponse: MessageFns<QueryBarsResponse>;
export declare const QueryTradesRequest: MessageFns<QueryTradesRequest>;
export declare const QueryTradesResponse: MessageFns<QueryTradesResponse>;
export declare const ListSeriesRequest: MessageFns<ListSeriesRequest>;
export declare const ListSeriesResponse: MessageFns<ListSeriesResponse>;
export declare const GetCoverageRequest: MessageFns<GetCoverageRequest>;
export declare const GetCoverageResponse: MessageFns<GetCoverageResponse>;
/**
 * DataLakeService is the single, point-in-time source of market history: OHLCV bars and
 * trades, stored bitemporally. Every row has an event time (bar open time, trade time) and a
 * knowledge time (when the lake learned it). A correction appends a new version; nothing is
 * overwritten. A query "as of K" returns, for each bar or trade, the latest version whose
 * knowledge time is <= K, and never anything learned after K.
 *
 * Bulk data travels in columnar form: parallel repeated fields, one entry per row. In these
 * columns times are integers since the Unix epoch (UTC) with the unit in the field name, and
 * prices and volumes are doubles: market data is not on the order path, and a double holds
 * every exchange price with up to 15 significant digits exactly as printed. Bar columns are
 * all fixed-width (sfixed64, double), so each packed column is a plain little-endian array on
 * the wire: servers and clients may move it without per-value work.
 *
 * Authentication: metadata "authorization: Bearer <token>"; writes need the admin token, reads
 * any role's (docs/authorization.md). Missing: UNAUTHENTICATED; wrong: PERMISSION_DENIED.
 */
export type DataLakeServiceService = typeof DataLakeServiceService;
export declare const DataLakeServiceService: {
    /**
     * Writes one batch of bars of one series, all or nothing. Returns INVALID_ARGUMENT naming
     * the row and field for high < low, an open or close outside [low, high], a negative
     * volume, NaN or infinity, an open time not aligned to the timeframe, a duplicate open
     * time in the batch, or a knowledge time before the bar closed or in the future; nothing
     * of a refused batch is stored.
     */
    readonly writeBars: {
        readonly path: "/slipstream.v1.DataLakeService/WriteBars";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: WriteBarsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => WriteBarsRequest;
        readonly responseSerialize: (value: WriteBarsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => WriteBarsResponse;
    };
    /** Writes one batch of trades of one symbol, all or nothing, with the same rules. */
    readonly writeTrades: {
        readonly path: "/slipstream.v1.DataLakeService/WriteTrades";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: WriteTradesRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => WriteTradesRequest;
        readonly responseSerialize: (value: WriteTradesResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => WriteTradesResponse;
    };
    /**
     * Streams the bars of one series in [start_time, end_time) as of a knowledge time, oldest
     * first, in columnar batches. Returns NOT_FOUND for an unknown series.
     */
    readonly queryBars: {
        readonly path: "/slipstream.v1.DataLakeService/QueryBars";
        readonly requestStream: false;
        readonly responseStream: true;
        readonly requestSerialize: (value: QueryBarsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => QueryBarsRequest;
        readonly responseSerialize: (value: QueryBarsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => QueryBarsResponse;
    };
    /** Streams the trades of one symbol in [start_time, end_time) as of a knowledge time. */
    readonly queryTrades: {
        readonly path: "/slipstream.v1.DataLakeService/QueryTrades";
        readonly requestStream: false;
        readonly responseStream: true;
        readonly requestSerialize: (value: QueryTradesRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => QueryTradesRequest;
        readonly responseSerialize: (value: QueryTradesResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => QueryTradesResponse;
    };
    /** Lists every series with its coverage as of now. */
    readonly listSeries: {
        readonly path: "/slipstream.v1.DataLakeService/ListSeries";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ListSeriesRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ListSeriesRequest;
        readonly responseSerialize: (value: ListSeriesResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ListSeriesResponse;
    };
    /**
     * Returns one bar series' coverage and its gaps as of a knowledge time.
     * Returns NOT_FOUND for an unknown series.
     */
    readonly getCoverage: {
        readonly path: "/slipstream.v1.DataLakeService/GetCoverage";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetCoverageRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetCoverageRequest;
        readonly responseSerialize: (value: GetCoverageResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetCoverageResponse;
    };
};
export interface DataLakeServiceServer extends UntypedServiceImplementation {
    /**
     * Writes one batch of bars of one series, all or nothing. Returns INVALID_ARGUMENT naming
     * the row and field for high < low, an open or close outside [low, high], a negative
     * volume, NaN or infinity, an open time not aligned to the timeframe, a duplicate open
     * time in the batch, or a knowledge time before the bar closed or in the future; nothing
     * of a refused batch is stored.
     */
    writeBars: handleUnaryCall<WriteBarsRequest, WriteBarsResponse>;
    /** Writes one batch of trades of one symbol, all or nothing, with the same rules. */
    writeTrades: handleUnaryCall<WriteTradesRequest, WriteTradesResponse>;
    /**
     * Streams the bars of one series in [start_time, end_time) as of a knowledge time, oldest
     * first, in columnar batches. Returns NOT_FOUND for an unknown series.
     */
    queryBars: handleServerStreamingCall<QueryBarsRequest, QueryBarsResponse>;
    /** Streams the trades of one symbol in [start_time, end_time) as of a knowledge time. */
    queryTrades: handleServerStreamingCall<QueryTradesRequest, QueryTradesResponse>;
    /** Lists every series with its coverage as of now. */
    listSeries: handleUnaryCall<ListSeriesRequest, ListSeriesResponse>;
    /**
     * Returns one bar series' coverage and its gaps as of a knowledge time.
     * Returns NOT_FOUND for an unknown series.
     */
    getCoverage: handleUnaryCall<GetCoverageRequest, GetCoverageResponse>;
}
export interface DataLakeServiceClient extends Client {
    /**
     * Writes one batch of bars of one series, all or nothing. Returns INVALID_ARGUMENT naming
     * the row and field for high < low, an open or close outside [low, high], a negative
     * volume, NaN or infinity, an open time not aligned to the timeframe, a duplicate open
     * time in the batch, or a knowledge time before the bar closed or in the future; nothing
     * of a refused batch is stored.
     */
    writeBars(request: WriteBarsRequest, callback: (error: ServiceError | null, response: WriteBarsResponse) => void): ClientUnaryCall;
    writeBars(request: WriteBarsRequest, metadata: Metadata, callback: (error: ServiceError | null, response: WriteBarsResponse) => void): ClientUnaryCall;
    writeBars(request: WriteBarsRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: WriteBarsResponse) => void): ClientUnaryCall;
    /** Writes one batch of trades of one symbol, all or nothing, with the same rules. */
    writeTrades(request: WriteTradesRequest, callback: (error: ServiceError | null, response: WriteTradesResponse) => void): ClientUnaryCall;
    writeTrades(request: WriteTradesRequest, metadata: Metadata, callback: (error: ServiceError | null, response: WriteTradesResponse) => void): ClientUnaryCall;
    writeTrades(request: WriteTradesRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: WriteTradesResponse) => void): ClientUnaryCall;
    /**
     * Streams the bars of one series in [start_time, end_time) as of a knowledge time, oldest
     * first, in columnar batches. Returns NOT_FOUND for an unknown series.
     */
    queryBars(request: QueryBarsRequest, options?: Partial<CallOptions>): ClientReadableStream<QueryBarsResponse>;
    queryBars(request: QueryBarsRequest, metadata?: Metadata, options?: Partial<CallOptions>): ClientReadableStream<QueryBarsResponse>;
    /** Streams the trades of one symbol in [start_time, end_time) as of a knowledge time. */
    queryTrades(request: QueryTradesRequest, options?: Partial<CallOptions>): ClientReadableStream<QueryTradesResponse>;
    queryTrades(request: QueryTradesRequest, metadata?: Metadata, options?: Partial<CallOptions>): ClientReadableStream<QueryTradesResponse>;
    /** Lists every series with its coverage as of now. */
    listSeries(request: ListSeriesRequest, callback: (error: ServiceError | null, response: ListSeriesResponse) => void): ClientUnaryCall;
    listSeries(request: ListSeriesRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ListSeriesResponse) => void): ClientUnaryCall;
    listSeries(request: ListSeriesRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ListSeriesResponse) => void): ClientUnaryCall;
    /**
     * Returns one bar series' coverage and its gaps as of a knowledge time.
     * Returns NOT_FOUND for an unknown series.
     */
    getCoverage(request: GetCoverageRequest, callback: (error: ServiceError | null, response: GetCoverageResponse) => void): ClientUnaryCall;
    getCoverage(request: GetCoverageRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetCoverageResponse) => void): ClientUnaryCall;
    getCoverage(request: GetCoverageRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetCoverageResponse) => void): ClientUnaryCall;
}
export declare const DataLakeServiceClient: {
    new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): DataLakeServiceClient;
    service: typeof DataLakeServiceService;
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
