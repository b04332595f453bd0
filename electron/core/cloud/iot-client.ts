/** The IoT Platform OTA API (Version 2018-01-20), for the Alibaba and Tuya dialects. */
import { uploadHostRefusal } from './upload-host.js';
import type { CloudTarget, Credentials } from './target.js';
import type {
  DeviceDetail,
  DeviceSummary,
  ModuleVersion,
  OtaJobInfo,
  OtaTask,
  Page,
  TaskQuery,
  VerifyJobRequest,
} from './bench-types.js';
import { parseDeviceDetail, parseDevicePage, parseModuleVersions } from './device-api.js';
import { callRpc, type ParamValue, type RpcAnswer } from './rpc-request.js';
import { list, num, obj, str, type Lowered } from './response.js';
import {
  cancelByDeviceParams,
  parseCreatedJob,
  parseJob,
  parseJobPage,
  parseTaskPage,
  required,
  reupgradeParams,
  supportsReupgrade,
  taskQueryParams,
  unsupportedByCloud,
  verifyJobParams,
} from './verify-api.js';

export { supportsReupgrade } from './verify-api.js';

export interface UploadTicket {
  readonly firmwareUrl: string;
  readonly host: string;
  readonly key: string;
  readonly ossAccessKeyId: string;
  readonly policy: string;
  readonly signature: string;
  readonly utcCreate?: string;
  /** `Date.now()` when the response arrived (the policy is valid for about one minute from issue). */
  readonly receivedAt: number;
}

export interface FirmwareFileRef {
  readonly name: string;
  readonly url: string;
  readonly size: number;
  /** Digest per signMethod, lowercase hex. */
  readonly sign: string;
  readonly md5: string;
}

export interface CreateFirmwareRequest {
  readonly productKey: string;
  readonly firmwareName: string;
  readonly destVersion: string;
  readonly moduleName?: string;
  readonly type: 'full' | 'diff';
  readonly srcVersion?: string;
  readonly signMethod: 'MD5' | 'SHA256';
  readonly desc?: string;
  readonly udi?: string;
  readonly needToVerify?: boolean;
  readonly files: readonly FirmwareFileRef[];
}

export interface FirmwareInfo {
  readonly firmwareId: string;
  readonly firmwareName: string;
  readonly productKey: string;
  readonly destVersion: string;
  readonly srcVersion?: string;
  readonly moduleName?: string;
  readonly type?: 'full' | 'diff';
  readonly signMethod?: string;
  readonly firmwareSign?: string;
  readonly firmwareSize?: number;
  readonly firmwareUrl?: string;
  /** 0 unverified, 1 verified, 2 verifying, 3 verification failed, -1 no verification needed. */
  readonly status?: number;
  /** 0–100, while and after a verify job runs. */
  readonly verifyProgress?: number;
  readonly udi?: string;
  readonly desc?: string;
  readonly utcCreate?: string;
  readonly multiFiles?: readonly {
    name: string;
    size?: number;
    url?: string;
    signValue?: string;
    fileMd5?: string;
  }[];
}

export interface FirmwareSummary {
  readonly firmwareId: string;
  readonly firmwareName: string;
  readonly destVersion: string;
  readonly srcVersion?: string;
  readonly productKey?: string;
  readonly moduleName?: string;
  readonly status?: number;
  readonly type?: 'full' | 'diff';
  readonly signMethod?: string;
  readonly firmwareSign?: string;
  readonly firmwareSize?: number;
  readonly desc?: string;
  readonly utcCreate?: string;
  readonly utcModified?: string;
}

export interface FirmwarePage {
  readonly total: number;
  readonly currentPage: number;
  readonly pageSize: number;
  readonly pageCount: number;
  readonly items: readonly FirmwareSummary[];
}

export interface OtaModule {
  readonly moduleName: string;
  readonly productKey: string;
  readonly aliasName?: string;
  readonly desc?: string;
}

export interface IotClientOptions {
  readonly target: CloudTarget;
  readonly credentials: Credentials;
  /** Per request, default 30 s. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** `https://iot.<region>.aliyuncs.com`, the regional IoT endpoint. */
export function aliyunEndpoint(regionId: string): string {
  return `https://iot.${regionId}.aliyuncs.com`;
}

/**
 * Calls the OTA actions. Each call waits for a slot in the account's 10 QPS window and is sent once:
 * retrying is the caller's decision (CreateOTAFirmware must never be retried blindly).
 */
export class IotClient {
  private readonly target: CloudTarget;
  private readonly credentials: Credentials;
  private readonly timeoutMs: number;

  constructor(options: IotClientOptions) {
    const url = new URL(options.target.endpoint);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new TypeError(`The endpoint must be an http(s) URL: ${options.target.endpoint}`);
    }
    this.target = options.target;
    this.credentials = options.credentials;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** GenerateOTAUploadURL: a one-minute OSS PostObject policy for one file. */
  async generateOtaUploadUrl(fileSuffix: string, signal?: AbortSignal): Promise<UploadTicket> {
    const action = 'GenerateOTAUploadURL';
    const answer = await this.call(action, { FileSuffix: fileSuffix }, signal);
    const data = obj(answer.body, 'data');
    const field = (name: string): string => required(action, answer, str(data, name), `Data.${name}`);
    // The answer decides where the file's bytes go: refuse a host that is not OSS before any are sent.
    const refusal = uploadHostRefusal(field('host'), this.target);
    if (refusal) throw refusal;
    return {
      firmwareUrl: field('firmwareurl'),
      host: field('host'),
      key: field('key'),
      ossAccessKeyId: field('ossaccesskeyid'),
      policy: field('policy'),
      signature: field('signature'),
      utcCreate: str(data, 'utccreate'),
      receivedAt: answer.receivedAt,
    };
  }

  /** CreateOTAFirmware. Not idempotent: on an unclear outcome, look the name up before trying again. */
  async createOtaFirmware(
    request: CreateFirmwareRequest,
    signal?: AbortSignal,
  ): Promise<{ firmwareId: string; utcCreate?: string }> {
    const action = 'CreateOTAFirmware';
    const answer = await this.call(action, createFirmwareParams(request), signal);
    const data = obj(answer.body, 'data');
    return {
      firmwareId: required(action, answer, str(data, 'firmwareid'), 'Data.FirmwareId'),
      utcCreate: str(data, 'utccreate'),
    };
  }

  /** QueryOTAFirmware: the package as the cloud stored it. */
  async queryOtaFirmware(firmwareId: string, signal?: AbortSignal): Promise<FirmwareInfo> {
    const action = 'QueryOTAFirmware';
    const answer = await this.call(action, { FirmwareId: firmwareId }, signal);
    const info = obj(answer.body, 'firmwareinfo') ?? obj(answer.body, 'data');
    const multiFiles = list(info, 'multifiles').map((f) => ({
      name: str(f, 'name') ?? '',
      size: num(f, 'size'),
      url: str(f, 'url'),
      signValue: str(f, 'signvalue'),
      fileMd5: str(f, 'filemd5'),
    }));
    return {
      firmwareId: required(action, answer, str(info, 'firmwareid'), 'FirmwareInfo.FirmwareId'),
      firmwareName: str(info, 'firmwarename') ?? '',
      productKey: str(info, 'productkey') ?? '',
      destVersion: str(info, 'destversion') ?? '',
      srcVersion: str(info, 'srcversion'),
      moduleName: str(info, 'modulename'),
      type: packageType(info),
      signMethod: str(info, 'signmethod'),
      firmwareSign: str(info, 'firmwaresign'),
      firmwareSize: num(info, 'firmwaresize'),
      firmwareUrl: str(info, 'firmwareurl'),
      status: num(info, 'status'),
      verifyProgress: num(info, 'verifyprogress'),
      udi: str(info, 'udi'),
      desc: str(info, 'firmwaredesc') ?? str(info, 'desc'),
      utcCreate: str(info, 'utccreate'),
      multiFiles: multiFiles.length > 0 ? multiFiles : undefined,
    };
  }

  /** ListOTAFirmware: one page (CurrentPage from 1, PageSize ≤ 100). */
  async listOtaFirmware(
    query: { productKey?: string; destVersion?: string; currentPage: number; pageSize: number },
    signal?: AbortSignal,
  ): Promise<FirmwarePage> {
    const answer = await this.call(
      'ListOTAFirmware',
      {
        CurrentPage: query.currentPage,
        PageSize: query.pageSize,
        ProductKey: query.productKey,
        DestVersion: query.destVersion,
      },
      signal,
    );
    // Documented at the top level; some deployments nest the page under Data.
    const data = obj(answer.body, 'data');
    const page = num(answer.body, 'total') !== undefined || data === undefined ? answer.body : data;
    const rows = list(page, 'firmwareinfo');
    const items = rows.flatMap((row): FirmwareSummary[] => {
      const firmwareId = str(row, 'firmwareid');
      if (!firmwareId) return [];
      return [
        {
          firmwareId,
          firmwareName: str(row, 'firmwarename') ?? '',
          destVersion: str(row, 'destversion') ?? '',
          srcVersion: str(row, 'srcversion'),
          productKey: str(row, 'productkey'),
          moduleName: str(row, 'modulename'),
          status: num(row, 'status'),
          type: packageType(row),
          signMethod: str(row, 'signmethod'),
          firmwareSign: str(row, 'firmwaresign'),
          firmwareSize: num(row, 'firmwaresize'),
          desc: str(row, 'firmwaredesc'),
          utcCreate: str(row, 'utccreate'),
          utcModified: str(row, 'utcmodified'),
        },
      ];
    });
    return {
      total: num(page, 'total') ?? items.length,
      currentPage: num(page, 'currentpage') ?? query.currentPage,
      pageSize: num(page, 'pagesize') ?? query.pageSize,
      pageCount: num(page, 'pagecount') ?? 1,
      items,
    };
  }

  /** ListOTAModuleByProduct: the product's custom OTA modules. */
  async listOtaModuleByProduct(productKey: string, signal?: AbortSignal): Promise<OtaModule[]> {
    const answer = await this.call('ListOTAModuleByProduct', { ProductKey: productKey }, signal);
    return list(answer.body, 'data').flatMap((m): OtaModule[] => {
      const moduleName = str(m, 'modulename');
      if (!moduleName) return [];
      return [
        {
          moduleName,
          productKey: str(m, 'productkey') ?? productKey,
          aliasName: str(m, 'aliasname'),
          desc: str(m, 'desc'),
        },
      ];
    });
  }

  /** CreateOTAModule: a custom module (1–64 characters, unique per product ignoring case, immutable). */
  async createOtaModule(
    m: { productKey: string; moduleName: string; aliasName?: string; desc?: string },
    signal?: AbortSignal,
  ): Promise<void> {
    const params = {
      ProductKey: m.productKey,
      ModuleName: m.moduleName,
      AliasName: m.aliasName,
      Desc: m.desc,
    };
    await this.call('CreateOTAModule', params, signal);
  }

  /** DeleteOTAFirmware. Check ListOTAJobByFirmware first: a package with an unfinished job must stay. */
  async deleteOtaFirmware(firmwareId: string, signal?: AbortSignal): Promise<void> {
    await this.call('DeleteOTAFirmware', { FirmwareId: firmwareId }, signal);
  }

  /** QueryDevice: one page of the product's devices (PageSize ≤ 50), without their DeviceSecrets. */
  async queryDevice(
    q: { productKey: string; currentPage: number; pageSize: number },
    signal?: AbortSignal,
  ): Promise<Page<DeviceSummary>> {
    const params = { ProductKey: q.productKey, CurrentPage: q.currentPage, PageSize: q.pageSize };
    return parseDevicePage(await this.call('QueryDevice', params, signal), q);
  }

  /** QueryDeviceDetail: state and FirmwareVersion of one device, without its DeviceSecret. */
  async queryDeviceDetail(
    q: { productKey: string; deviceName: string },
    signal?: AbortSignal,
  ): Promise<DeviceDetail> {
    const action = 'QueryDeviceDetail';
    const params = { ProductKey: q.productKey, DeviceName: q.deviceName };
    return parseDeviceDetail(action, await this.call(action, params, signal), q);
  }

  /** ListOTAModuleVersionsByDevice: the versions a device last reported, per module. */
  async listOtaModuleVersionsByDevice(
    q: { productKey: string; deviceName: string; currentPage: number; pageSize: number },
    signal?: AbortSignal,
  ): Promise<Page<ModuleVersion>> {
    const params = {
      ProductKey: q.productKey,
      DeviceName: q.deviceName,
      CurrentPage: q.currentPage,
      PageSize: q.pageSize,
    };
    return parseModuleVersions(await this.call('ListOTAModuleVersionsByDevice', params, signal), q);
  }

  /** CreateOTAVerifyJob. Not idempotent: on an unclear outcome, look for the job with listOtaJobByFirmware. */
  async createOtaVerifyJob(
    r: VerifyJobRequest,
    signal?: AbortSignal,
  ): Promise<{ jobId: string; utcCreate?: string }> {
    const action = 'CreateOTAVerifyJob';
    return parseCreatedJob(action, await this.call(action, verifyJobParams(r), signal));
  }

  /** QueryOTAJob. */
  async queryOtaJob(jobId: string, signal?: AbortSignal): Promise<OtaJobInfo> {
    const action = 'QueryOTAJob';
    return parseJob(action, await this.call(action, { JobId: jobId }, signal));
  }

  /** ListOTAJobByFirmware: one page of the package's jobs. */
  async listOtaJobByFirmware(
    q: { firmwareId: string; currentPage: number; pageSize: number },
    signal?: AbortSignal,
  ): Promise<Page<OtaJobInfo>> {
    const params = { FirmwareId: q.firmwareId, CurrentPage: q.currentPage, PageSize: q.pageSize };
    return parseJobPage(await this.call('ListOTAJobByFirmware', params, signal), q);
  }

  /** ListOTATaskByJob: one page of a job's tasks (PageSize ≤ 100), or those of DeviceNames (≤ 50). */
  async listOtaTaskByJob(q: TaskQuery, signal?: AbortSignal): Promise<Page<OtaTask>> {
    return parseTaskPage(await this.call('ListOTATaskByJob', taskQueryParams(q), signal), q);
  }

  /** CancelOTATaskByDevice: cancels the devices' queued, notified or in-progress tasks of the package. */
  async cancelOtaTaskByDevice(
    q: { productKey: string; firmwareId: string; jobId?: string; deviceNames: readonly string[] },
    signal?: AbortSignal,
  ): Promise<void> {
    await this.call('CancelOTATaskByDevice', cancelByDeviceParams(q), signal);
  }

  /** ReupgradeOTATask: restarts FAILED or CANCELED tasks (1–10). Refused locally where the cloud lacks it. */
  async reupgradeOtaTask(
    q: { jobId: string; taskIds: readonly string[] },
    signal?: AbortSignal,
  ): Promise<void> {
    const action = 'ReupgradeOTATask';
    if (!supportsReupgrade(this.target.dialect)) throw unsupportedByCloud(action, this.target.dialect);
    await this.call(action, reupgradeParams(q), signal);
  }

  private call(
    action: string,
    params: Readonly<Record<string, ParamValue>>,
    signal?: AbortSignal,
  ): Promise<RpcAnswer> {
    return callRpc({
      target: this.target,
      credentials: this.credentials,
      action,
      params,
      timeoutMs: this.timeoutMs,
      signal,
    });
  }
}

/** CreateOTAFirmware parameters: single-file fields for one file, MultiFiles.N.* for several. */
export function createFirmwareParams(r: CreateFirmwareRequest): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {
    ProductKey: r.productKey,
    FirmwareName: r.firmwareName,
    DestVersion: r.destVersion,
    Type: r.type === 'diff' ? 1 : 0,
    SrcVersion: r.type === 'diff' ? r.srcVersion : undefined,
    ModuleName: r.moduleName,
    SignMethod: r.signMethod,
    NeedToVerify: r.needToVerify,
    FirmwareDesc: r.desc,
    Udi: r.udi,
  };
  const [only] = r.files;
  if (r.files.length === 1 && only) {
    params.FirmwareUrl = only.url;
    params.FirmwareSign = only.sign;
    params.FirmwareSize = only.size;
  } else {
    r.files.forEach((f, i) => {
      const p = `MultiFiles.${i + 1}`;
      params[`${p}.Name`] = f.name;
      params[`${p}.Url`] = f.url;
      params[`${p}.Size`] = f.size;
      params[`${p}.SignValue`] = f.sign;
      params[`${p}.FileMd5`] = f.md5;
    });
  }
  return params;
}

function packageType(o: Lowered | undefined): 'full' | 'diff' | undefined {
  const t = num(o, 'type');
  return t === 0 ? 'full' : t === 1 ? 'diff' : undefined;
}
