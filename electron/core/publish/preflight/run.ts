/**
 * The pre-flight's thin side: read what the cloud holds (read calls only, throttling waited out),
 * decide (./decide.ts), and refuse before anything is uploaded. Network failures propagate as they
 * are, so a publish that cannot reach the cloud waits or exits "unreachable", never "refused".
 */
import { CloudError } from '../../cloud/errors.js';
import type { IotClient } from '../../cloud/iot-client.js';
import { text } from '../../i18n/text.js';
import { listAllFirmware } from '../packages/firmware-list.js';
import { withRetry, type RetryOptions } from '../retry.js';
import type { FirmwareSpec } from '../spec.js';
import {
  decidePreflight,
  type PreflightFacts,
  type PreflightFinding,
  type PreflightOptions,
  type PreflightVerdict,
} from './decide.js';

export type PreflightClient = Pick<
  IotClient,
  'listOtaFirmware' | 'listOtaModuleByProduct' | 'createOtaModule'
>;

/**
 * The publish was refused before any upload. A CloudError of kind `rejected` (not retried, exit 3,
 * a failed job), whose message names the field and the rule of each refusal.
 */
export class PreflightRefusal extends CloudError {
  readonly refusals: readonly PreflightFinding[];
  readonly warnings: readonly PreflightFinding[];

  constructor(verdict: PreflightVerdict) {
    const first = verdict.refusals[0]!;
    const line = (f: PreflightFinding, locale: 'en' | 'zh') => `${f.field} (${f.rule}): ${f.message[locale]}`;
    super({
      kind: 'rejected',
      action: 'Preflight',
      code: `preflight.${first.rule}`,
      cloudMessage: verdict.refusals.map((f) => line(f, 'en')).join(' · '),
      hint: text(
        `${verdict.refusals.map((f) => line(f, 'en')).join('\n')}\nNothing was uploaded.`,
        `${verdict.refusals.map((f) => line(f, 'zh')).join('\n')}\n未上传任何内容。`,
      ),
    });
    this.name = 'PreflightRefusal';
    this.refusals = verdict.refusals;
    this.warnings = verdict.warnings;
  }
}

/**
 * The packages facts: the whole account (ListOTAFirmware without a ProductKey), because names are
 * unique per account and the 500 limit counts every product's packages; the other rules read the
 * product's own. Throttling is waited out; other faults propagate.
 */
export async function fetchPackageFacts(
  client: Pick<PreflightClient, 'listOtaFirmware'>,
  productKey: string,
  signal?: AbortSignal,
  onRetry?: RetryOptions['onRetry'],
): Promise<Omit<PreflightFacts, 'modules'>> {
  const listing = await listAllFirmware(client, {}, signal, onRetry);
  return {
    packages: listing.items.filter((p) => p.productKey === undefined || p.productKey === productKey),
    accountNames: listing.items.map((p) => p.firmwareName),
    packageCount: listing.total,
  };
}

/** Reads the account's packages and the product's modules (throttling waited out; other faults propagate). */
export async function fetchPreflightFacts(
  client: PreflightClient,
  spec: FirmwareSpec,
  signal?: AbortSignal,
  onRetry?: RetryOptions['onRetry'],
): Promise<PreflightFacts> {
  const packages = await fetchPackageFacts(client, spec.productKey, signal, onRetry);
  const modules = await withRetry(() => client.listOtaModuleByProduct(spec.productKey, signal), {
    attempts: 1,
    signal,
    onRetry,
  });
  return { ...packages, modules: modules.map((m) => m.moduleName) };
}

/** Fetches and decides, without sending anything (the dry run's pre-flight). */
export async function checkPreflight(
  client: PreflightClient,
  spec: FirmwareSpec,
  options: PreflightOptions = {},
  signal?: AbortSignal,
  onRetry?: RetryOptions['onRetry'],
): Promise<PreflightVerdict> {
  return decidePreflight(spec, await fetchPreflightFacts(client, spec, signal, onRetry), options);
}

export interface PreflightPassed {
  readonly warnings: readonly PreflightFinding[];
  /** The module CreateOTAModule created, when asked to and it was missing. */
  readonly createdModule?: string;
}

/**
 * The pre-flight of a publish about to upload: throws PreflightRefusal when the cloud already
 * holds what makes the publish fail (or, `strict`, what deserves a warning); creates the missing
 * module when asked to. Never call it once an upload or a create of the publish may have been sent.
 */
export async function runPreflight(
  client: PreflightClient,
  spec: FirmwareSpec,
  options: PreflightOptions = {},
  signal?: AbortSignal,
  onRetry?: RetryOptions['onRetry'],
): Promise<PreflightPassed> {
  const verdict = await checkPreflight(client, spec, options, signal, onRetry);
  if (verdict.refusals.length > 0) throw new PreflightRefusal(verdict);
  const moduleName = verdict.moduleToCreate;
  if (moduleName === undefined) return { warnings: verdict.warnings };
  // A throttled or refused create was not committed; anything else propagates for the caller.
  await withRetry(() => client.createOtaModule({ productKey: spec.productKey, moduleName }, signal), {
    attempts: 1,
    signal,
    onRetry,
  });
  return { warnings: verdict.warnings, createdModule: moduleName };
}
