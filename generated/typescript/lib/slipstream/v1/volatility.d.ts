import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { type CallOptions, type ChannelCredentials, Client, type ClientOptions, type ClientReadableStream, type ClientUnaryCall, type handleServerStreamingCall, type handleUnaryCall, type Metadata, type ServiceError, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { Timestamp } from "../../google/protobuf/timestamp";
export declare const protobufPackage = "slipstream.v1";
export declare const protobufFileName = "slipstream/v1/volatility.proto";
/** VolatilityForecast is one versioned forecast of one asset. */
export interface VolatilityForecast {
    /** Instrument, ccxt unified notation. */
    symbol: string;
    /** The forecast: blended volatility, annualised, as a fraction (0.6 = 60% a year). */
    annualized_volatility: number;
    /** The same forecast per day (annualised / sqrt(365)), as a fraction. */
    daily_volatility: number;
    /** The current EWMA component after the floor, annualised, fraction. */
    ewma_volatility_annualized: number;
    /** The long-run average component, annualised, fraction. */
    long_run_volatility_annualized: number;
    /** Daily returns used, count. */
    observation_count: number;
    /** True when the floor raised the EWMA component. */
    floored: boolean;
    /**
     * Version of this symbol's broadcast forecast, increasing by 1 with every change, >= 1;
     * 0 for a forecast computed on demand as of a past knowledge time.
     */
    version: string;
    /** Knowledge cut-off of the data the forecast used. */
    as_of_time: Timestamp | undefined;
    /** Open time of the last daily bar used. */
    last_bar_time: Timestamp | undefined;
    /** When the forecast was computed. */
    compute_time: Timestamp | undefined;
}
/** GetForecastsRequest names symbols. */
export interface GetForecastsRequest {
    /** Instruments, ccxt unified notation; empty means all (with as_of_time: all with bars). */
    symbols: string[];
    /**
     * Knowledge cut-off for a point-in-time forecast (for replays and research); unset means the
     * current broadcast forecasts.
     */
    as_of_time: Timestamp | undefined;
}
/** GetForecastsResponse returns forecasts ordered by symbol. */
export interface GetForecastsResponse {
    /** The forecasts. */
    forecasts: VolatilityForecast[];
}
/** SubscribeForecastsRequest opens a forecast stream. */
export interface SubscribeForecastsRequest {
    /** Instruments to follow, ccxt unified notation; empty means all. */
    symbols: string[];
    /** Whether to send the current forecasts first. */
    send_current: boolean;
}
/** SubscribeForecastsResponse carries one new forecast. */
export interface SubscribeForecastsResponse {
    /** The forecast. */
    forecast: VolatilityForecast | undefined;
}
export declare const VolatilityForecast: MessageFns<VolatilityForecast>;
export declare const GetForecastsRequest: MessageFns<GetForecastsRequest>;
export declare const GetForecastsResponse: MessageFns<GetForecastsResponse>;
export declare const SubscribeForecastsRequest: MessageFns<SubscribeForecastsRequest>;
export declare const SubscribeForecastsResponse: MessageFns<SubscribeForecastsResponse>;
/**
 * VolatilityService broadcasts one standardized volatility forecast per asset, computed
 * point-in-time from the data lake, so every pod sizes positions on the same denominator.
 *
 * Method (after Carver, pysystemtrade's robust and mixed volatility): simple daily returns of
 * daily closes; an exponentially weighted standard deviation (span 35 days, at least 10
 * returns); floored at the 5% quantile of its own last 500 days (once 100 exist) and at an
 * absolute 1e-10; blended 70/30 with its long-run average (an exponentially weighted mean of
 * the floored volatility, centre of mass 20 years); annualised with sqrt(365) for crypto.
 */
export type VolatilityServiceService = typeof VolatilityServiceService;
export declare const VolatilityServiceService: {
    /**
     * Returns the current forecast of each requested symbol (every symbol when none is named), or,
     * with as_of_time, the forecast computed point-in-time from what the lake knew then.
     * Returns NOT_FOUND when a named symbol has no forecast (too few daily returns).
     */
    readonly getForecasts: {
        readonly path: "/slipstream.v1.VolatilityService/GetForecasts";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetForecastsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetForecastsRequest;
        readonly responseSerialize: (value: GetForecastsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetForecastsResponse;
    };
    /** Streams every new forecast version as it is computed, after the current ones if asked. */
    readonly subscribeForecasts: {
        readonly path: "/slipstream.v1.VolatilityService/SubscribeForecasts";
        readonly requestStream: false;
        readonly responseStream: true;
        readonly requestSerialize: (value: SubscribeForecastsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => SubscribeForecastsRequest;
        readonly responseSerialize: (value: SubscribeForecastsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => SubscribeForecastsResponse;
    };
};
export interface VolatilityServiceServer extends UntypedServiceImplementation {
    /**
     * Returns the current forecast of each requested symbol (every symbol when none is named), or,
     * with as_of_time, the forecast computed point-in-time from what the lake knew then.
     * Returns NOT_FOUND when a named symbol has no forecast (too few daily returns).
     */
    getForecasts: handleUnaryCall<GetForecastsRequest, GetForecastsResponse>;
    /** Streams every new forecast version as it is computed, after the current ones if asked. */
    subscribeForecasts: handleServerStreamingCall<SubscribeForecastsRequest, SubscribeForecastsResponse>;
}
export interface VolatilityServiceClient extends Client {
    /**
     * Returns the current forecast of each requested symbol (every symbol when none is named), or,
     * with as_of_time, the forecast computed point-in-time from what the lake knew then.
     * Returns NOT_FOUND when a named symbol has no forecast (too few daily returns).
     */
    getForecasts(request: GetForecastsRequest, callback: (error: ServiceError | null, response: GetForecastsResponse) => void): ClientUnaryCall;
    getForecasts(request: GetForecastsRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetForecastsResponse) => void): ClientUnaryCall;
    getForecasts(request: GetForecastsRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetForecastsResponse) => void): ClientUnaryCall;
    /** Streams every new forecast version as it is computed, after the current ones if asked. */
    subscribeForecasts(request: SubscribeForecastsRequest, options?: Partial<CallOptions>): ClientReadableStream<SubscribeForecastsResponse>;
    subscribeForecasts(request: SubscribeForecastsRequest, metadata?: Metadata, options?: Partial<CallOptions>): ClientReadableStream<SubscribeForecastsResponse>;
}
export declare const VolatilityServiceClient: {
    new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): VolatilityServiceClient;
    service: typeof VolatilityServiceService;
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
