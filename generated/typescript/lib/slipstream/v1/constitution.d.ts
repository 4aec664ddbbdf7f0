import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { type CallOptions, type ChannelCredentials, Client, type ClientOptions, type ClientUnaryCall, type handleUnaryCall, type Metadata, type ServiceError, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { Timestamp } from "../../google/protobuf/timestamp";
import { HaltReason, PodConfig, PodStatus, TradingState } from "./common";
export declare const protobufPackage = "slipstream.v1";
export declare const protobufFileName = "slipstream/v1/constitution.proto";
/** StatusRequest asks a pod for its report. */
export interface StatusRequest {
}
/** StatusResponse carries the pod's report. */
export interface StatusResponse {
    /** The report. */
    status: PodStatus | undefined;
}
/** ConfigureRequest carries a complete configuration. */
export interface ConfigureRequest {
    /** The configuration to apply; config_version must be >= 1. */
    config: PodConfig | undefined;
}
/** ConfigureResponse tells what the pod did with the configuration. */
export interface ConfigureResponse {
    /** The configuration now in force. */
    config: PodConfig | undefined;
    /** False when the same version with the same content was already in force (a retry). */
    applied: boolean;
    /** The trading state after applying. */
    trading_state: TradingState;
}
/** HaltRequest pulls the kill switch. */
export interface HaltRequest {
    /** Why; must not be UNSPECIFIED. */
    reason: HaltReason;
    /** Who asked (operator or service name); must not be empty. */
    requested_by: string;
    /** Whether to cancel every open order as part of the halt. */
    cancel_open_orders: boolean;
    /** Free text for the record. */
    note: string;
    /**
     * Configuration version (count) the halt belongs to: the pod refuses any Configure below it as
     * stale, so a configuration already in flight cannot lift the halt. 0 when the caller does not
     * version configurations (an operator with grpcurl); >= 0.
     */
    config_version: string;
}
/** HaltResponse confirms the halt. */
export interface HaltResponse {
    /** True when the pod was already halted before this call. */
    already_halted: boolean;
    /** Number of open orders cancelled by this call. */
    cancelled_order_count: number;
    /** When the pod applied the halt (the original time if it was already halted). */
    halt_time: Timestamp | undefined;
}
export declare const StatusRequest: MessageFns<StatusRequest>;
export declare const StatusResponse: MessageFns<StatusResponse>;
export declare const ConfigureRequest: MessageFns<ConfigureRequest>;
export declare const ConfigureResponse: MessageFns<ConfigureResponse>;
export declare const HaltRequest: MessageFns<HaltRequest>;
export declare const HaltResponse: MessageFns<HaltResponse>;
/**
 * ConstitutionService is the contract every pod implements, in any language.
 * Every call carries the pod's token as metadata "authorization: Bearer <token>";
 * a missing token gets UNAUTHENTICATED, a wrong one PERMISSION_DENIED.
 */
export type ConstitutionServiceService = typeof ConstitutionServiceService;
export declare const ConstitutionServiceService: {
    /**
     * Reports the pod's state, exposure, PnL, limits and health.
     * Must answer even while the strategy loop is busy.
     */
    readonly status: {
        readonly path: "/slipstream.v1.ConstitutionService/Status";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: StatusRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => StatusRequest;
        readonly responseSerialize: (value: StatusResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => StatusResponse;
    };
    /**
     * Applies a new configuration (limits, trading state, parameters).
     * Returns INVALID_ARGUMENT naming the field for a negative, NaN or infinite limit,
     * an unspecified enum, a duplicate symbol, or a stale config_version; nothing changes then.
     */
    readonly configure: {
        readonly path: "/slipstream.v1.ConstitutionService/Configure";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ConfigureRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ConfigureRequest;
        readonly responseSerialize: (value: ConfigureResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ConfigureResponse;
    };
    /**
     * Halts the pod: it stops placing orders at once and, if asked, cancels its open orders.
     * Idempotent: halting a halted pod succeeds and reports already_halted.
     * Answered even while the strategy loop is busy or stuck.
     */
    readonly halt: {
        readonly path: "/slipstream.v1.ConstitutionService/Halt";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: HaltRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => HaltRequest;
        readonly responseSerialize: (value: HaltResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => HaltResponse;
    };
};
export interface ConstitutionServiceServer extends UntypedServiceImplementation {
    /**
     * Reports the pod's state, exposure, PnL, limits and health.
     * Must answer even while the strategy loop is busy.
     */
    status: handleUnaryCall<StatusRequest, StatusResponse>;
    /**
     * Applies a new configuration (limits, trading state, parameters).
     * Returns INVALID_ARGUMENT naming the field for a negative, NaN or infinite limit,
     * an unspecified enum, a duplicate symbol, or a stale config_version; nothing changes then.
     */
    configure: handleUnaryCall<ConfigureRequest, ConfigureResponse>;
    /**
     * Halts the pod: it stops placing orders at once and, if asked, cancels its open orders.
     * Idempotent: halting a halted pod succeeds and reports already_halted.
     * Answered even while the strategy loop is busy or stuck.
     */
    halt: handleUnaryCall<HaltRequest, HaltResponse>;
}
export interface ConstitutionServiceClient extends Client {
    /**
     * Reports the pod's state, exposure, PnL, limits and health.
     * Must answer even while the strategy loop is busy.
     */
    status(request: StatusRequest, callback: (error: ServiceError | null, response: StatusResponse) => void): ClientUnaryCall;
    status(request: StatusRequest, metadata: Metadata, callback: (error: ServiceError | null, response: StatusResponse) => void): ClientUnaryCall;
    status(request: StatusRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: StatusResponse) => void): ClientUnaryCall;
    /**
     * Applies a new configuration (limits, trading state, parameters).
     * Returns INVALID_ARGUMENT naming the field for a negative, NaN or infinite limit,
     * an unspecified enum, a duplicate symbol, or a stale config_version; nothing changes then.
     */
    configure(request: ConfigureRequest, callback: (error: ServiceError | null, response: ConfigureResponse) => void): ClientUnaryCall;
    configure(request: ConfigureRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ConfigureResponse) => void): ClientUnaryCall;
    configure(request: ConfigureRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ConfigureResponse) => void): ClientUnaryCall;
    /**
     * Halts the pod: it stops placing orders at once and, if asked, cancels its open orders.
     * Idempotent: halting a halted pod succeeds and reports already_halted.
     * Answered even while the strategy loop is busy or stuck.
     */
    halt(request: HaltRequest, callback: (error: ServiceError | null, response: HaltResponse) => void): ClientUnaryCall;
    halt(request: HaltRequest, metadata: Metadata, callback: (error: ServiceError | null, response: HaltResponse) => void): ClientUnaryCall;
    halt(request: HaltRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: HaltResponse) => void): ClientUnaryCall;
}
export declare const ConstitutionServiceClient: {
    new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): ConstitutionServiceClient;
    service: typeof ConstitutionServiceService;
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
