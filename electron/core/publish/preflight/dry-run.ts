/**
 * The dry run: every call a publish would send, with its parameters, built from the prepared
 * (validated and hashed) publish without sending any. What only the cloud's answers give (upload
 * ticket, FirmwareId) is a placeholder; no secret, policy or signature is ever part of the plan.
 */
import { createFirmwareParams } from '../../cloud/iot-client.js';
import { partFilename, postObjectFields } from '../../cloud/oss-upload/request.js';
import { toWire } from '../../cloud/rpc-request.js';
import type { CloudTarget } from '../../cloud/target.js';
import { verifyJobParams } from '../../cloud/verify-api.js';
import { createRequest, signOf } from '../create-firmware.js';
import type { VerifyOn } from '../job/job.js';
import type { PreparedPublish } from '../prepare.js';
import { fileSuffixOf } from '../validation.js';
import type { PreflightFinding, PreflightVerdict } from './decide.js';

export interface PlannedCall {
  /** The API action, or `PostObject` for the OSS upload. */
  readonly action: string;
  /** A write changes the cloud; the dry run sends none of them. */
  readonly write: boolean;
  /** Wire values as sent; `<…>` marks what an earlier answer provides. */
  readonly params: Readonly<Record<string, string>>;
  /** PostObject: where the form goes (the ticket's host). */
  readonly url?: string;
}

export interface DryRunPlan {
  readonly productKey: string;
  readonly firmwareName: string;
  readonly destVersion: string;
  readonly endpoint: string;
  readonly refusals: readonly PreflightFinding[];
  readonly warnings: readonly PreflightFinding[];
  /** In the order a publish sends them. */
  readonly calls: readonly PlannedCall[];
}

export interface DryRunOptions {
  readonly target: CloudTarget;
  /** What the pre-flight decided (its module to create is part of the plan). */
  readonly verdict: PreflightVerdict;
  /** Confirm with QueryOTAFirmware after creating (default true). */
  readonly verify?: boolean;
  readonly verifyOn?: VerifyOn;
}

/** `<Key from GenerateOTAUploadURL #2>` */
const fromTicket = (field: string, n: number) => `<${field} from GenerateOTAUploadURL #${n}>`;
const FIRMWARE_ID = '<FirmwareId from CreateOTAFirmware>';

/** IotInstanceId goes with every RPC call of an Enterprise instance (see rpc-request.ts). */
function rpc(
  action: string,
  write: boolean,
  params: Parameters<typeof toWire>[0],
  target: CloudTarget,
): PlannedCall {
  return { action, write, params: toWire({ ...params, IotInstanceId: target.instanceId || undefined }) };
}

function uploadCalls(prepared: PreparedPublish, target: CloudTarget): PlannedCall[] {
  return prepared.files.flatMap((file, i): PlannedCall[] => {
    const n = i + 1;
    const suffix = fileSuffixOf(file.path, target.dialect) ?? 'bin';
    const ticket = {
      key: fromTicket('Key', n),
      ossAccessKeyId: fromTicket('OSSAccessKeyId', n),
      policy: fromTicket('Policy', n),
      signature: fromTicket('Signature', n),
    };
    const fields = Object.fromEntries(postObjectFields(ticket));
    return [
      rpc('GenerateOTAUploadURL', true, { FileSuffix: suffix }, target),
      {
        action: 'PostObject',
        write: true,
        url: fromTicket('Host', n),
        params: { ...fields, file: `${partFilename(file.path)} (${file.size} bytes)` },
      },
    ];
  });
}

/** The plan of a publish of `prepared`, as the pre-flight left it. */
export function buildDryRunPlan(prepared: PreparedPublish, options: DryRunOptions): DryRunPlan {
  const { spec, files } = prepared;
  const { target, verdict } = options;
  const calls: PlannedCall[] = [];
  if (verdict.moduleToCreate !== undefined) {
    const module = { ProductKey: spec.productKey, ModuleName: verdict.moduleToCreate };
    calls.push(rpc('CreateOTAModule', true, module, target));
  }
  calls.push(...uploadCalls(prepared, target));
  const published = files.map((f, i) => ({
    ...f,
    url: fromTicket('FirmwareUrl', i + 1),
    sign: signOf(f, spec.signMethod),
  }));
  calls.push(rpc('CreateOTAFirmware', true, createFirmwareParams(createRequest(spec, published)), target));
  if (options.verify !== false)
    calls.push(rpc('QueryOTAFirmware', false, { FirmwareId: FIRMWARE_ID }, target));
  if (options.verifyOn) {
    const request = {
      firmwareId: FIRMWARE_ID,
      productKey: spec.productKey,
      deviceNames: options.verifyOn.devices,
      timeoutMinutes: options.verifyOn.timeoutMinutes,
    };
    calls.push(rpc('CreateOTAVerifyJob', true, verifyJobParams(request), target));
  }
  return {
    productKey: spec.productKey,
    firmwareName: spec.firmwareName,
    destVersion: spec.destVersion,
    endpoint: target.endpoint,
    refusals: verdict.refusals,
    warnings: verdict.warnings,
    calls,
  };
}
