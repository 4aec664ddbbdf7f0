import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { type CallOptions, type ChannelCredentials, Client, type ClientOptions, type ClientUnaryCall, type handleUnaryCall, type Metadata, type ServiceError, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { Timestamp } from "../../google/protobuf/timestamp";
import { HaltReason, LifecycleStage } from "./common";
export declare const protobufPackage = "slipstream.v1";
export declare const protobufFileName = "slipstream/v1/orchestrator.proto";
/** OverrideKind is what an operator changed. */
export declare enum OverrideKind {
    /** OVERRIDE_KIND_UNSPECIFIED - Not set. */
    OVERRIDE_KIND_UNSPECIFIED = "OVERRIDE_KIND_UNSPECIFIED",
    /** OVERRIDE_KIND_PIN_ALLOCATION - A pod's capital is fixed. */
    OVERRIDE_KIND_PIN_ALLOCATION = "OVERRIDE_KIND_PIN_ALLOCATION",
    /** OVERRIDE_KIND_FREEZE_ALLOCATION - Allocation is frozen: cycles observe only. */
    OVERRIDE_KIND_FREEZE_ALLOCATION = "OVERRIDE_KIND_FREEZE_ALLOCATION",
    /** OVERRIDE_KIND_FORCE_STAGE - A pod's lifecycle stage is forced. */
    OVERRIDE_KIND_FORCE_STAGE = "OVERRIDE_KIND_FORCE_STAGE",
    /** OVERRIDE_KIND_HALT - A pod was halted. */
    OVERRIDE_KIND_HALT = "OVERRIDE_KIND_HALT",
    /** OVERRIDE_KIND_RESUME - A pod was resumed. */
    OVERRIDE_KIND_RESUME = "OVERRIDE_KIND_RESUME",
    UNRECOGNIZED = "UNRECOGNIZED"
}
export declare function overrideKindFromJSON(object: any): OverrideKind;
export declare function overrideKindToJSON(object: OverrideKind): string;
export declare function overrideKindToNumber(object: OverrideKind): number;
/** Override is one entry of the audit log. */
export interface Override {
    /** Identifier, sequence number from 1. */
    override_id: string;
    /** What was changed. */
    kind: OverrideKind;
    /** The pod; empty for a freeze. */
    pod_id: string;
    /** The pinned capital, USD, decimal string; empty unless PIN_ALLOCATION. */
    capital_usd: string;
    /** The forced stage; unset unless FORCE_STAGE. */
    stage: LifecycleStage;
    /** Who. */
    requested_by: string;
    /** Why. */
    reason: string;
    /** When it was made. */
    create_time: Timestamp | undefined;
    /** When it lapses; unset means until lifted (halts and resumes take effect at once). */
    expire_time: Timestamp | undefined;
    /** When it was lifted; unset while it holds. */
    lift_time: Timestamp | undefined;
    /** Who lifted it and why; empty while it holds. */
    lifted_by: string;
    /** Why it was lifted. */
    lift_reason: string;
    /** Whether it holds now (not lifted, not expired; always false for halts and resumes). */
    active: boolean;
}
/** CycleStep is one step of a federation cycle and how it went. */
export interface CycleStep {
    /** "poll", "audit", "lifecycle", "allocate". */
    name: string;
    /** Whether it succeeded. */
    ok: boolean;
    /** What it did or why it failed, for a human. */
    detail: string;
    /** Wall time the step took, seconds. */
    duration_seconds: number;
}
/** FederationCycle is one recorded cycle. */
export interface FederationCycle {
    /** Identifier, sequence number from 1. */
    cycle_id: string;
    /** The cycle's time (simulated time in a replay). */
    cycle_time: Timestamp | undefined;
    /** The steps, in order. */
    steps: CycleStep[];
    /** The optimizer's cycle it ran, sequence number; 0 when allocation did not run. */
    allocation_cycle_id: string;
    /** Whether allocation was frozen (observed, not pushed). */
    frozen: boolean;
    /** The pods pinned in this cycle. */
    pinned_pod_ids: string[];
    /** Who ran it ("schedule", "replay", or the operator). */
    requested_by: string;
}
/** RunFederationCycleRequest starts a cycle. */
export interface RunFederationCycleRequest {
    /** Who asks; must not be empty. */
    requested_by: string;
}
/** RunFederationCycleResponse returns the recorded cycle. */
export interface RunFederationCycleResponse {
    /** The cycle. */
    cycle: FederationCycle | undefined;
}
/** ListFederationCyclesRequest pages through cycles. */
export interface ListFederationCyclesRequest {
    /** Maximum cycles returned, count; 0 means 100; at most 10,000. */
    max_count: number;
}
/** ListFederationCyclesResponse lists cycles, newest first. */
export interface ListFederationCyclesResponse {
    /** The cycles. */
    cycles: FederationCycle[];
}
/** PinAllocationRequest pins a pod's capital. */
export interface PinAllocationRequest {
    /** The pod. */
    pod_id: string;
    /** Its capital, USD, decimal string, >= 0. */
    capital_usd: string;
    /** Who; must not be empty. */
    requested_by: string;
    /** Why; must not be empty. */
    reason: string;
    /** When it lapses; unset means until lifted; must be in the future. */
    expire_time: Timestamp | undefined;
}
/** PinAllocationResponse returns the logged override. */
export interface PinAllocationResponse {
    /** The override. */
    override: Override | undefined;
}
/** FreezeAllocationRequest freezes allocation. */
export interface FreezeAllocationRequest {
    /** Who; must not be empty. */
    requested_by: string;
    /** Why; must not be empty. */
    reason: string;
    /** When it lapses; unset means until lifted; must be in the future. */
    expire_time: Timestamp | undefined;
}
/** FreezeAllocationResponse returns the logged override. */
export interface FreezeAllocationResponse {
    /** The override. */
    override: Override | undefined;
}
/** ForceLifecycleStageRequest forces a stage. */
export interface ForceLifecycleStageRequest {
    /** The pod. */
    pod_id: string;
    /** The stage; must be set. */
    stage: LifecycleStage;
    /** Who; must not be empty. */
    requested_by: string;
    /** Why; must not be empty. */
    reason: string;
    /** When it lapses; unset means until lifted; must be in the future. */
    expire_time: Timestamp | undefined;
}
/** ForceLifecycleStageResponse returns the logged override. */
export interface ForceLifecycleStageResponse {
    /** The override. */
    override: Override | undefined;
}
/** HaltPodWithReasonRequest halts a pod. */
export interface HaltPodWithReasonRequest {
    /** The pod. */
    pod_id: string;
    /** Why, as the constitution classifies it; must be set. */
    halt_reason: HaltReason;
    /** Who; must not be empty. */
    requested_by: string;
    /** Why, in words; must not be empty. */
    reason: string;
}
/** HaltPodWithReasonResponse returns the logged override. */
export interface HaltPodWithReasonResponse {
    /** The override. */
    override: Override | undefined;
}
/** ResumePodWithReasonRequest resumes a pod. */
export interface ResumePodWithReasonRequest {
    /** The pod. */
    pod_id: string;
    /** Who; must not be empty. */
    requested_by: string;
    /** Why; must not be empty. */
    reason: string;
}
/** ResumePodWithReasonResponse returns the logged override. */
export interface ResumePodWithReasonResponse {
    /** The override. */
    override: Override | undefined;
}
/** LiftOverrideRequest lifts an override. */
export interface LiftOverrideRequest {
    /** The override, sequence number. */
    override_id: string;
    /** Who; must not be empty. */
    requested_by: string;
    /** Why; must not be empty. */
    reason: string;
}
/** LiftOverrideResponse returns the override as lifted. */
export interface LiftOverrideResponse {
    /** The override. */
    override: Override | undefined;
}
/** ListOverridesRequest selects log entries. */
export interface ListOverridesRequest {
    /** Only those holding now. */
    active_only: boolean;
    /** Only this pod's; empty means all. */
    pod_id: string;
}
/** ListOverridesResponse lists log entries, newest first. */
export interface ListOverridesResponse {
    /** The entries. */
    overrides: Override[];
}
export declare const Override: MessageFns<Override>;
export declare const CycleStep: MessageFns<CycleStep>;
export declare const FederationCycle: MessageFns<FederationCycle>;
export declare const RunFederationCycleRequest: MessageFns<RunFederationCycleRequest>;
export declare const RunFederationCycleResponse: MessageFns<RunFederationCycleResponse>;
export declare const ListFederationCyclesRequest: MessageFns<ListFederationCyclesRequest>;
export declare const ListFederationCyclesResponse: MessageFns<ListFederationCyclesResponse>;
export declare const PinAllocationRequest: MessageFns<PinAllocationRequest>;
export declare const PinAllocationResponse: MessageFns<PinAllocationResponse>;
export declare const FreezeAllocationRequest: MessageFns<FreezeAllocationRequest>;
export declare const FreezeAllocationResponse: MessageFns<FreezeAllocationResponse>;
export declare const ForceLifecycleStageRequest: MessageFns<ForceLifecycleStageRequest>;
export declare const ForceLifecycleStageResponse: MessageFns<ForceLifecycleStageResponse>;
export declare const HaltPodWithReasonRequest: MessageFns<HaltPodWithReasonRequest>;
export declare const HaltPodWithReasonResponse: MessageFns<HaltPodWithReasonResponse>;
export declare const ResumePodWithReasonRequest: MessageFns<ResumePodWithReasonRequest>;
export declare const ResumePodWithReasonResponse: MessageFns<ResumePodWithReasonResponse>;
export declare const LiftOverrideRequest: MessageFns<LiftOverrideRequest>;
export declare const LiftOverrideResponse: MessageFns<LiftOverrideResponse>;
export declare const ListOverridesRequest: MessageFns<ListOverridesRequest>;
export declare const ListOverridesResponse: MessageFns<ListOverridesResponse>;
/**
 * OrchestratorService runs the federation as one system. A federation cycle polls every pod,
 * audits, evaluates the lifecycle, allocates (with the operator's pins, or only observing while
 * allocation is frozen), stress-tests, caps by liquidity and pushes limits, and records what each
 * step did. Cycles run on a schedule in real time, or in simulated time over history, with the
 * same code. The operator's overrides (pin a pod's capital, freeze allocation, force a lifecycle
 * stage, halt or resume a pod) go through here so that each is in one audit log with who and why,
 * and holds until it expires or is lifted.
 *
 * Identity: metadata "authorization: Bearer <token>"; the admin token for everything, auditor
 * and viewer tokens for the List calls (docs/authorization.md). Malformed input is INVALID_ARGUMENT naming the field.
 */
export type OrchestratorServiceService = typeof OrchestratorServiceService;
export declare const OrchestratorServiceService: {
    /**
     * Runs one federation cycle now. A step whose service is down is recorded as failed and the
     * cycle goes on (allocation still runs on the last known stages); the record says which.
     */
    readonly runFederationCycle: {
        readonly path: "/slipstream.v1.OrchestratorService/RunFederationCycle";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: RunFederationCycleRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => RunFederationCycleRequest;
        readonly responseSerialize: (value: RunFederationCycleResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => RunFederationCycleResponse;
    };
    /** Lists recorded federation cycles, newest first. */
    readonly listFederationCycles: {
        readonly path: "/slipstream.v1.OrchestratorService/ListFederationCycles";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ListFederationCyclesRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ListFederationCyclesRequest;
        readonly responseSerialize: (value: ListFederationCyclesResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ListFederationCyclesResponse;
    };
    /**
     * Fixes a pod's capital for every cycle until lifted or expired. Returns NOT_FOUND for an
     * unregistered pod.
     */
    readonly pinAllocation: {
        readonly path: "/slipstream.v1.OrchestratorService/PinAllocation";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: PinAllocationRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => PinAllocationRequest;
        readonly responseSerialize: (value: PinAllocationResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => PinAllocationResponse;
    };
    /** Freezes allocation: cycles still run and record, but push nothing, until lifted or expired. */
    readonly freezeAllocation: {
        readonly path: "/slipstream.v1.OrchestratorService/FreezeAllocation";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: FreezeAllocationRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => FreezeAllocationRequest;
        readonly responseSerialize: (value: FreezeAllocationResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => FreezeAllocationResponse;
    };
    /** Forces a pod's lifecycle stage (through the analytics service) and logs it. */
    readonly forceLifecycleStage: {
        readonly path: "/slipstream.v1.OrchestratorService/ForceLifecycleStage";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ForceLifecycleStageRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ForceLifecycleStageRequest;
        readonly responseSerialize: (value: ForceLifecycleStageResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ForceLifecycleStageResponse;
    };
    /** Halts a pod (through the federation) and logs it. */
    readonly haltPodWithReason: {
        readonly path: "/slipstream.v1.OrchestratorService/HaltPodWithReason";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: HaltPodWithReasonRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => HaltPodWithReasonRequest;
        readonly responseSerialize: (value: HaltPodWithReasonResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => HaltPodWithReasonResponse;
    };
    /** Resumes a pod (through the federation) and logs it. */
    readonly resumePodWithReason: {
        readonly path: "/slipstream.v1.OrchestratorService/ResumePodWithReason";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ResumePodWithReasonRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ResumePodWithReasonRequest;
        readonly responseSerialize: (value: ResumePodWithReasonResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ResumePodWithReasonResponse;
    };
    /**
     * Lifts an override. Returns NOT_FOUND for an unknown override, FAILED_PRECONDITION for one
     * already lifted or expired.
     */
    readonly liftOverride: {
        readonly path: "/slipstream.v1.OrchestratorService/LiftOverride";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: LiftOverrideRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => LiftOverrideRequest;
        readonly responseSerialize: (value: LiftOverrideResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => LiftOverrideResponse;
    };
    /** Lists the override audit log, newest first. */
    readonly listOverrides: {
        readonly path: "/slipstream.v1.OrchestratorService/ListOverrides";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ListOverridesRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ListOverridesRequest;
        readonly responseSerialize: (value: ListOverridesResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ListOverridesResponse;
    };
};
export interface OrchestratorServiceServer extends UntypedServiceImplementation {
    /**
     * Runs one federation cycle now. A step whose service is down is recorded as failed and the
     * cycle goes on (allocation still runs on the last known stages); the record says which.
     */
    runFederationCycle: handleUnaryCall<RunFederationCycleRequest, RunFederationCycleResponse>;
    /** Lists recorded federation cycles, newest first. */
    listFederationCycles: handleUnaryCall<ListFederationCyclesRequest, ListFederationCyclesResponse>;
    /**
     * Fixes a pod's capital for every cycle until lifted or expired. Returns NOT_FOUND for an
     * unregistered pod.
     */
    pinAllocation: handleUnaryCall<PinAllocationRequest, PinAllocationResponse>;
    /** Freezes allocation: cycles still run and record, but push nothing, until lifted or expired. */
    freezeAllocation: handleUnaryCall<FreezeAllocationRequest, FreezeAllocationResponse>;
    /** Forces a pod's lifecycle stage (through the analytics service) and logs it. */
    forceLifecycleStage: handleUnaryCall<ForceLifecycleStageRequest, ForceLifecycleStageResponse>;
    /** Halts a pod (through the federation) and logs it. */
    haltPodWithReason: handleUnaryCall<HaltPodWithReasonRequest, HaltPodWithReasonResponse>;
    /** Resumes a pod (through the federation) and logs it. */
    resumePodWithReason: handleUnaryCall<ResumePodWithReasonRequest, ResumePodWithReasonResponse>;
    /**
     * Lifts an override. Returns NOT_FOUND for an unknown override, FAILED_PRECONDITION for one
     * already lifted or expired.
     */
    liftOverride: handleUnaryCall<LiftOverrideRequest, LiftOverrideResponse>;
    /** Lists the override audit log, newest first. */
    listOverrides: handleUnaryCall<ListOverridesRequest, ListOverridesResponse>;
}
export interface OrchestratorServiceClient extends Client {
    /**
     * Runs one federation cycle now. A step whose service is down is recorded as failed and the
     * cycle goes on (allocation still runs on the last known stages); the record says which.
     */
    runFederationCycle(request: RunFederationCycleRequest, callback: (error: ServiceError | null, response: RunFederationCycleResponse) => void): ClientUnaryCall;
    runFederationCycle(request: RunFederationCycleRequest, metadata: Metadata, callback: (error: ServiceError | null, response: RunFederationCycleResponse) => void): ClientUnaryCall;
    runFederationCycle(request: RunFederationCycleRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: RunFederationCycleResponse) => void): ClientUnaryCall;
    /** Lists recorded federation cycles, newest first. */
    listFederationCycles(request: ListFederationCyclesRequest, callback: (error: ServiceError | null, response: ListFederationCyclesResponse) => void): ClientUnaryCall;
    listFederationCycles(request: ListFederationCyclesRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ListFederationCyclesResponse) => void): ClientUnaryCall;
    listFederationCycles(request: ListFederationCyclesRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ListFederationCyclesResponse) => void): ClientUnaryCall;
    /**
     * Fixes a pod's capital for every cycle until lifted or expired. Returns NOT_FOUND for an
     * unregistered pod.
     */
    pinAllocation(request: PinAllocationRequest, callback: (error: ServiceError | null, response: PinAllocationResponse) => void): ClientUnaryCall;
    pinAllocation(request: PinAllocationRequest, metadata: Metadata, callback: (error: ServiceError | null, response: PinAllocationResponse) => void): ClientUnaryCall;
    pinAllocation(request: PinAllocationRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: PinAllocationResponse) => void): ClientUnaryCall;
    /** Freezes allocation: cycles still run and record, but push nothing, until lifted or expired. */
    freezeAllocation(request: FreezeAllocationRequest, callback: (error: ServiceError | null, response: FreezeAllocationResponse) => void): ClientUnaryCall;
    freezeAllocation(request: FreezeAllocationRequest, metadata: Metadata, callback: (error: ServiceError | null, response: FreezeAllocationResponse) => void): ClientUnaryCall;
    freezeAllocation(request: FreezeAllocationRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: FreezeAllocationResponse) => void): ClientUnaryCall;
    /** Forces a pod's lifecycle stage (through the analytics service) and logs it. */
    forceLifecycleStage(request: ForceLifecycleStageRequest, callback: (error: ServiceError | null, response: ForceLifecycleStageResponse) => void): ClientUnaryCall;
    forceLifecycleStage(request: ForceLifecycleStageRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ForceLifecycleStageResponse) => void): ClientUnaryCall;
    forceLifecycleStage(request: ForceLifecycleStageRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ForceLifecycleStageResponse) => void): ClientUnaryCall;
    /** Halts a pod (through the federation) and logs it. */
    haltPodWithReason(request: HaltPodWithReasonRequest, callback: (error: ServiceError | null, response: HaltPodWithReasonResponse) => void): ClientUnaryCall;
    haltPodWithReason(request: HaltPodWithReasonRequest, metadata: Metadata, callback: (error: ServiceError | null, response: HaltPodWithReasonResponse) => void): ClientUnaryCall;
    haltPodWithReason(request: HaltPodWithReasonRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: HaltPodWithReasonResponse) => void): ClientUnaryCall;
    /** Resumes a pod (through the federation) and logs it. */
    resumePodWithReason(request: ResumePodWithReasonRequest, callback: (error: ServiceError | null, response: ResumePodWithReasonResponse) => void): ClientUnaryCall;
    resumePodWithReason(request: ResumePodWithReasonRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ResumePodWithReasonResponse) => void): ClientUnaryCall;
    resumePodWithReason(request: ResumePodWithReasonRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ResumePodWithReasonResponse) => void): ClientUnaryCall;
    /**
     * Lifts an override. Returns NOT_FOUND for an unknown override, FAILED_PRECONDITION for one
     * already lifted or expired.
     */
    liftOverride(request: LiftOverrideRequest, callback: (error: ServiceError | null, response: LiftOverrideResponse) => void): ClientUnaryCall;
    liftOverride(request: LiftOverrideRequest, metadata: Metadata, callback: (error: ServiceError | null, response: LiftOverrideResponse) => void): ClientUnaryCall;
    liftOverride(request: LiftOverrideRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: LiftOverrideResponse) => void): ClientUnaryCall;
    /** Lists the override audit log, newest first. */
    listOverrides(request: ListOverridesRequest, callback: (error: ServiceError | null, response: ListOverridesResponse) => void): ClientUnaryCall;
    listOverrides(request: ListOverridesRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ListOverridesResponse) => void): ClientUnaryCall;
    listOverrides(request: ListOverridesRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ListOverridesResponse) => void): ClientUnaryCall;
}
export declare const OrchestratorServiceClient: {
    new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): OrchestratorServiceClient;
    service: typeof OrchestratorServiceService;
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
