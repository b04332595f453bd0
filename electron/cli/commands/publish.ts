import { parseArgs } from 'node:util';
import { readSmallFile } from '../../core/files/regular-file.js';
import { LIMITS } from '../../core/publish/field-rules.js';
import { fileProblem, udiFileTooLarge } from '../../core/publish/validation-messages.js';
import { publish } from '../../core/publish/pipeline.js';
import type { VerifyOn } from '../../core/publish/job/job.js';
import { verifyTargetIssues } from '../../core/publish/verify/verification.js';
import { verifySummary } from '../../core/publish/verify/summary.js';
import { ValidationError } from '../../core/validation-issue.js';
import type { FirmwareSpec, PackageType, SignMethod } from '../../core/publish/spec.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { cliLocale, say } from '../locale.js';
import type { IotClient } from '../../core/cloud/iot-client.js';
import type { CloudTarget } from '../../core/cloud/target.js';
import { preparePublish } from '../../core/publish/prepare.js';
import type { PreflightFinding, PreflightOptions } from '../../core/publish/preflight/decide.js';
import { buildDryRunPlan } from '../../core/publish/preflight/dry-run.js';
import { moduleCreated } from '../../core/publish/preflight/messages.js';
import { checkPreflight } from '../../core/publish/preflight/run.js';
import { dryRunText, refusalLines, warningLines } from '../preflight-view.js';
import { text } from '../../core/i18n/text.js';
import { ProgressView } from '../progress.js';
import { clientFor, targetFromFlags } from '../connect.js';
import { verificationExit, verificationReport } from '../verify-result.js';
import { VerifyView } from '../verify-view.js';
import { deviceList, timeoutFlag } from './verify.js';
import { formatBytes, formatDigests } from '../format.js';
import { enqueue } from '../../core/publish/outbox/enqueue.js';
import { openJournal } from './outbox.js';
import { applyRecipe } from '../recipe-flags.js';
import { defaultDataDir } from '../../core/paths.js';
import { historyWarningText } from '../../core/publish/history/history-log.js';

export const PUBLISH_HELP = `Usage: ota-publish publish FILE… --product PK --version V --name NAME [options]

Hashes each file, uploads it to OSS, creates the OTA package and verifies it.

  --product PK            ProductKey of the product the package is for
  --version V             DestVersion, the version devices move to
  --name NAME             FirmwareName, unique in the account
  --module M              OTA module (default: "default")
  --type full|diff        full package (default) or differential
  --src-version V         SrcVersion, required for --type diff
  --udi TEXT              custom message pushed to devices (≤ 4,096 characters)
  --udi-file F            …or read it from a file (a regular file of at most 16 KiB)
  --desc TEXT             FirmwareDesc (≤ 100 characters)
  --sign-method M         MD5 (default) or SHA256: the digest sent as FirmwareSign
  --file-name NAME        MultiFiles name of each file, in FILE order (default: the file's name)
  --need-to-verify B      true (default) or false: whether devices must verify before a batch upgrade
  --no-verify             skip the QueryOTAFirmware check after creating
  --verify-on NAME,…      then verify the package on these bench devices (1–10) and wait for the
                          result (see ota-publish verify --help); with --queue, once it is published
  --verify-timeout-minutes N   a device that does not finish in N minutes fails (default 30)
  --endpoint URL          API endpoint (Tuya: https://si-….tuyacloud.com:8686; sandbox: http://127.0.0.1:PORT)
  --region R              Alibaba Cloud region, e.g. cn-shanghai (endpoint iot.R.aliyuncs.com)
  --instance-id ID        IotInstanceId (Enterprise instances)
  --dialect aliyun|tuya   API dialect (default aliyun)
  --profile NAME          publish with a saved profile (target + AccessKey from the OS keychain;
                          see ota-publish profile --help) instead of --endpoint/--region and env
  --recipe FILE           read the fields and files from a publish recipe (.otapub JSON; flags given
                          explicitly win, FILEs given replace the recipe's; its files must stay inside
                          its folder; a recipe naming a profile needs that --profile given explicitly)
  --json                  print the result as one JSON line on stdout
  --dry-run               validate, run the pre-flight checks and hash, then print every call and
                          parameter a publish would send, sending none of them (only read calls)
  --strict                pre-flight warnings (version already published, unknown SrcVersion,
                          nearly 500 packages) refuse the publish too
  --create-module         create the --module in the product when it does not exist (CreateOTAModule)
  --queue                 validate and hash now, publish later from the outbox (works offline)
  --data-dir DIR          the data directory (outbox with --queue, profiles with --profile)

Credentials: --profile NAME, else OTA_ACCESS_KEY_ID and OTA_ACCESS_KEY_SECRET.
Before any upload, a pre-flight reads the product's packages and modules: a FirmwareName already
used, a missing module or 500 packages refuse the publish (exit 3, nothing uploaded).
Exit codes: 0 published (and verified on the --verify-on devices), 2 invalid input, 3 rejected by the
cloud or the pre-flight (or a check that found a mismatch), 4 cloud unreachable, 5 verification failed on at least one
device (each reason printed), 6 created but the check afterwards could not run (FirmwareId printed),
7 the data folder cannot be written (full, read-only, over quota or not writable).`;

const OPTIONS = {
  product: { type: 'string' },
  version: { type: 'string' },
  name: { type: 'string' },
  module: { type: 'string' },
  type: { type: 'string' },
  'src-version': { type: 'string' },
  udi: { type: 'string' },
  'udi-file': { type: 'string' },
  desc: { type: 'string' },
  'sign-method': { type: 'string' },
  'file-name': { type: 'string', multiple: true },
  'need-to-verify': { type: 'string' },
  'no-verify': { type: 'boolean' },
  'verify-on': { type: 'string', multiple: true },
  'verify-timeout-minutes': { type: 'string' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  'instance-id': { type: 'string' },
  dialect: { type: 'string' },
  profile: { type: 'string' },
  recipe: { type: 'string' },
  json: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  strict: { type: 'boolean' },
  'create-module': { type: 'boolean' },
  queue: { type: 'boolean' },
  'data-dir': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!match) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, not "${value}".`);
  return match;
}

/**
 * A Udi has at most 4,096 characters and UTF-8 spells none in more than 4 bytes, so 16 KiB holds
 * any Udi the API accepts; a larger --udi-file is refused from its size, before it is read.
 */
const UDI_FILE_MAX_BYTES = 4 * LIMITS.udi;

/**
 * The Udi in `path`: a regular file of at most 16 KiB (a folder, a FIFO or /dev/zero is refused
 * from its stat, so nothing blocks or reads without end). Problems are usage errors naming --udi-file.
 */
async function readUdiFile(path: string): Promise<string> {
  const read = await readSmallFile(path, UDI_FILE_MAX_BYTES);
  if (read.ok) return read.bytes.toString('utf8');
  const { problem } = read;
  throw new UsageError(
    say(
      problem.kind === 'too-large'
        ? udiFileTooLarge(path, problem.size, problem.max, LIMITS.udi)
        : fileProblem('--udi-file', path, problem),
    ),
  );
}

/** Builds the FirmwareSpec from flags; missing required flags are usage errors. */
export async function specFromFlags(values: Values, files: readonly string[]): Promise<FirmwareSpec> {
  for (const [flag, field] of [
    ['product', 'ProductKey'],
    ['version', 'DestVersion'],
    ['name', 'FirmwareName'],
  ] as const) {
    if (!values[flag]) throw new UsageError(`--${flag} is required (${field}).`);
  }
  if (files.length === 0) throw new UsageError('Give at least one firmware FILE to publish.');
  if (values.udi !== undefined && values['udi-file'] !== undefined) {
    throw new UsageError('Give either --udi or --udi-file, not both.');
  }
  const names = values['file-name'] ?? [];
  if (names.length > files.length) {
    throw new UsageError(
      `${names.length} --file-name values for ${files.length} file(s): give at most one per FILE.`,
    );
  }
  const udi = values['udi-file'] !== undefined ? await readUdiFile(values['udi-file']) : values.udi;
  const type: PackageType = oneOf('type', values.type, ['full', 'diff'], 'full');
  const signMethod: SignMethod = oneOf('sign-method', values['sign-method'], ['MD5', 'SHA256'], 'MD5');
  const needToVerify =
    oneOf('need-to-verify', values['need-to-verify'], ['true', 'false'], 'true') === 'true';
  return {
    productKey: values.product!,
    firmwareName: values.name!,
    destVersion: values.version!,
    moduleName: values.module,
    type,
    srcVersion: values['src-version'],
    signMethod,
    desc: values.desc,
    udi,
    needToVerify,
    files: files.map((path, i) => ({ path, name: names[i] })),
  };
}

/** A NeedToVerify package without --verify-on: say plainly what is left, and how. */
function notVerifiedYet(firmwareId: string, spec: FirmwareSpec): string {
  const how = `ota-publish verify ${firmwareId} --product ${spec.productKey} --device NAME`;
  return `${say(
    text(
      `Not verified on devices yet: the package cannot be rolled out until it is. Verify it with: ${how}`,
      `尚未在设备上验证：验证通过前升级包无法批量升级。验证方法：${how}`,
    ),
  )}\n`;
}

/** --verify-on devices, checked before anything is hashed or sent. */
function verifyOnFromFlags(values: Values): VerifyOn | undefined {
  const devices = deviceList(values['verify-on']);
  if (devices.length === 0) {
    if (values['verify-timeout-minutes'] !== undefined)
      throw new UsageError('--verify-timeout-minutes needs --verify-on.');
    return undefined;
  }
  const timeoutMinutes = timeoutFlag('verify-timeout-minutes', values['verify-timeout-minutes']);
  const issues = verifyTargetIssues(devices, timeoutMinutes);
  if (issues.length > 0) throw new ValidationError(issues);
  return { devices, timeoutMinutes };
}

export async function runPublish(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const parsed = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const { values, positionals } = await applyRecipe(parsed.values, parsed.positionals);
  const spec = await specFromFlags(values, positionals);
  const verifyOn = verifyOnFromFlags(values);
  const profile = values.profile;
  const target = await targetFromFlags(values);
  const view = new ProgressView(process.stderr, positionals);
  const preflight = { strict: values.strict === true, createModule: values['create-module'] === true };
  if (values['dry-run']) {
    if (values.queue) throw new UsageError('Give either --dry-run or --queue, not both.');
    const client = await clientFor(target, values);
    return dryRun(spec, { client, target, signal, view, preflight, verifyOn, values }).finally(() =>
      view.finish(),
    );
  }
  if (values.queue) {
    const journal = await openJournal(values['data-dir']);
    const job = await enqueue(journal, spec, target, {
      profile,
      signal,
      onEvent: view.onEvent,
      verify: !values['no-verify'],
      verifyOn,
      preflight,
    }).finally(() => view.finish());
    if (values.json) process.stdout.write(`${JSON.stringify({ jobId: job.id, state: job.state })}\n`);
    else
      process.stdout.write(
        `Queued as job ${job.id}; it is published when \`ota-publish outbox run\` reaches the cloud.\n`,
      );
    return 0;
  }
  const client = await clientFor(target, values);
  const devices = new VerifyView(process.stderr);
  try {
    const result = await publish(spec, {
      client,
      target,
      signal,
      onEvent: (event) => {
        if (event.type === 'verification') devices.show(event.verification);
        else if (event.type === 'preflight') showPreflight(event, spec);
        else view.onEvent(event);
      },
      verify: !values['no-verify'],
      verifyOn,
      history: {
        dataDir: values['data-dir'] ?? defaultDataDir(),
        profile,
        onWarning: (e) => process.stderr.write(`${say(historyWarningText(e))}\n`),
      },
      preflight,
    });
    view.finish();
    const { verification, ...published } = result;
    if (values.json) {
      const verify = verification && verifySummary(verification);
      process.stdout.write(`${JSON.stringify(verify ? { ...published, verify } : published)}\n`);
    } else {
      process.stdout.write(
        `Published ${result.firmwareName} (${result.destVersion}) as FirmwareId ${result.firmwareId}\n`,
      );
      for (const f of result.files) {
        process.stdout.write(`  ${f.name}  ${formatBytes(f.size)}  ${formatDigests(f)}\n    ${f.url}\n`);
      }
      if (verification) process.stdout.write(verificationReport(verification));
      else if (spec.needToVerify !== false) process.stdout.write(notVerifiedYet(published.firmwareId, spec));
    }
    return verification ? verificationExit(verification) : 0;
  } finally {
    view.finish();
  }
}

/** Warnings of a pre-flight that passed (stderr, so --json output stays one line), and a created module. */
function showPreflight(
  event: { readonly warnings: readonly PreflightFinding[]; readonly createdModule?: string },
  spec: FirmwareSpec,
): void {
  if (event.createdModule !== undefined)
    process.stderr.write(`${say(moduleCreated(spec.productKey, event.createdModule))}\n`);
  process.stderr.write(warningLines(event.warnings, cliLocale()));
}

/**
 * --dry-run: validation, the pre-flight (read calls only) and hashing, then the plan of every call
 * a publish would send. Exit 3 when the pre-flight refuses (the plan is still shown), else 0.
 */
async function dryRun(
  spec: FirmwareSpec,
  run: {
    readonly client: IotClient;
    readonly target: CloudTarget;
    readonly signal: AbortSignal;
    readonly view: ProgressView;
    readonly preflight: PreflightOptions;
    readonly verifyOn?: VerifyOn;
    readonly values: Values;
  },
): Promise<number> {
  const { client, target, signal, view, values } = run;
  const prepared = await preparePublish(spec, target.dialect, { signal, onEvent: view.onEvent });
  const verdict = await checkPreflight(client, spec, run.preflight, signal, (error, delayMs) =>
    view.onEvent({ type: 'retry', step: 'validating', error, delayMs }),
  );
  view.finish();
  const plan = buildDryRunPlan(prepared, {
    target,
    verdict,
    verify: !values['no-verify'],
    verifyOn: run.verifyOn,
  });
  if (values.json) process.stdout.write(`${JSON.stringify({ dryRun: true, ...plan })}\n`);
  else process.stdout.write(dryRunText(plan, cliLocale()));
  if (verdict.refusals.length === 0) return EXIT.ok;
  process.stderr.write(`${refusalLines(verdict.refusals, verdict.warnings, cliLocale())}\n`);
  return EXIT.rejected;
}
