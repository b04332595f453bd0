/**
 * The pre-flight decision: what the cloud already holds (fetched by ./run.ts) against what a
 * publish is about to send. Pure, so each rule is unit-tested from plain facts; the cloud stays
 * the last word (CreateOTAFirmware still checks everything again).
 */
import type { Text } from '../../i18n/text.js';
import type { FirmwareSpec } from '../spec.js';
import { suggestFreeName } from './free-name.js';
import * as msg from './messages.js';

/** The account limit: "单个实例下最多可有500个升级包". */
export const MAX_PACKAGES = 500;
/** From here on the count is worth a warning: a few more builds and publishing stops. */
export const PACKAGE_WARNING_FROM = 450;
export const DEFAULT_MODULE = 'default';

export type FindingRule =
  | 'name-taken'
  | 'module-missing'
  | 'module-case'
  | 'version-published'
  | 'src-version-unknown'
  | 'package-count';

/** One thing the pre-flight found; `field` is the API parameter name, as validation reports it. */
export interface PreflightFinding {
  readonly severity: 'refusal' | 'warning';
  readonly field: string;
  readonly rule: FindingRule;
  readonly message: Text;
}

/**
 * A package as ListOTAFirmware lists it (the fields the rules read; a FirmwareSummary fits). Declared
 * here so the renderer can import the pre-flight's types without the Node-only client.
 */
export interface ListedPackage {
  readonly firmwareId: string;
  readonly firmwareName: string;
  readonly destVersion: string;
  readonly srcVersion?: string;
  readonly moduleName?: string;
  readonly type?: 'full' | 'diff';
}

/** What the cloud holds for the spec's product, read before anything is sent. */
export interface PreflightFacts {
  /** The product's packages (ListOTAFirmware, every page). */
  readonly packages: readonly ListedPackage[];
  /** The cloud's count of the product's packages (may exceed `packages.length`). */
  readonly packageCount: number;
  /** The product's OTA modules (ListOTAModuleByProduct); `default` exists whether listed or not. */
  readonly modules: readonly string[];
}

export interface PreflightOptions {
  /** Warnings refuse the publish too. */
  readonly strict?: boolean;
  /** A missing module is created (CreateOTAModule) instead of refusing. */
  readonly createModule?: boolean;
}

export interface PreflightVerdict {
  readonly refusals: readonly PreflightFinding[];
  readonly warnings: readonly PreflightFinding[];
  /** The module to create before uploading (asked for, and missing). */
  readonly moduleToCreate?: string;
}

const moduleOf = (p: { readonly moduleName?: string }): string => p.moduleName || DEFAULT_MODULE;

type Found = PreflightFinding;
const refusal = (field: string, rule: FindingRule, message: Text): Found => ({
  severity: 'refusal',
  field,
  rule,
  message,
});
const warning = (field: string, rule: FindingRule, message: Text): Found => ({
  severity: 'warning',
  field,
  rule,
  message,
});

function nameRule(spec: FirmwareSpec, facts: PreflightFacts): Found | undefined {
  const taken = facts.packages.find((p) => p.firmwareName === spec.firmwareName);
  if (!taken) return undefined;
  const free = suggestFreeName(
    spec.firmwareName,
    facts.packages.map((p) => p.firmwareName),
  );
  return refusal('FirmwareName', 'name-taken', msg.nameTaken(spec, taken, free));
}

/** The module: listed exactly (or `default`); listed in other letter case cannot be created either. */
function moduleRule(spec: FirmwareSpec, facts: PreflightFacts, options: PreflightOptions): Found | undefined {
  const wanted = moduleOf(spec);
  if (wanted === DEFAULT_MODULE || facts.modules.includes(wanted)) return undefined;
  // Module names are unique ignoring case: "WiFi" blocks creating "wifi", and is not it either.
  const other = facts.modules.find((m) => m.toLowerCase() === wanted.toLowerCase());
  if (other) return refusal('ModuleName', 'module-case', msg.moduleCase(spec, wanted, other));
  if (options.createModule) return undefined;
  return refusal('ModuleName', 'module-missing', msg.moduleMissing(spec, wanted, facts.modules));
}

/**
 * The same package again: same module, DestVersion and kind (a differential one from the same
 * SrcVersion). A full 2.0 next to a diff 1.0→2.0 is the normal way to ship, not a repeat.
 */
function versionRule(spec: FirmwareSpec, facts: PreflightFacts): Found | undefined {
  const module = moduleOf(spec);
  const same = facts.packages.find(
    (p) =>
      moduleOf(p) === module &&
      p.destVersion === spec.destVersion &&
      (p.type ?? 'full') === spec.type &&
      (spec.type === 'full' || p.srcVersion === spec.srcVersion),
  );
  return same
    ? warning('DestVersion', 'version-published', msg.versionPublished(spec, module, same))
    : undefined;
}

/** A differential package upgrades devices from SrcVersion: some package of the module should lead there. */
function srcVersionRule(spec: FirmwareSpec, facts: PreflightFacts): Found | undefined {
  if (spec.type !== 'diff' || !spec.srcVersion) return undefined;
  const module = moduleOf(spec);
  const known = facts.packages.some((p) => moduleOf(p) === module && p.destVersion === spec.srcVersion);
  return known
    ? undefined
    : warning('SrcVersion', 'src-version-unknown', msg.srcVersionUnknown(spec, module));
}

function countRule(spec: FirmwareSpec, facts: PreflightFacts): Found | undefined {
  const count = Math.max(facts.packageCount, facts.packages.length);
  if (count >= MAX_PACKAGES)
    return refusal('ProductKey', 'package-count', msg.packageLimit(spec.productKey, count, MAX_PACKAGES));
  if (count >= PACKAGE_WARNING_FROM)
    return warning('ProductKey', 'package-count', msg.packageNearLimit(spec.productKey, count, MAX_PACKAGES));
  return undefined;
}

/** Decides from fetched facts; `strict` turns every warning into a refusal. */
export function decidePreflight(
  spec: FirmwareSpec,
  facts: PreflightFacts,
  options: PreflightOptions = {},
): PreflightVerdict {
  const found = [
    nameRule(spec, facts),
    moduleRule(spec, facts, options),
    versionRule(spec, facts),
    srcVersionRule(spec, facts),
    countRule(spec, facts),
  ].flatMap((f) =>
    f ? [options.strict && f.severity === 'warning' ? { ...f, severity: 'refusal' as const } : f] : [],
  );
  const refusals = found.filter((f) => f.severity === 'refusal');
  const wanted = moduleOf(spec);
  const missing = wanted !== DEFAULT_MODULE && !facts.modules.includes(wanted);
  return {
    refusals,
    warnings: found.filter((f) => f.severity === 'warning'),
    moduleToCreate: options.createModule && missing && refusals.length === 0 ? wanted : undefined,
  };
}
