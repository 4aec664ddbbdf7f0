import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { type CallOptions, type ChannelCredentials, Client, type ClientOptions, type ClientUnaryCall, type handleUnaryCall, type Metadata, type ServiceError, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { Duration } from "../../google/protobuf/duration";
import { Timestamp } from "../../google/protobuf/timestamp";
import { ExecutionIntent, HaltReason, Health, PodConfig, PodLimits, PodStatus, TradingState } from "./common";
export declare const protobufPackage = "slipstream.v1";
export declare const protobufFileName = "slipstream/v1/federation.proto";
/** Connectivity is the federation's view of whether it can reach a pod. */
export declare enum Connectivity {
    /** CONNECTIVITY_UNSPECIFIED - Not set. */
    CONNECTIVITY_UNSPECIFIED = "CONNECTIVITY_UNSPECIFIED",
    /** CONNECTIVITY_PENDING - Registered, not polled yet. */
    CONNECTIVITY_PENDING = "CONNECTIVITY_PENDING",
    /** CONNECTIVITY_REACHABLE - The last poll succeeded. */
    CONNECTIVITY_REACHABLE = "CONNECTIVITY_REACHABLE",
    /** CONNECTIVITY_LAGGING - At least one poll failed, fewer than the unreachable threshold in a row. */
    CONNECTIVITY_LAGGING = "CONNECTIVITY_LAGGING",
    /** CONNECTIVITY_UNREACHABLE - The configured number of polls in a row failed. */
    CONNECTIVITY_UNREACHABLE = "CONNECTIVITY_UNREACHABLE",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function connectivityFromJSON(object: any): Connectivity;
export declare function connectivityToJSON(object: Connectivity): string;
export declare function connectivityToNumber(object: Connectivity): number;
/** PodHaltOutcome is one pod's result in a halt fan-out. */
export declare enum PodHaltOutcome {
    /** POD_HALT_OUTCOME_UNSPECIFIED - Not set. */
    POD_HALT_OUTCOME_UNSPECIFIED = "POD_HALT_OUTCOME_UNSPECIFIED",
    /** POD_HALT_OUTCOME_HALTED - The pod confirmed the halt. */
    POD_HALT_OUTCOME_HALTED = "POD_HALT_OUTCOME_HALTED",
    /** POD_HALT_OUTCOME_ALREADY_HALTED - The pod was already halted and confirmed it. */
    POD_HALT_OUTCOME_ALREADY_HALTED = "POD_HALT_OUTCOME_ALREADY_HALTED",
    /**
     * POD_HALT_OUTCOME_TIMEOUT - The pod did not answer within the deadline; the halt is recorded and re-sent
     * on the next successful poll.
     */
    POD_HALT_OUTCOME_TIMEOUT = "POD_HALT_OUTCOME_TIMEOUT",
    /** POD_HALT_OUTCOME_FAILED - The pod answered with an error or could not be reached. */
    POD_HALT_OUTCOME_FAILED = "POD_HALT_OUTCOME_FAILED",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function podHaltOutcomeFromJSON(object: any): PodHaltOutcome;
export declare function podHaltOutcomeToJSON(object: PodHaltOutcome): string;
export declare function podHaltOutcomeToNumber(object: PodHaltOutcome): number;
/** Pod is the federation's record of one pod. */
export interface Pod {
    /** Identifier: 1-64 characters of [A-Za-z0-9._-]. */
    pod_id: string;
    /** Where the pod's ConstitutionService listens, "host:port". */
    address: string;
    /** Implementation language, e.g. "python", "node". */
    language: string;
    /** Declared execution intent. */
    execution_intent: ExecutionIntent;
    /** Whether the federation can reach the pod. */
    connectivity: Connectivity;
    /** Polls failed in a row since the last success. */
    missed_poll_count: number;
    /** Trading state the federation wants the pod in (HALTED after a halt until resumed). */
    desired_trading_state: TradingState;
    /** Latest configuration the federation has issued (config_version 0 = none). */
    desired_config: PodConfig | undefined;
    /** Latest status received; absent before the first successful poll. */
    last_status: PodStatus | undefined;
    /** When last_status was received, by the federation's clock. */
    last_poll_time: Timestamp | undefined;
    /** When the pod first registered. */
    register_time: Timestamp | undefined;
    /**
     * Health as the federation shows it: the pod's own, or UNKNOWN when the latest
     * status is missing or the pod is not reachable.
     */
    health: Health;
}
/** PodSnapshot is one stored status observation of a pod. */
export interface PodSnapshot {
    /** When the federation received the status. */
    observe_time: Timestamp | undefined;
    /** Net asset value, USD, decimal string. */
    nav_usd: string;
    /** Realised PnL since start, USD, decimal string. */
    realized_pnl_usd: string;
    /** Unrealised PnL, USD, decimal string. */
    unrealized_pnl_usd: string;
    /** Net exposure, USD, decimal string. */
    net_exposure_usd: string;
    /** Gross exposure, USD, decimal string. */
    gross_exposure_usd: string;
    /** Capital allocated at the time, USD, decimal string. */
    capital_allocation_usd: string;
    /** Trading state at the time. */
    trading_state: TradingState;
    /** Config version in force at the pod at the time. */
    config_version: string;
}
/** PodHaltResult is one pod's outcome in a halt. */
export interface PodHaltResult {
    /** The pod. */
    pod_id: string;
    /** What happened. */
    outcome: PodHaltOutcome;
    /** Error detail for TIMEOUT and FAILED; empty otherwise. */
    error_message: string;
    /** Time from sending Halt to the pod's answer (or giving up). */
    latency: Duration | undefined;
}
/** RegisterPodRequest announces a pod. */
export interface RegisterPodRequest {
    /** Identifier: 1-64 characters of [A-Za-z0-9._-]. */
    pod_id: string;
    /** "host:port" where the pod's ConstitutionService listens. */
    address: string;
    /** Implementation language, e.g. "python", "node"; 1-32 characters. */
    language: string;
    /** Declared execution intent; must not be UNSPECIFIED. */
    execution_intent: ExecutionIntent;
}
/** RegisterPodResponse returns the pod's record. */
export interface RegisterPodResponse {
    /** The pod as registered. */
    pod: Pod | undefined;
    /** True when the pod_id was new, false when an existing record was updated. */
    created: boolean;
    /** The new pod's token, only when an admin registered a new pod_id; shown once. */
    issued_token: string;
}
/** DeregisterPodRequest removes a pod. */
export interface DeregisterPodRequest {
    /** The pod to remove. */
    pod_id: string;
}
/** DeregisterPodResponse confirms the removal. */
export interface DeregisterPodResponse {
}
/** ListPodsRequest asks for every registered pod. */
export interface ListPodsRequest {
}
/** ListPodsResponse lists pods, ordered by pod_id. */
export interface ListPodsResponse {
    /** The pods. */
    pods: Pod[];
}
/** GetPodRequest names one pod. */
export interface GetPodRequest {
    /** The pod. */
    pod_id: string;
}
/** GetPodResponse returns the pod. */
export interface GetPodResponse {
    /** The pod with its latest status. */
    pod: Pod | undefined;
}
/** ListPodSnapshotsRequest selects a pod's history. */
export interface ListPodSnapshotsRequest {
    /** The pod. */
    pod_id: string;
    /** Earliest observation to return (inclusive); unset means from the first. */
    start_time: Timestamp | undefined;
    /** Latest observation to return (exclusive); unset means up to now. */
    end_time: Timestamp | undefined;
    /** Maximum number of snapshots, newest kept; 0 means 10000; at most 100000. */
    max_count: number;
}
/** ListPodSnapshotsResponse returns the history, oldest first. */
export interface ListPodSnapshotsResponse {
    /** The snapshots. */
    snapshots: PodSnapshot[];
}
/** HaltPodRequest halts one pod. */
export interface HaltPodRequest {
    /** The pod. */
    pod_id: string;
    /** Why; must not be UNSPECIFIED. */
    reason: HaltReason;
    /** Who asked; must not be empty. */
    requested_by: string;
    /** Whether the pod cancels its open orders. */
    cancel_open_orders: boolean;
    /** Free text for the record. */
    note: string;
    /** How long to wait for the pod's confirmation; unset means 2 seconds; at most 60 seconds. */
    timeout: Duration | undefined;
}
/** HaltPodResponse reports the outcome. */
export interface HaltPodResponse {
    /** The pod's result. */
    result: PodHaltResult | undefined;
}
/** HaltAllPodsRequest halts every registered pod. */
export interface HaltAllPodsRequest {
    /** Why; must not be UNSPECIFIED. */
    reason: HaltReason;
    /** Who asked; must not be empty. */
    requested_by: string;
    /** Whether pods cancel their open orders. */
    cancel_open_orders: boolean;
    /** Free text for the record. */
    note: string;
    /** Deadline for the whole fan-out; unset means 2 seconds; at most 60 seconds. */
    timeout: Duration | undefined;
}
/** HaltAllPodsResponse reports every pod's outcome. */
export interface HaltAllPodsResponse {
    /** One result per registered pod, ordered by pod_id. */
    results: PodHaltResult[];
    /** Wall time of the whole fan-out. */
    elapsed: Duration | undefined;
}
/** ResumePodRequest lifts a halt. */
export interface ResumePodRequest {
    /** The pod. */
    pod_id: string;
    /** Who asked; must not be empty. */
    requested_by: string;
    /** Free text for the record. */
    note: string;
}
/** ResumePodResponse returns the configuration pushed to resume the pod. */
export interface ResumePodResponse {
    /** The new configuration (trading state ACTIVE). */
    config: PodConfig | undefined;
    /** Whether the pod confirmed it; if false the federation re-sends it on the next poll. */
    delivered: boolean;
    /** Why delivery failed, when it did. */
    error_message: string;
}
/** PushPodConfigRequest sets a pod's limits and parameters. */
export interface PushPodConfigRequest {
    /** The pod. */
    pod_id: string;
    /** The new limits. */
    limits: PodLimits | undefined;
    /** The new strategy parameters (replace the previous set). */
    parameters: {
        [key: string]: string;
    };
    /** Who asked; must not be empty. */
    requested_by: string;
}
export interface PushPodConfigRequest_ParametersEntry {
    key: string;
    value: string;
}
/** PushPodConfigResponse returns the versioned configuration. */
export interface PushPodConfigResponse {
    /** The configuration with the version the federation assigned. */
    config: PodConfig | undefined;
    /** Whether the pod confirmed it; if false the federation re-sends it on the next poll. */
    delivered: boolean;
    /** Why delivery failed, when it did. */
    error_message: string;
}
export declare const Pod: MessageFns<Pod>;
export declare const PodSnapshot: MessageFns<PodSnapshot>;
export declare const PodHaltResult: MessageFns<PodHaltResult>;
export declare const RegisterPodRequest: MessageFns<RegisterPodRequest>;
export declare const RegisterPodResponse: MessageFns<RegisterPodResponse>;
export declare const DeregisterPodRequest: MessageFns<DeregisterPodRequest>;
export declare const DeregisterPodResponse: MessageFns<DeregisterPodResponse>;
export declare const ListPodsRequest: MessageFns<ListPodsRequest>;
export declare const ListPodsResponse: MessageFns<ListPodsResponse>;
export declare const GetPodRequest: MessageFns<GetPodRequest>;
export declare const GetPodResponse: MessageFns<GetPodResponse>;
export declare const ListPodSnapshotsRequest: MessageFns<ListPodSnapshotsRequest>;
export declare const ListPodSnapshotsResponse: MessageFns<ListPodSnapshotsResponse>;
export declare const HaltPodRequest: MessageFns<HaltPodRequest>;
export declare const HaltPodResponse: MessageFns<HaltPodResponse>;
export declare const HaltAllPodsRequest: MessageFns<HaltAllPodsRequest>;
export declare const HaltAllPodsResponse: MessageFns<HaltAllPodsResponse>;
export declare const ResumePodRequest: MessageFns<ResumePodRequest>;
export declare const ResumePodResponse: MessageFns<ResumePodResponse>;
export declare const PushPodConfigRequest: MessageFns<PushPodConfigRequest>;
export declare const PushPodConfigRequest_ParametersEntry: MessageFns<PushPodConfigRequest_ParametersEntry>;
export declare const PushPodConfigResponse: MessageFns<PushPodConfigResponse>;
/**
 * FederationService is the control plane: the registry of pods, their latest status,
 * and the levers (halt, resume, configure) the centre pulls.
 *
 * Authentication: metadata "authorization: Bearer <token>" with either the admin token
 * or a pod's token. Pods may register and deregister themselves and read their own
 * record; auditor and viewer tokens may list and read; halting, resuming and configuring need
 * the admin token (docs/authorization.md).
 * Missing token: UNAUTHENTICATED; a token without the right: PERMISSION_DENIED.
 */
export type FederationServiceService = typeof FederationServiceService;
export declare const FederationServiceService: {
    /**
     * Registers a pod, or updates the address, language and intent of a registered one
     * (a restarted pod calls this again; its history and config are kept).
     * A pod token may only register its own pod_id. An admin registering a new pod_id
     * gets a freshly issued pod token in the response.
     * Returns INVALID_ARGUMENT for a malformed id or address or an unspecified intent.
     */
    readonly registerPod: {
        readonly path: "/slipstream.v1.FederationService/RegisterPod";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: RegisterPodRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => RegisterPodRequest;
        readonly responseSerialize: (value: RegisterPodResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => RegisterPodResponse;
    };
    /**
     * Removes a pod from polling and from the pod list; its history is kept and it may
     * register again. Returns NOT_FOUND for an unknown pod.
     */
    readonly deregisterPod: {
        readonly path: "/slipstream.v1.FederationService/DeregisterPod";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: DeregisterPodRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => DeregisterPodRequest;
        readonly responseSerialize: (value: DeregisterPodResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => DeregisterPodResponse;
    };
    /** Lists registered pods with their latest status. */
    readonly listPods: {
        readonly path: "/slipstream.v1.FederationService/ListPods";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ListPodsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ListPodsRequest;
        readonly responseSerialize: (value: ListPodsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ListPodsResponse;
    };
    /** Returns one pod with its latest status. Returns NOT_FOUND for an unknown pod. */
    readonly getPod: {
        readonly path: "/slipstream.v1.FederationService/GetPod";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetPodRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetPodRequest;
        readonly responseSerialize: (value: GetPodResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetPodResponse;
    };
    /**
     * Returns a pod's stored status snapshots (NAV, PnL, exposure) in time order.
     * Returns NOT_FOUND for an unknown pod.
     */
    readonly listPodSnapshots: {
        readonly path: "/slipstream.v1.FederationService/ListPodSnapshots";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ListPodSnapshotsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ListPodSnapshotsRequest;
        readonly responseSerialize: (value: ListPodSnapshotsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ListPodSnapshotsResponse;
    };
    /**
     * Halts one pod; the halt is recorded first, so it sticks even if the pod cannot be
     * reached now, and is re-applied when the pod comes back. Returns NOT_FOUND for an unknown pod.
     */
    readonly haltPod: {
        readonly path: "/slipstream.v1.FederationService/HaltPod";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: HaltPodRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => HaltPodRequest;
        readonly responseSerialize: (value: HaltPodResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => HaltPodResponse;
    };
    /** Halts every registered pod in parallel within a deadline and reports each pod's outcome. */
    readonly haltAllPods: {
        readonly path: "/slipstream.v1.FederationService/HaltAllPods";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: HaltAllPodsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => HaltAllPodsRequest;
        readonly responseSerialize: (value: HaltAllPodsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => HaltAllPodsResponse;
    };
    /**
     * Resumes a halted pod (trading state ACTIVE) with a new config version.
     * Returns NOT_FOUND for an unknown pod.
     */
    readonly resumePod: {
        readonly path: "/slipstream.v1.FederationService/ResumePod";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ResumePodRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ResumePodRequest;
        readonly responseSerialize: (value: ResumePodResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ResumePodResponse;
    };
    /**
     * Sets a pod's limits and parameters; the federation assigns the next config version
     * and pushes it with Configure. Returns INVALID_ARGUMENT naming the field for a bad limit.
     */
    readonly pushPodConfig: {
        readonly path: "/slipstream.v1.FederationService/PushPodConfig";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: PushPodConfigRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => PushPodConfigRequest;
        readonly responseSerialize: (value: PushPodConfigResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => PushPodConfigResponse;
    };
};
export interface FederationServiceServer extends UntypedServiceImplementation {
    /**
     * Registers a pod, or updates the address, language and intent of a registered one
     * (a restarted pod calls this again; its history and config are kept).
     * A pod token may only register its own pod_id. An admin registering a new pod_id
     * gets a freshly issued pod token in the response.
     * Returns INVALID_ARGUMENT for a malformed id or address or an unspecified intent.
     */
    registerPod: handleUnaryCall<RegisterPodRequest, RegisterPodResponse>;
    /**
     * Removes a pod from polling and from the pod list; its history is kept and it may
     * register again. Returns NOT_FOUND for an unknown pod.
     */
    deregisterPod: handleUnaryCall<DeregisterPodRequest, DeregisterPodResponse>;
    /** Lists registered pods with their latest status. */
    listPods: handleUnaryCall<ListPodsRequest, ListPodsResponse>;
    /** Returns one pod with its latest status. Returns NOT_FOUND for an unknown pod. */
    getPod: handleUnaryCall<GetPodRequest, GetPodResponse>;
    /**
     * Returns a pod's stored status snapshots (NAV, PnL, exposure) in time order.
     * Returns NOT_FOUND for an unknown pod.
     */
    listPodSnapshots: handleUnaryCall<ListPodSnapshotsRequest, ListPodSnapshotsResponse>;
    /**
     * Halts one pod; the halt is recorded first, so it sticks even if the pod cannot be
     * reached now, and is re-applied when the pod comes back. Returns NOT_FOUND for an unknown pod.
     */
    haltPod: handleUnaryCall<HaltPodRequest, HaltPodResponse>;
    /** Halts every registered pod in parallel within a deadline and reports each pod's outcome. */
    haltAllPods: handleUnaryCall<HaltAllPodsRequest, HaltAllPodsResponse>;
    /**
     * Resumes a halted pod (trading state ACTIVE) with a new config version.
     * Returns NOT_FOUND for an unknown pod.
     */
    resumePod: handleUnaryCall<ResumePodRequest, ResumePodResponse>;
    /**
     * Sets a pod's limits and parameters; the federation assigns the next config version
     * and pushes it with Configure. Returns INVALID_ARGUMENT naming the field for a bad limit.
     */
    pushPodConfig: handleUnaryCall<PushPodConfigRequest, PushPodConfigResponse>;
}
export interface FederationServiceClient extends Client {
    /**
     * Registers a pod, or updates the address, language and intent of a registered one
     * (a restarted pod calls this again; its history and config are kept).
     * A pod token may only register its own pod_id. An admin registering a new pod_id
     * gets a freshly issued pod token in the response.
     * Returns INVALID_ARGUMENT for a malformed id or address or an unspecified intent.
     */
    registerPod(request: RegisterPodRequest, callback: (error: ServiceError | null, response: RegisterPodResponse) => void): ClientUnaryCall;
    registerPod(request: RegisterPodRequest, metadata: Metadata, callback: (error: ServiceError | null, response: RegisterPodResponse) => void): ClientUnaryCall;
    registerPod(request: RegisterPodRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: RegisterPodResponse) => void): ClientUnaryCall;
    /**
     * Removes a pod from polling and from the pod list; its history is kept and it may
     * register again. Returns NOT_FOUND for an unknown pod.
     */
    deregisterPod(request: DeregisterPodRequest, callback: (error: ServiceError | null, response: DeregisterPodResponse) => void): ClientUnaryCall;
    deregisterPod(request: DeregisterPodRequest, metadata: Metadata, callback: (error: ServiceError | null, response: DeregisterPodResponse) => void): ClientUnaryCall;
    deregisterPod(request: DeregisterPodRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: DeregisterPodResponse) => void): ClientUnaryCall;
    /** Lists registered pods with their latest status. */
    listPods(request: ListPodsRequest, callback: (error: ServiceError | null, response: ListPodsResponse) => void): ClientUnaryCall;
    listPods(request: ListPodsRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ListPodsResponse) => void): ClientUnaryCall;
    listPods(request: ListPodsRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ListPodsResponse) => void): ClientUnaryCall;
    /** Returns one pod with its latest status. Returns NOT_FOUND for an unknown pod. */
    getPod(request: GetPodRequest, callback: (error: ServiceError | null, response: GetPodResponse) => void): ClientUnaryCall;
    getPod(request: GetPodRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetPodResponse) => void): ClientUnaryCall;
    getPod(request: GetPodRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetPodResponse) => void): ClientUnaryCall;
    /**
     * Returns a pod's stored status snapshots (NAV, PnL, exposure) in time order.
     * Returns NOT_FOUND for an unknown pod.
     */
    listPodSnapshots(request: ListPodSnapshotsRequest, callback: (error: ServiceError | null, response: ListPodSnapshotsResponse) => void): ClientUnaryCall;
    listPodSnapshots(request: ListPodSnapshotsRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ListPodSnapshotsResponse) => void): ClientUnaryCall;
    listPodSnapshots(request: ListPodSnapshotsRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ListPodSnapshotsResponse) => void): ClientUnaryCall;
    /**
     * Halts one pod; the halt is recorded first, so it sticks even if the pod cannot be
     * reached now, and is re-applied when the pod comes back. Returns NOT_FOUND for an unknown pod.
     */
    haltPod(request: HaltPodRequest, callback: (error: ServiceError | null, response: HaltPodResponse) => void): ClientUnaryCall;
    haltPod(request: HaltPodRequest, metadata: Metadata, callback: (error: ServiceError | null, response: HaltPodResponse) => void): ClientUnaryCall;
    haltPod(request: HaltPodRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: HaltPodResponse) => void): ClientUnaryCall;
    /** Halts every registered pod in parallel within a deadline and reports each pod's outcome. */
    haltAllPods(request: HaltAllPodsRequest, callback: (error: ServiceError | null, response: HaltAllPodsResponse) => void): ClientUnaryCall;
    haltAllPods(request: HaltAllPodsRequest, metadata: Metadata, callback: (error: ServiceError | null, response: HaltAllPodsResponse) => void): ClientUnaryCall;
    haltAllPods(request: HaltAllPodsRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: HaltAllPodsResponse) => void): ClientUnaryCall;
    /**
     * Resumes a halted pod (trading state ACTIVE) with a new config version.
     * Returns NOT_FOUND for an unknown pod.
     */
    resumePod(request: ResumePodRequest, callback: (error: ServiceError | null, response: ResumePodResponse) => void): ClientUnaryCall;
    resumePod(request: ResumePodRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ResumePodResponse) => void): ClientUnaryCall;
    resumePod(request: ResumePodRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ResumePodResponse) => void): ClientUnaryCall;
    /**
     * Sets a pod's limits and parameters; the federation assigns the next config version
     * and pushes it with Configure. Returns INVALID_ARGUMENT naming the field for a bad limit.
     */
    pushPodConfig(request: PushPodConfigRequest, callback: (error: ServiceError | null, response: PushPodConfigResponse) => void): ClientUnaryCall;
    pushPodConfig(request: PushPodConfigRequest, metadata: Metadata, callback: (error: ServiceError | null, response: PushPodConfigResponse) => void): ClientUnaryCall;
    pushPodConfig(request: PushPodConfigRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: PushPodConfigResponse) => void): ClientUnaryCall;
}
export declare const FederationServiceClient: {
    new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): FederationServiceClient;
    service: typeof FederationServiceService;
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
