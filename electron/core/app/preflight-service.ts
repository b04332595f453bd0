/**
 * The wizard's side of the pre-flight (#17): the FirmwareName check at the field, every check at
 * Review, "Create module", and "Check only" (validation, pre-flight, the dry-run plan). Only read
 * calls, except createModule; a cloud that cannot be asked is "unchecked", never an error.
 */
import { isLoopbackHost, type CloudTarget } from '../cloud/target.js';
import type { CheckOnlyResult, NameCheck, PreflightReport, PublishRequest } from '../contract.js';
import { text, type Text } from '../i18n/text.js';
import { validateField } from '../publish/field-rules.js';
import { preparePublish, readFileFacts, type DigestLookup } from '../publish/prepare.js';
import { decidePreflight, type PreflightVerdict } from '../publish/preflight/decide.js';
import { buildDryRunPlan } from '../publish/preflight/dry-run.js';
import { suggestFreeName } from '../publish/preflight/free-name.js';
import { checkPreflight, fetchPackageFacts } from '../publish/preflight/run.js';
import { withRetry } from '../publish/retry.js';
import type { FirmwareSpec } from '../publish/spec.js';
import { validateSpec } from '../publish/validation.js';
import type { ValidationIssue } from '../validation-issue.js';
import { AppError } from './app-error.js';
import { clientFor } from './cloud-client.js';
import type { Connections } from './connections.js';
import { toIpcError } from './ipc-error.js';
import { checkedVerifyOn } from './outbox-service.js';

export interface PreflightServiceOptions {
  readonly connections: Connections;
  /** Whether the OS has a network connection (loopback targets are asked regardless). */
  readonly isOnline: () => boolean;
  /** The outbox's own checks (a FirmwareName already queued). */
  readonly outboxIssues: (spec: FirmwareSpec) => Promise<ValidationIssue[]>;
  /** Digests the wizard already computed, so "Check only" does not hash again. */
  readonly known: DigestLookup;
}

const OFFLINE = text('The computer is offline; the cloud was not asked.', '电脑处于离线状态，未查询云端。');

const EMPTY_VERDICT: PreflightVerdict = { refusals: [], warnings: [] };

/** Why the cloud is not asked now, or undefined when it is worth asking. */
function notAskable(target: CloudTarget, online: boolean): Text | undefined {
  return online || isLoopbackHost(new URL(target.endpoint).hostname) ? undefined : OFFLINE;
}

/** A throwaway spec for the name rule alone (the default module and no files trip no other rule). */
function nameOnly(productKey: string, firmwareName: string): FirmwareSpec {
  return { productKey, firmwareName, destVersion: '0', type: 'full', signMethod: 'MD5', files: [] };
}

function reportOf(spec: FirmwareSpec, verdict: PreflightVerdict): PreflightReport {
  const missing = verdict.refusals.some((f) => f.rule === 'module-missing');
  return {
    state: 'checked',
    refusals: verdict.refusals,
    warnings: verdict.warnings,
    missingModule: missing ? (spec.moduleName ?? null) : null,
  };
}

export class PreflightService {
  constructor(private readonly options: PreflightServiceOptions) {}

  async checkName(profile: string, productKey: string, firmwareName: string): Promise<NameCheck> {
    const invalid = validateField('ProductKey', productKey) ?? validateField('FirmwareName', firmwareName);
    if (invalid) return { state: 'unchecked', reason: invalid.message };
    return this.asked<NameCheck>(
      profile,
      async ({ client }) => {
        const facts = { ...(await fetchPackageFacts(client, productKey)), modules: [] };
        const found = decidePreflight(nameOnly(productKey, firmwareName), facts).refusals.find(
          (f) => f.rule === 'name-taken',
        );
        if (!found) return { state: 'free' };
        const suggestion = suggestFreeName(firmwareName, facts.accountNames ?? []);
        return { state: 'taken', message: found.message, suggestion: suggestion ?? null };
      },
      (reason) => ({ state: 'unchecked', reason }),
    );
  }

  async check(profile: string, spec: FirmwareSpec): Promise<PreflightReport> {
    const found = await this.verdict(profile, spec);
    return 'reason' in found ? { state: 'unchecked', reason: found.reason } : reportOf(spec, found.verdict);
  }

  async createModule(profile: string, productKey: string, moduleName: string): Promise<void> {
    const invalid = validateField('ProductKey', productKey) ?? validateField('ModuleName', moduleName);
    if (invalid) throw new AppError('invalid-argument', invalid.message);
    const { client } = await clientFor(this.options.connections, profile);
    // A throttled create was not committed, so waiting it out is safe; nothing else is retried.
    await withRetry(() => client.createOtaModule({ productKey, moduleName }), { attempts: 1 });
  }

  async checkOnly(request: PublishRequest): Promise<CheckOnlyResult> {
    const { spec } = request;
    const { target } = await this.options.connections.resolve(request.profile);
    const { facts, issues: unreadable } = await readFileFacts(spec);
    const issues = [
      ...validateSpec(spec, target.dialect, facts),
      ...unreadable,
      ...(await this.options.outboxIssues(spec)),
    ];
    const found = await this.verdict(request.profile, spec);
    const preflight: PreflightReport =
      'reason' in found ? { state: 'unchecked', reason: found.reason } : reportOf(spec, found.verdict);
    if (issues.length > 0) return { issues, preflight, plan: null };
    const verifyOn = checkedVerifyOn(request.verifyOn);
    const prepared = await preparePublish(spec, target.dialect, { known: this.options.known });
    const verdict = 'reason' in found ? EMPTY_VERDICT : found.verdict;
    return { issues, preflight, plan: buildDryRunPlan(prepared, { target, verdict, verifyOn }) };
  }

  /** The pre-flight's verdict, or why the cloud could not be asked. */
  private verdict(profile: string, spec: FirmwareSpec) {
    return this.asked<{ verdict: PreflightVerdict } | { reason: Text }>(
      profile,
      async ({ client }) => ({ verdict: await checkPreflight(client, spec) }),
      (reason) => ({ reason }),
    );
  }

  /** Runs `ask` with the profile's client, or answers `unchecked` with why it could not. */
  private async asked<T>(
    profile: string,
    ask: (connection: Awaited<ReturnType<typeof clientFor>>) => Promise<T>,
    unchecked: (reason: Text) => T,
  ): Promise<T> {
    let connection: Awaited<ReturnType<typeof clientFor>>;
    try {
      connection = await clientFor(this.options.connections, profile);
    } catch (error) {
      return unchecked(toIpcError(error).message);
    }
    const offline = notAskable(connection.target, this.options.isOnline());
    if (offline) return unchecked(offline);
    try {
      return await ask(connection);
    } catch (error) {
      return unchecked(toIpcError(error).message);
    }
  }
}
