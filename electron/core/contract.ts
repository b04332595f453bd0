/**
 * The IPC contract: every request the renderer can make of the main process, and every event
 * the main process sends, declared once. The main-side registration, the preload bridge and the
 * test transport are all derived from `CONTRACT` and `Api`, so they cannot drift apart.
 */
import type { Text } from './i18n/text.js';
import type { ProfileInput, Provider } from './profiles/profile.js';
import type { PublishResult, PublishStep } from './publish/events.js';
import type { FileFingerprint, FirmwareSpec } from './publish/spec.js';
import type { Dialect } from './cloud/target.js';
import type { ValidationIssue } from './validation-issue.js';
import type { VerifySummary } from './publish/verify/summary.js';
import type { BenchDevice, OtaJobStatus, OtaJobType, TaskStatus } from './cloud/bench-types.js';

// ── Data shapes that cross the bridge (plain, serialisable, never a secret) ───────────────────

export type { ProfileInput };
/** Which cloud a profile targets: Alibaba Cloud, a Tuya-hosted instance, or the built-in sandbox. */
export type ProviderKind = Provider;

/** A profile as the renderer sees it: whether a secret is set, never the secret. */
export interface ProfileSummary extends ProfileInput {
  readonly hasSecret: boolean;
  /** Whether an STS security token is stored with the secret (never the token). */
  readonly hasSecurityToken?: boolean;
  /** The built-in sandbox profile cannot be edited or removed. */
  readonly builtIn: boolean;
  readonly dialect: Dialect;
  /** Where its requests go (the custom endpoint, or the region's); '' while the sandbox is down. */
  readonly target: string;
}

export interface Region {
  readonly id: string;
  readonly name: Text;
}

/** A file the user picked or dropped, before hashing. */
export interface PickedFile {
  readonly path: string;
  readonly name: string;
  readonly size: number;
}

export interface ModuleInfo {
  readonly moduleName: string;
  readonly aliasName?: string;
  readonly desc?: string;
}

export interface VersionInfo {
  readonly firmwareId: string;
  readonly firmwareName: string;
  readonly destVersion: string;
  readonly srcVersion?: string;
  readonly moduleName?: string;
  readonly utcCreate?: string;
}

export type JobStateName = 'queued' | 'running' | 'published' | 'failed' | 'cancelled';

/** An outbox job as the renderer lists it. */
/** A job file in the outbox that cannot be read back: kept where it is and shown, never dropped. */
export interface DamagedJob {
  readonly id: string;
  /** The record's path in the data folder. */
  readonly file: string;
  /** Why it cannot be read (English, technical). */
  readonly reason: string;
}

export interface JobSummary {
  readonly id: string;
  readonly name: string;
  readonly productKey: string;
  readonly version: string;
  readonly profile?: string;
  readonly state: JobStateName;
  /** e.g. "uploading 2/3", "creating", "verifying"; null when not running. */
  readonly step: string | null;
  readonly firmwareId: string | null;
  readonly error: {
    readonly message: string;
    readonly hint: Text;
    readonly code?: string;
    readonly requestId?: string;
  } | null;
  readonly files: readonly {
    readonly name: string;
    readonly size: number;
    readonly md5: string;
    readonly sha256: string;
  }[];
  readonly result: PublishResult | null;
  /** Devices to verify on once published (null: none asked for). */
  readonly verifyOn: readonly string[] | null;
  /** The verification on those devices, from the moment it starts. */
  readonly verify: VerifySummary | null;
  /** Created with NeedToVerify: it cannot be rolled out until a verification succeeded. */
  readonly needToVerify: boolean;
  readonly moduleName: string;
  readonly packageType: 'full' | 'diff';
  /** Sent to a local sandbox (the built-in practice cloud), not a live one. */
  readonly sandbox: boolean;
  /** Why a job that is not running waits, and where it is sent; null when it does not wait. */
  readonly waiting: {
    /** 'network' (cloud unreachable), 'throttled', 'unavailable', 'held' (a profile to fix), … */
    readonly kind: string;
    readonly message: Text;
    readonly endpoint: string;
  } | null;
  /** When the runner tries it next (ms since the epoch); null when that is not scheduled. */
  readonly nextAttemptAt: number | null;
  /** A cancel, retry, verify or move the runner has not applied yet (it does when its current step ends). */
  readonly pendingRequest: 'cancel' | 'retry' | 'verify' | 'move' | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What "Test connection" found: one signed read call with a profile's settings. */
export interface ConnectionCheck {
  readonly ok: boolean;
  readonly message: Text;
  /** The form field at fault: accessKeyId, secret, endpoint, regionId or instanceId. */
  readonly field?: string;
  readonly code?: string;
  readonly requestId?: string;
}

/** Whether the cloud a profile targets answers, as the outbox last found it. */
export interface CloudStatus {
  readonly endpoint: string;
  readonly state: 'reachable' | 'unreachable' | 'unknown';
  /** Why it is unreachable (host and kind of failure). */
  readonly reason?: Text;
}

/** The devices of a product, for the verify panel's picker. */
export interface DeviceList {
  readonly devices: readonly BenchDevice[];
  /** How many the product has (only the first ones are listed). */
  readonly total: number;
}

export interface Settings {
  readonly locale: 'system' | 'en' | 'zh';
  readonly theme: 'system' | 'light' | 'dark';
  readonly lastProfile?: string;
  /** Recently used product keys per profile, newest first. */
  readonly recentProducts: Readonly<Record<string, readonly string[]>>;
}

export interface AppInfo {
  readonly version: string;
  readonly platform: string;
  /** The OS locale, e.g. "zh-CN". */
  readonly systemLocale: string;
  readonly online: boolean;
}

/** A publish as the wizard submits it. */
export interface PublishRequest {
  readonly profile: string;
  readonly spec: FirmwareSpec;
  /** Optional: progress of the hashing done before the job is queued arrives as `hash-progress` with this id (and `files.cancelHash` stops it). */
  readonly hashId?: string;
  /** Bench devices to verify on once published (the Review step, a recipe's verifyOn). */
  readonly verifyOn?: readonly string[];
}

/** What opening a file (double-click, "Open with", a `.otapub` recipe) asks the wizard to fill in. */
export interface OpenRequest {
  /** Firmware files opened as such (not named by a recipe). */
  readonly files: readonly string[];
  /** A recipe that was opened: the wizard starts a fresh draft from it. */
  readonly recipe?: {
    /** The recipe file, absolute. */
    readonly path: string;
    readonly spec: Partial<Omit<FirmwareSpec, 'files'>>;
    /** Real paths inside the recipe's folder, each with its MultiFiles name; refused ones are left out. */
    readonly files: readonly { readonly path: string; readonly name: string }[];
    /** The profile the recipe asks for: the wizard switches to it only when the user agrees. */
    readonly profile?: string;
    /** Bench devices the recipe asks to verify on: preselected, never started without the user. */
    readonly verifyOn?: readonly string[];
  };
  /** Problems reading a recipe (refused files among them), shown to the user. */
  readonly problems?: readonly Text[];
}

/** An error as the renderer receives it: something to show, never a stack. */
export interface IpcError {
  readonly kind: string;
  readonly message: Text;
  readonly code?: string;
  readonly cloudMessage?: string;
  readonly requestId?: string;
  readonly issues?: readonly ValidationIssue[];
}

export type IpcResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

// ── Issue 17: packages, history, pre-flight (shapes built field by field: no URL, no secret) ──

/** One package as the Packages view lists it. */
export interface PackageRow {
  readonly firmwareId: string;
  readonly firmwareName: string;
  readonly destVersion: string;
  readonly srcVersion?: string;
  /** "default" for packages without a module. */
  readonly moduleName: string;
  readonly type: 'full' | 'diff';
  /** 0 unverified, 1 verified, 2 verifying, 3 verification failed, -1 no verification needed. */
  readonly status?: number;
  readonly statusText: Text;
  readonly signMethod?: string;
  readonly utcCreate?: string;
}

/** A product's packages and the account's count against its limit ("423 of 500"). */
export interface PackageList {
  readonly rows: readonly PackageRow[];
  readonly count: number;
  readonly limit: number;
  /** From this count on the meter warns. */
  readonly warnFrom: number;
}

export interface PackageJobRow {
  readonly jobId: string;
  readonly jobType: OtaJobType;
  readonly jobStatus: OtaJobStatus;
  /** Not COMPLETED or CANCELED: the package cannot be deleted while it has one. */
  readonly unfinished: boolean;
  readonly utcCreate?: string;
  readonly utcEndTime?: string;
}

/** One package with its files (name, size, sign), verification and jobs. */
export interface PackageDetail extends PackageRow {
  readonly productKey: string;
  readonly desc?: string;
  readonly udi?: string;
  readonly verifyProgress?: number;
  readonly files: readonly {
    readonly name: string;
    readonly size?: number;
    readonly sign?: string;
  }[];
  readonly jobs: readonly PackageJobRow[];
}

export type PackageDeleteResult =
  | { readonly outcome: 'deleted'; readonly firmwareId: string }
  /** Refused before anything was sent: the package has these unfinished jobs. */
  | {
      readonly outcome: 'in-use';
      readonly firmwareId: string;
      readonly jobIds: readonly string[];
      readonly message: Text;
    };

/**
 * One line of `<data>/history.jsonl` (publish/history/record.ts), restated here because the window
 * may not import engine modules that reach node: (the service's answer is checked against it).
 */
export interface HistoryRecord {
  readonly key: string;
  readonly event: 'publish' | 'verification';
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly user: string | null;
  readonly profile: string | null;
  readonly cloud: {
    readonly dialect: Dialect;
    readonly endpoint: string;
    readonly regionId: string | null;
    readonly instanceId: string | null;
    readonly sandbox: boolean;
  };
  readonly outboxJobId: string | null;
  readonly verify: {
    readonly jobId: string | null;
    readonly result: 'verified' | 'failed' | 'timed-out' | 'cancelled';
    readonly devices: readonly { readonly name: string; readonly status: TaskStatus }[];
  } | null;
  readonly productKey: string;
  readonly firmwareName: string | null;
  readonly destVersion: string | null;
  readonly srcVersion: string | null;
  readonly moduleName: string | null;
  readonly type: 'full' | 'diff' | null;
  readonly signMethod: 'MD5' | 'SHA256' | null;
  readonly firmwareId: string;
  readonly files: readonly {
    readonly name: string;
    readonly size: number;
    readonly md5: string;
    readonly sha256: string;
  }[];
}

/** One pre-flight finding (publish/preflight/decide.ts); `field` is the API parameter name. */
export interface PreflightFinding {
  readonly severity: 'refusal' | 'warning';
  readonly field: string;
  readonly rule: string;
  readonly message: Text;
}

/** One call of the dry-run plan (publish/preflight/dry-run.ts). */
export interface PlannedCall {
  readonly action: string;
  /** A write changes the cloud; "Check only" sends none. */
  readonly write: boolean;
  /** Wire values; `<…>` marks what an earlier answer provides (never a secret or a signature). */
  readonly params: Readonly<Record<string, string>>;
  readonly url?: string;
}

export interface DryRunPlan {
  readonly productKey: string;
  readonly firmwareName: string;
  readonly destVersion: string;
  readonly endpoint: string;
  readonly refusals: readonly PreflightFinding[];
  readonly warnings: readonly PreflightFinding[];
  readonly calls: readonly PlannedCall[];
}

/** The records of `<data>/history.jsonl`, newest first. */
export interface HistoryList {
  readonly records: readonly HistoryRecord[];
  /** Damaged lines that were skipped. */
  readonly skipped: number;
}

/** Whether the cloud already has a package of this FirmwareName in the product. */
export type NameCheck =
  | { readonly state: 'free' }
  | { readonly state: 'taken'; readonly message: Text; readonly suggestion: string | null }
  /** Offline, or the cloud could not be asked: nothing is claimed either way. */
  | { readonly state: 'unchecked'; readonly reason: Text };

/** The pre-flight's findings for a draft, read from the cloud before anything is sent. */
export type PreflightReport =
  | {
      readonly state: 'checked';
      readonly refusals: readonly PreflightFinding[];
      readonly warnings: readonly PreflightFinding[];
      /** The module the draft names that the product lacks ("Create module" offers it). */
      readonly missingModule: string | null;
    }
  | { readonly state: 'unchecked'; readonly reason: Text };

/** "Check only": validation, pre-flight and every call a publish would send; nothing was sent. */
export interface CheckOnlyResult {
  readonly issues: readonly ValidationIssue[];
  readonly preflight: PreflightReport;
  /** Null when validation failed (nothing to plan) or the cloud could not be asked. */
  readonly plan: DryRunPlan | null;
}

// ── Requests ───────────────────────────────────────────────────────────────────────────────────

/** Every request, by namespace and method. Handlers return these values (or throw). */
export interface Api {
  app: {
    info(): AppInfo;
  };
  settings: {
    get(): Settings;
    set(patch: Partial<Settings>): Settings;
  };
  profiles: {
    list(): readonly ProfileSummary[];
    regions(): readonly Region[];
    /**
     * `secret` null keeps the stored one (edit); a string replaces it, with the STS `securityToken`
     * issued with it (null: a permanent key).
     */
    save(input: ProfileInput, secret: string | null, securityToken: string | null): ProfileSummary;
    remove(name: string): void;
    /** One signed read call with these settings (`secret` null: the stored one); nothing is saved. */
    test(input: ProfileInput, secret: string | null, securityToken: string | null): ConnectionCheck;
    /** Jobs in the outbox that still need the profile (asked before it is removed). */
    usage(name: string): readonly JobSummary[];
  };
  files: {
    /** Opens the OS file dialog. */
    pick(): readonly PickedFile[];
    /** Sizes of dropped files (paths come from the preload's `pathForFile`). */
    stat(paths: readonly string[]): readonly PickedFile[];
    /** Hashes in worker threads; progress arrives as `hash-progress` events with the same hashId. */
    hash(hashId: string, paths: readonly string[]): readonly FileFingerprint[];
    cancelHash(hashId: string): void;
    /**
     * "Save recipe (.otapub)": asks where (the OS save dialog, beside the files) and writes the
     * recipe; the path written, or null when the user cancelled.
     */
    saveRecipe(spec: FirmwareSpec, profile: string | null, verifyOn: readonly string[] | null): string | null;
  };
  spec: {
    /** Every rule, including file sizes read from disk. */
    validate(spec: FirmwareSpec, dialect: Dialect): readonly ValidationIssue[];
  };
  cloud: {
    /** Product keys known for the profile (the sandbox's, plus recently used ones). */
    products(profile: string): readonly string[];
    modules(profile: string, productKey: string): readonly ModuleInfo[];
    versions(profile: string, productKey: string): readonly VersionInfo[];
    /** The product's devices: online state and the version each runs of `moduleName` (default "default"). */
    devices(profile: string, productKey: string, moduleName: string | null): DeviceList;
  };
  publish: {
    /** Validates, hashes and starts publishing at once (as an outbox job the runner takes first). */
    now(request: PublishRequest): JobSummary;
    /** Validates, hashes and queues until the cloud is reachable. */
    queue(request: PublishRequest): JobSummary;
  };
  outbox: {
    list(): readonly JobSummary[];
    retry(id: string): JobSummary;
    /** Cancels a job not yet created, or a published job's verification on devices. */
    cancel(id: string): JobSummary;
    /** Verifies a published job's package on 1–10 devices (a retry after a failure is `retry`). */
    verify(id: string, devices: readonly string[]): JobSummary;
    /** Sends a job not yet created with another profile (its own is gone or unusable). */
    move(id: string, profile: string): JobSummary;
    /** Job records that cannot be read; nothing is sent for them. */
    damaged(): readonly DamagedJob[];
  };
  packages: {
    /** The product's packages (all, or one module's) and the account's package count. */
    list(profile: string, productKey: string, moduleName: string | null): PackageList;
    show(profile: string, firmwareId: string): PackageDetail;
    /** Deletes the package unless it has an unfinished job (then nothing is sent). */
    remove(profile: string, firmwareId: string): PackageDeleteResult;
  };
  history: {
    list(): HistoryList;
    /** "Export CSV": the OS save dialog, then historyToCsv's output; the path, or null when cancelled. */
    exportCsv(): string | null;
  };
  preflight: {
    /** The pre-flight's name check alone (the version step's FirmwareName field). */
    checkName(profile: string, productKey: string, firmwareName: string): NameCheck;
    /** Every pre-flight check of the draft (read calls only). */
    check(profile: string, spec: FirmwareSpec): PreflightReport;
    /** CreateOTAModule: the missing module the pre-flight found. */
    createModule(profile: string, productKey: string, moduleName: string): void;
    /** Validation, pre-flight and the dry-run plan; sends no write call. */
    checkOnly(request: PublishRequest): CheckOnlyResult;
  };
}

/** The runtime list of every method of `Api`; `satisfies` keeps it complete and exact. */
export const CONTRACT = {
  app: ['info'],
  settings: ['get', 'set'],
  profiles: ['list', 'regions', 'save', 'remove', 'test', 'usage'],
  files: ['pick', 'stat', 'hash', 'cancelHash', 'saveRecipe'],
  spec: ['validate'],
  cloud: ['products', 'modules', 'versions', 'devices'],
  publish: ['now', 'queue'],
  outbox: ['list', 'retry', 'cancel', 'verify', 'move', 'damaged'],
  packages: ['list', 'show', 'remove'],
  history: ['list', 'exportCsv'],
  preflight: ['checkName', 'check', 'createModule', 'checkOnly'],
} as const satisfies { readonly [N in keyof Api]: readonly (keyof Api[N])[] };

type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
/** Fails to compile when CONTRACT misses a method of Api. */
export const CONTRACT_IS_COMPLETE: {
  [N in keyof Api]: Exact<(typeof CONTRACT)[N][number], keyof Api[N]>;
} = {
  app: true,
  settings: true,
  profiles: true,
  files: true,
  spec: true,
  cloud: true,
  publish: true,
  outbox: true,
  packages: true,
  history: true,
  preflight: true,
};

export type Namespace = keyof Api;
export type RequestChannel = { [N in Namespace]: `${N}:${keyof Api[N] & string}` }[Namespace];

/** The IPC channel name of a method. */
export function channelOf<N extends Namespace>(namespace: N, method: keyof Api[N] & string): string {
  return `${namespace}:${method}`;
}

type Fn = (...args: never[]) => unknown;
type Method<N extends Namespace, M extends keyof Api[N]> = Api[N][M] extends Fn ? Api[N][M] : never;

/** What the preload exposes as `window.otaPublisher.api`: every method, answering an IpcResult. */
export type Bridge = {
  readonly [N in Namespace]: {
    readonly [M in keyof Api[N]]: (
      ...args: Parameters<Method<N, M>>
    ) => Promise<IpcResult<Awaited<ReturnType<Method<N, M>>>>>;
  };
};

/** What the main process implements: the same methods, sync or async, given the verified sender. */
export type Handlers<Ctx> = {
  readonly [N in Namespace]: {
    readonly [M in keyof Api[N]]: (
      ctx: Ctx,
      ...args: Parameters<Method<N, M>>
    ) => ReturnType<Method<N, M>> | Promise<ReturnType<Method<N, M>>>;
  };
};

// ── Events (main → renderer) ───────────────────────────────────────────────────────────────────

/** Progress of one job; sent at most ten times a second per job. */
export interface JobProgress {
  readonly jobId: string;
  readonly step: PublishStep;
  readonly fileIndex?: number;
  readonly bytes?: number;
  readonly total?: number;
  /** Bytes per second the socket accepted, smoothed over the last 8 s (publish/rate-meter.ts). */
  readonly rate?: number;
  /** A transient problem being retried, to show as a note (not an error). */
  readonly note?: Text;
}

export interface Events {
  'hash-progress': {
    readonly hashId: string;
    readonly fileIndex: number;
    readonly bytes: number;
    readonly total: number;
  };
  'job-progress': JobProgress;
  'job-changed': JobSummary;
  'network-status': { readonly online: boolean };
  /** The outbox found a cloud reachable or not (the header shows the selected profile's). */
  'cloud-status': CloudStatus;
  /** The app was asked to open files or a recipe (double-click, second instance, macOS open-file). */
  open: OpenRequest;
}

export type EventName = keyof Events;
export const EVENTS = [
  'hash-progress',
  'job-progress',
  'job-changed',
  'network-status',
  'cloud-status',
  'open',
] as const satisfies readonly EventName[];

/** The whole object the preload exposes on `window.otaPublisher`. */
export interface PreloadApi {
  readonly api: Bridge;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** The filesystem path of a dropped File (Electron's webUtils; '' outside Electron). */
  pathForFile(file: File): string;
}

// ── Shared with the window besides requests: the publish vocabulary and the rules the wizard
// checks as the user types (pure modules, no node: imports). The renderer imports only this file
// and i18n (lint-enforced), so what it can reach of the engine is listed here.
export type { Dialect } from './cloud/target.js';
export type { PublishStep } from './publish/events.js';
export { LIMITS } from './publish/field-rules.js';
export { MAX_FILES } from './publish/spec.js';
export type { FileFacts, FileFingerprint, FirmwareSpec, PackageType, SignMethod } from './publish/spec.js';
export {
  acceptedSuffixes,
  baseName,
  countChars,
  fileSuffixOf,
  validateField,
  validateSpec,
} from './publish/validation.js';
export { groupDigits } from './publish/validation-messages.js';
export type { BenchDevice, DeviceStatus, TaskStatus } from './cloud/bench-types.js';
export type { DeviceVerifyRow, VerifySummary } from './publish/verify/summary.js';
export { TASK_STATE_TEXT, VERIFICATION_STATE_TEXT } from './publish/verify/summary.js';
export type { VerificationState } from './publish/verify/verification.js';
export type { ValidationIssue } from './validation-issue.js';
export { MAX_VERIFY_DEVICES, verifyTargetIssues } from './publish/verify/verification.js';
export { RateMeter, type RateReading } from './publish/rate-meter.js';
