import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { type CallOptions, type ChannelCredentials, Client, type ClientOptions, type ClientReadableStream, type ClientUnaryCall, type handleServerStreamingCall, type handleUnaryCall, type Metadata, type ServiceError, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { Timestamp } from "../../google/protobuf/timestamp";
export declare const protobufPackage = "slipstream.v1";
export declare const protobufFileName = "slipstream/v1/auditor.proto";
/** DiscrepancyKind classifies a difference between two views of the same holding. */
export declare enum DiscrepancyKind {
    /** DISCREPANCY_KIND_UNSPECIFIED - Not set. */
    DISCREPANCY_KIND_UNSPECIFIED = "DISCREPANCY_KIND_UNSPECIFIED",
    /** DISCREPANCY_KIND_UNDER_REPORTED - The pod reports less than it holds (by the gateway's fills, confirmed by the exchange). */
    DISCREPANCY_KIND_UNDER_REPORTED = "DISCREPANCY_KIND_UNDER_REPORTED",
    /** DISCREPANCY_KIND_OVER_REPORTED - The pod reports more than it holds. */
    DISCREPANCY_KIND_OVER_REPORTED = "DISCREPANCY_KIND_OVER_REPORTED",
    /** DISCREPANCY_KIND_UNREPORTED_SYMBOL - The pod holds a symbol it does not report at all. */
    DISCREPANCY_KIND_UNREPORTED_SYMBOL = "DISCREPANCY_KIND_UNREPORTED_SYMBOL",
    /** DISCREPANCY_KIND_STALE_REPORT - The pod's last report is older than the staleness limit. */
    DISCREPANCY_KIND_STALE_REPORT = "DISCREPANCY_KIND_STALE_REPORT",
    /** DISCREPANCY_KIND_GATEWAY_EXCHANGE_MISMATCH - The gateway's fill-derived positions on an account differ from the exchange's. */
    DISCREPANCY_KIND_GATEWAY_EXCHANGE_MISMATCH = "DISCREPANCY_KIND_GATEWAY_EXCHANGE_MISMATCH",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function discrepancyKindFromJSON(object: any): DiscrepancyKind;
export declare function discrepancyKindToJSON(object: DiscrepancyKind): string;
export declare function discrepancyKindToNumber(object: DiscrepancyKind): number;
/** Severity grades a discrepancy by its size in USD (thresholds are configured). */
export declare enum Severity {
    /** SEVERITY_UNSPECIFIED - Not set. */
    SEVERITY_UNSPECIFIED = "SEVERITY_UNSPECIFIED",
    /** SEVERITY_INFO - Below the warning threshold. */
    SEVERITY_INFO = "SEVERITY_INFO",
    /** SEVERITY_WARNING - At or above the warning threshold. */
    SEVERITY_WARNING = "SEVERITY_WARNING",
    /** SEVERITY_CRITICAL - At or above the critical threshold: material. */
    SEVERITY_CRITICAL = "SEVERITY_CRITICAL",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function severityFromJSON(object: any): Severity;
export declare function severityToJSON(object: Severity): string;
export declare function severityToNumber(object: Severity): number;
/** AlertKind says what changed. */
export declare enum AlertKind {
    /** ALERT_KIND_UNSPECIFIED - Not set. */
    ALERT_KIND_UNSPECIFIED = "ALERT_KIND_UNSPECIFIED",
    /** ALERT_KIND_OPENED - A discrepancy was seen for the first time. */
    ALERT_KIND_OPENED = "ALERT_KIND_OPENED",
    /** ALERT_KIND_ESCALATED - A discrepancy grew in severity or crossed the halt policy. */
    ALERT_KIND_ESCALATED = "ALERT_KIND_ESCALATED",
    /** ALERT_KIND_RESOLVED - A discrepancy is no longer seen. */
    ALERT_KIND_RESOLVED = "ALERT_KIND_RESOLVED",
    /** ALERT_KIND_AUDIT_STALE - An audit could not read an exchange account: its results are stale, not "all clear". */
    ALERT_KIND_AUDIT_STALE = "ALERT_KIND_AUDIT_STALE",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function alertKindFromJSON(object: any): AlertKind;
export declare function alertKindToJSON(object: AlertKind): string;
export declare function alertKindToNumber(object: AlertKind): number;
/** SymbolExposure is a holding valued in USD. */
export interface SymbolExposure {
    /** Instrument in ccxt unified notation. */
    symbol: string;
    /** Signed quantity, base-asset units, decimal string. */
    quantity: string;
    /** Signed value, USD, decimal string. */
    net_notional_usd: string;
    /** Absolute value, USD, decimal string. */
    gross_notional_usd: string;
    /** Beta of the asset's daily returns to BTC's, a ratio (1 for BTC itself). */
    beta_to_btc: number;
}
/** AccountExposure is what one exchange account really holds. */
export interface AccountExposure {
    /** Trading account name (as the gateway knows it). */
    account: string;
    /** Positions read from the exchange. */
    positions: SymbolExposure[];
    /** False when the exchange could not be read in the last audit (the figures are older). */
    fresh: boolean;
    /** When the exchange was last read successfully. */
    read_time: Timestamp | undefined;
}
/** PodExposure is one pod's holdings in the three views. */
export interface PodExposure {
    /** The pod. */
    pod_id: string;
    /** Its trading account. */
    account: string;
    /** What the pod reports in Status. */
    reported: SymbolExposure[];
    /** What the gateway booked from the pod's fills. */
    booked: SymbolExposure[];
    /** When the pod's report was produced. */
    report_time: Timestamp | undefined;
}
/** Discrepancy is one difference, tracked across audits. */
export interface Discrepancy {
    /** Stable identifier (kind, account, pod and symbol). */
    discrepancy_id: string;
    /** What kind of difference. */
    kind: DiscrepancyKind;
    /** Trading account. */
    account: string;
    /** The pod concerned; empty for a gateway-versus-exchange mismatch. */
    pod_id: string;
    /** Instrument; empty for a stale report. */
    symbol: string;
    /** The quantity the trusted view holds, base units, decimal string. */
    expected_quantity: string;
    /** The quantity the checked view shows, base units, decimal string. */
    observed_quantity: string;
    /** Size of the difference, USD, decimal string (absolute). */
    difference_usd: string;
    /** Grade by size. */
    severity: Severity;
    /** Consecutive audits in which it was seen, count. */
    consecutive_audit_count: number;
    /** When it was first seen. */
    first_seen_time: Timestamp | undefined;
    /** When it was last seen. */
    last_seen_time: Timestamp | undefined;
    /** True once it is no longer seen. */
    resolved: boolean;
    /** True when the policy asked the federation to halt the pod for it. */
    halt_requested: boolean;
}
/** AuditReport summarises one audit. */
export interface AuditReport {
    /** When the audit ran. */
    audit_time: Timestamp | undefined;
    /** True when an exchange account could not be read: never an all-clear. */
    stale: boolean;
    /** Why it is stale, naming the accounts. */
    stale_reason: string;
    /** Open discrepancies after the audit, count. */
    open_discrepancy_count: number;
    /** Pods the policy asked the federation to halt in this audit. */
    halted_pod_ids: string[];
    /** Wall time of the audit, seconds. */
    duration_seconds: number;
}
/** GetExposureRequest asks for the unified exposure. */
export interface GetExposureRequest {
}
/** GetExposureResponse is the unified exposure. */
export interface GetExposureResponse {
    /** Per asset across accounts. */
    assets: SymbolExposure[];
    /** Per account. */
    accounts: AccountExposure[];
    /** Per pod. */
    pods: PodExposure[];
    /** Sum of signed notionals times their beta to BTC, USD, decimal string. */
    btc_beta_adjusted_usd: string;
    /** The audit these figures come from. */
    report: AuditReport | undefined;
}
/** GetPodExposureRequest names a pod. */
export interface GetPodExposureRequest {
    /** The pod. */
    pod_id: string;
}
/** GetPodExposureResponse is one pod's audited exposure. */
export interface GetPodExposureResponse {
    /** Its holdings in the three views. */
    exposure: PodExposure | undefined;
    /** Its open discrepancies. */
    discrepancies: Discrepancy[];
}
/** ListDiscrepanciesRequest selects discrepancies. */
export interface ListDiscrepanciesRequest {
    /** Include resolved ones (the history). */
    include_resolved: boolean;
    /** Maximum returned, count; 0 means 1,000. */
    max_count: number;
}
/** ListDiscrepanciesResponse lists them, open first, largest first. */
export interface ListDiscrepanciesResponse {
    /** The discrepancies. */
    discrepancies: Discrepancy[];
}
/** StreamAlertsRequest opens the alert feed. */
export interface StreamAlertsRequest {
}
/** StreamAlertsResponse is one alert. */
export interface StreamAlertsResponse {
    /** What changed. */
    kind: AlertKind;
    /** The discrepancy concerned; absent for AUDIT_STALE. */
    discrepancy: Discrepancy | undefined;
    /** The audit that raised it. */
    report: AuditReport | undefined;
}
/** RunAuditRequest asks for an audit now. */
export interface RunAuditRequest {
}
/** RunAuditResponse reports the audit. */
export interface RunAuditResponse {
    /** The report. */
    report: AuditReport | undefined;
}
export declare const SymbolExposure: MessageFns<SymbolExposure>;
export declare const AccountExposure: MessageFns<AccountExposure>;
export declare const PodExposure: MessageFns<PodExposure>;
export declare const Discrepancy: MessageFns<Discrepancy>;
export declare const AuditReport: MessageFns<AuditReport>;
export declare const GetExposureRequest: MessageFns<GetExposureRequest>;
export declare const GetExposureResponse: MessageFns<GetExposureResponse>;
export declare const GetPodExposureRequest: MessageFns<GetPodExposureRequest>;
export declare const GetPodExposureResponse: MessageFns<GetPodExposureResponse>;
export declare const ListDiscrepanciesRequest: MessageFns<ListDiscrepanciesRequest>;
export declare const ListDiscrepanciesResponse: MessageFns<ListDiscrepanciesResponse>;
export declare const StreamAlertsRequest: MessageFns<StreamAlertsRequest>;
export declare const StreamAlertsResponse: MessageFns<StreamAlertsResponse>;
export declare const RunAuditRequest: MessageFns<RunAuditRequest>;
export declare const RunAuditResponse: MessageFns<RunAuditResponse>;
/**
 * AuditorService is the independent risk auditor. With read-only exchange credentials it
 * reconstructs what each account really holds, compares it with what the pods report and with
 * what the gateway booked from fills, and raises (or, by policy, acts on) every difference.
 *
 * Authentication: metadata "authorization: Bearer <token>"; reads need the admin, an auditor
 * or a viewer token, RunAudit the admin or an auditor token (docs/authorization.md).
 */
export type AuditorServiceService = typeof AuditorServiceService;
export declare const AuditorServiceService: {
    /**
     * Returns the federation's unified exposure from the last audit: per asset, per account, per
     * pod, and the BTC-beta-adjusted total. FAILED_PRECONDITION before the first audit.
     */
    readonly getExposure: {
        readonly path: "/slipstream.v1.AuditorService/GetExposure";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetExposureRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetExposureRequest;
        readonly responseSerialize: (value: GetExposureResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetExposureResponse;
    };
    /** Returns one pod's audited exposure. Returns NOT_FOUND for a pod the auditor does not know. */
    readonly getPodExposure: {
        readonly path: "/slipstream.v1.AuditorService/GetPodExposure";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetPodExposureRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetPodExposureRequest;
        readonly responseSerialize: (value: GetPodExposureResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetPodExposureResponse;
    };
    /** Lists discrepancies, open ones by default, largest first. */
    readonly listDiscrepancies: {
        readonly path: "/slipstream.v1.AuditorService/ListDiscrepancies";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ListDiscrepanciesRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ListDiscrepanciesRequest;
        readonly responseSerialize: (value: ListDiscrepanciesResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ListDiscrepanciesResponse;
    };
    /** Streams alerts as they happen: a discrepancy opened, escalated or resolved, an audit stale. */
    readonly streamAlerts: {
        readonly path: "/slipstream.v1.AuditorService/StreamAlerts";
        readonly requestStream: false;
        readonly responseStream: true;
        readonly requestSerialize: (value: StreamAlertsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => StreamAlertsRequest;
        readonly responseSerialize: (value: StreamAlertsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => StreamAlertsResponse;
    };
    /** Runs an audit now and returns its report. */
    readonly runAudit: {
        readonly path: "/slipstream.v1.AuditorService/RunAudit";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: RunAuditRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => RunAuditRequest;
        readonly responseSerialize: (value: RunAuditResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => RunAuditResponse;
    };
};
export interface AuditorServiceServer extends UntypedServiceImplementation {
    /**
     * Returns the federation's unified exposure from the last audit: per asset, per account, per
     * pod, and the BTC-beta-adjusted total. FAILED_PRECONDITION before the first audit.
     */
    getExposure: handleUnaryCall<GetExposureRequest, GetExposureResponse>;
    /** Returns one pod's audited exposure. Returns NOT_FOUND for a pod the auditor does not know. */
    getPodExposure: handleUnaryCall<GetPodExposureRequest, GetPodExposureResponse>;
    /** Lists discrepancies, open ones by default, largest first. */
    listDiscrepancies: handleUnaryCall<ListDiscrepanciesRequest, ListDiscrepanciesResponse>;
    /** Streams alerts as they happen: a discrepancy opened, escalated or resolved, an audit stale. */
    streamAlerts: handleServerStreamingCall<StreamAlertsRequest, StreamAlertsResponse>;
    /** Runs an audit now and returns its report. */
    runAudit: handleUnaryCall<RunAuditRequest, RunAuditResponse>;
}
export interface AuditorServiceClient extends Client {
    /**
     * Returns the federation's unified exposure from the last audit: per asset, per account, per
     * pod, and the BTC-beta-adjusted total. FAILED_PRECONDITION before the first audit.
     */
    getExposure(request: GetExposureRequest, callback: (error: ServiceError | null, response: GetExposureResponse) => void): ClientUnaryCall;
    getExposure(request: GetExposureRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetExposureResponse) => void): ClientUnaryCall;
    getExposure(request: GetExposureRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetExposureResponse) => void): ClientUnaryCall;
    /** Returns one pod's audited exposure. Returns NOT_FOUND for a pod the auditor does not know. */
    getPodExposure(request: GetPodExposureRequest, callback: (error: ServiceError | null, response: GetPodExposureResponse) => void): ClientUnaryCall;
    getPodExposure(request: GetPodExposureRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetPodExposureResponse) => void): ClientUnaryCall;
    getPodExposure(request: GetPodExposureRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetPodExposureResponse) => void): ClientUnaryCall;
    /** Lists discrepancies, open ones by default, largest first. */
    listDiscrepancies(request: ListDiscrepanciesRequest, callback: (error: ServiceError | null, response: ListDiscrepanciesResponse) => void): ClientUnaryCall;
    listDiscrepancies(request: ListDiscrepanciesRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ListDiscrepanciesResponse) => void): ClientUnaryCall;
    listDiscrepancies(request: ListDiscrepanciesRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ListDiscrepanciesResponse) => void): ClientUnaryCall;
    /** Streams alerts as they happen: a discrepancy opened, escalated or resolved, an audit stale. */
    streamAlerts(request: StreamAlertsRequest, options?: Partial<CallOptions>): ClientReadableStream<StreamAlertsResponse>;
    streamAlerts(request: StreamAlertsRequest, metadata?: Metadata, options?: Partial<CallOptions>): ClientReadableStream<StreamAlertsResponse>;
    /** Runs an audit now and returns its report. */
    runAudit(request: RunAuditRequest, callback: (error: ServiceError | null, response: RunAuditResponse) => void): ClientUnaryCall;
    runAudit(request: RunAuditRequest, metadata: Metadata, callback: (error: ServiceError | null, response: RunAuditResponse) => void): ClientUnaryCall;
    runAudit(request: RunAuditRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: RunAuditResponse) => void): ClientUnaryCall;
}
export declare const AuditorServiceClient: {
    new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): AuditorServiceClient;
    service: typeof AuditorServiceService;
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
