/**
 * Every error code the sandbox answers with (and the IoT codes the client recognises), with where
 * it is publicly documented, or 'unconfirmed' when no public source gives the exact string (the
 * sandbox then uses a plausible name so tests can exercise the failure), or 'sandbox' for codes
 * only the sandbox sends (its own test aids). The client must never branch on a code that is not
 * sourced: test/unit/sandbox/error-sources.test.ts checks both directions.
 * Sources are those collected in /work/shared/reference/cloud-api.md and oss-postobject.md.
 */
export type ErrorSource = { readonly source: string; readonly note?: string } | 'unconfirmed' | 'sandbox';

const POP_COMMON = 'https://help.aliyun.com/en/document_detail/434846.html (OpenAPI common client errors)';
const IOT_CODES = 'https://help.aliyun.com/document_detail/87387.htm (IoT Platform error codes)';
/** Alibaba's error centre, product "Public", as the Terraform provider lists it (common_errors.go). */
const POP_PUBLIC =
  'https://error-center.alibabacloud.com/status/product/Public (via terraform-provider-alicloud, alicloud/common_errors.go)';
const OSS_POST = 'https://www.alibabacloud.com/help/doc-detail/31988.htm (OSS PostObject)';
const OSS_POST_ERRORS =
  'https://www.alibabacloud.com/help/en/oss/how-to-handle-common-errors-when-the-postobject-operation-is-called';

export const ERROR_SOURCES: Readonly<Record<string, ErrorSource>> = {
  // The POP gateway (RPC)
  'InvalidApi.NotFound': { source: POP_COMMON },
  'Missing{ParameterName}': { source: POP_COMMON, note: 'MissingProductKey, MissingAction, …' },
  'InvalidAccessKeyId.NotFound': { source: POP_COMMON, note: 'HTTP 400 there; 404 in document 51132' },
  'InvalidTimeStamp.Format': { source: POP_COMMON },
  'InvalidTimeStamp.Expired': { source: POP_COMMON },
  SignatureDoesNotMatch: {
    source: `https://github.com/NewFuture/DDNS/issues/57 (a real gateway answer); for PostObject ${OSS_POST_ERRORS}`,
  },
  SignatureNonceUsed: {
    source: 'https://developer.aliyun.com/ask/94312 (a real answer)',
    note: 'HTTP status unconfirmed',
  },
  'Throttling.User': {
    source: 'aliyun/darabonba-openapi (csharp Client.cs) treats it as throttling',
    note: 'message and HTTP status unconfirmed',
  },
  InvalidParameter: { source: 'Alibaba OpenAPI error tables (cloud-api.md §2.1 "Other official tables")' },
  InternalError: { source: 'https://www.alibabacloud.com/help/doc-detail/50285.htm' },
  InvalidVersion: 'unconfirmed',
  InvalidSignatureMethod: 'unconfirmed',
  InvalidSignatureVersion: 'unconfirmed',
  'InvalidSecurityToken.Malformed': { source: POP_PUBLIC },
  'InvalidSecurityToken.MismatchWithAccessKey': { source: POP_PUBLIC },
  UnsupportedHTTPMethod: 'unconfirmed',

  // IoT business errors
  'iot.system.SystemException': { source: `${IOT_CODES}; GenerateOTAUploadURL page (seed 000)` },
  'iot.system.InstanceNotFound': { source: IOT_CODES },
  'iot.Sre.IotInstanceNotFound': { source: IOT_CODES },
  'iot.common.InvalidTenant': { source: IOT_CODES },
  'iot.common.InvalidPageParams': { source: IOT_CODES },
  'iot.common.InvalidFormattedParameter': { source: IOT_CODES },
  'iot.check.InvalidFormattedParameter': { source: IOT_CODES },
  'iot.common.RamActionPermissionDeny': { source: IOT_CODES },
  'iot.common.AuthActionPermissionDeny': { source: IOT_CODES },
  'iot.prod.NotExistedProduct': { source: IOT_CODES },
  'iot.prod.InvalidFormattedProductkey': { source: IOT_CODES },
  'iot.prod.NullProductKey': { source: IOT_CODES },
  'iot.device.NotExistedDevice': { source: IOT_CODES },
  'iot.ota.FirmwareNotFound': {
    source:
      'https://alibabacloud.com/help/zh/iot/developer-reference/api-modifyotafirmware; alibabacloud-java-sdk ModifyOTAFirmwareResponseBody',
  },
  'iot.ota.AlreadyExistedFirmwareName': 'unconfirmed',
  'iot.ota.FirmwareCountExceeded': 'unconfirmed',
  'iot.ota.InvalidSrcVersion': 'unconfirmed',
  'iot.ota.InvalidFirmwareUrl': 'unconfirmed',
  'iot.ota.NotExistedModule': 'unconfirmed',
  'iot.ota.MultiFilesNotSupported': 'unconfirmed',
  'iot.ota.DiffNotSupported': 'unconfirmed',
  'iot.ota.FirmwareHasUnfinishedJob': 'unconfirmed',
  'iot.ota.ModuleNameExisted': 'unconfirmed',
  'iot.ota.ModuleCountExceeded': 'unconfirmed',
  'iot.ota.FirmwareNotInProduct': 'unconfirmed',
  'iot.ota.InvalidTargetDeviceCount': 'unconfirmed',
  'iot.ota.DuplicateTargetDevice': 'unconfirmed',
  'iot.ota.FirmwareNoNeedVerify': 'unconfirmed',
  'iot.ota.FirmwareVerifying': 'unconfirmed',
  'iot.ota.FirmwareVerified': 'unconfirmed',
  'iot.ota.DeviceHasUnfinishedTask': 'unconfirmed',
  'iot.ota.JobNotFound': 'unconfirmed',
  'iot.ota.TaskNotFound': 'unconfirmed',
  'iot.ota.TaskStatusNotAllowed': 'unconfirmed',

  // OSS PostObject / GetObject
  AccessDenied: { source: OSS_POST_ERRORS, note: 'also "Policy expired." and failed conditions' },
  InvalidAccessKeyId: { source: OSS_POST_ERRORS },
  InvalidPolicyDocument: { source: OSS_POST_ERRORS },
  InvalidArgument: { source: OSS_POST },
  MalformedPOSTRequest: { source: OSS_POST_ERRORS },
  FieldItemTooLong: { source: OSS_POST_ERRORS },
  IncorrectNumberOfFilesInPOSTRequest: { source: OSS_POST_ERRORS },
  EntityTooLarge: { source: OSS_POST },
  EntityTooSmall: { source: OSS_POST },
  MissingContentLength: { source: OSS_POST_ERRORS },
  RequestIsNotMultiPartContent: { source: 'DOCS-MIRROR intl.en-US Troubleshooting "HTTP 400 status code"' },
  MethodNotAllowed: { source: 'https://github.com/aliyun/aliyun-oss-csharp-sdk/issues/121 (a real answer)' },
  NoSuchKey: 'unconfirmed',

  // The sandbox's own
  'iot.sandbox.DevicesUnavailable': 'sandbox',
  'Sandbox.Busy': 'sandbox',
};

/** Whether a public source gives this exact code (case-insensitive, as the client compares). */
export function isSourcedCode(code: string): boolean {
  const entry = Object.entries(ERROR_SOURCES).find(([c]) => c.toLowerCase() === code.toLowerCase())?.[1];
  return typeof entry === 'object';
}
