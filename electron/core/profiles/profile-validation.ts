/**
 * Rules a profile must satisfy before it is saved. Pure (no I/O, no node: imports) so the renderer can
 * check a form as the user types. Messages never quote a secret.
 */
import { isLoopbackHost } from '../cloud/target.js';
import { text, type Text } from '../i18n/text.js';
import { checkInstanceId } from '../publish/field-rules.js';
import { type ValidationIssue } from '../validation-issue.js';
import { PROVIDERS, SANDBOX_PROFILE, type Provider, type ProfileInput } from './profile.js';
import { regionById } from '../cloud/regions.js';

export type { ValidationIssue } from '../validation-issue.js';

const NAME_MAX = 64;
/** Letters of any script (Chinese names are fine), digits, `.`, `_`, `-` and inner spaces. */
const NAME_CHARS = /^[\p{L}\p{N}._ -]+$/u;
/** AccessKey IDs are printable ASCII without spaces (Alibaba: `LTAI…`, Tuya: 24 letters and digits). */
const ACCESS_KEY_ID = /^[\x21-\x7e]{1,128}$/;
const SECRET_MAX = 256;
/** A scheme at the start of an endpoint; the Tuya console shows endpoints without one. */
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** An Alibaba Cloud endpoint names its region: iot.<region>.aliyuncs.com. */
const ALIYUN_HOST = /^iot\.([a-z0-9-]+)\.aliyuncs\.com$/;

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).hostname;
  } catch {
    return '';
  }
}

const issue = (field: string, rule: string, message: Text): ValidationIssue => ({ field, rule, message });

/** Form fields may hold anything at run time (JSON from IPC, flags). */
function asString(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function optional(value: unknown): string | undefined {
  const s = asString(value);
  return s === '' ? undefined : s;
}

/**
 * Trims every field, drops empty optional ones, adds `https://` to a bare `host:port` endpoint and
 * reduces an endpoint URL to its origin. Apply before validating and saving.
 */
export function normaliseProfileInput(input: ProfileInput): ProfileInput {
  let endpoint = optional(input.endpoint);
  if (endpoint !== undefined && !HAS_SCHEME.test(endpoint)) endpoint = `https://${endpoint}`;
  if (endpoint !== undefined) {
    try {
      const url = new URL(endpoint);
      // Only a bare origin (optionally with "/") is reduced; anything else is kept for validation to reject.
      const web = url.protocol === 'https:' || url.protocol === 'http:';
      if (web && url.pathname === '/' && !url.search && !url.hash && !url.username) {
        endpoint = url.origin;
      }
    } catch {
      // Kept as typed; validateProfile reports it.
    }
  }
  const provider = asString(input.provider) as Provider;
  let regionId = optional(input.regionId);
  if (provider === 'aliyun' && regionId === undefined && endpoint !== undefined) {
    regionId = ALIYUN_HOST.exec(hostOf(endpoint))?.[1];
  }
  return {
    name: asString(input.name),
    provider,
    accessKeyId: asString(input.accessKeyId),
    regionId,
    instanceId: optional(input.instanceId),
    endpoint,
  };
}

function checkName(name: string): ValidationIssue | undefined {
  if (name === '') return issue('name', 'required', text('Give the profile a name.', '请填写配置名称。'));
  if ([...name].length > NAME_MAX) {
    return issue(
      'name',
      'max-length',
      text(`A profile name has at most ${NAME_MAX} characters.`, `配置名称最多 ${NAME_MAX} 个字符。`),
    );
  }
  if (!NAME_CHARS.test(name)) {
    return issue(
      'name',
      'charset',
      text(
        'A profile name may contain letters (Chinese too), digits, spaces, ".", "_" and "-".',
        '配置名称只能包含字母（含中文）、数字、空格、“.”、“_”和“-”。',
      ),
    );
  }
  if (name.toLowerCase() === SANDBOX_PROFILE) {
    return issue(
      'name',
      'reserved',
      text(
        `"${SANDBOX_PROFILE}" is the built-in sandbox; choose another name.`,
        `“${SANDBOX_PROFILE}”是内置沙箱的名称，请换一个名称。`,
      ),
    );
  }
  return undefined;
}

function checkAccessKeyId(id: string): ValidationIssue | undefined {
  if (id === '') {
    return issue('accessKeyId', 'required', text('Give the AccessKey ID.', '请填写 AccessKey ID。'));
  }
  if (!ACCESS_KEY_ID.test(id)) {
    return issue(
      'accessKeyId',
      'charset',
      text(
        'The AccessKey ID has no spaces and at most 128 characters (letters, digits and punctuation).',
        'AccessKey ID 不能包含空格，最多 128 个字符（字母、数字和标点）。',
      ),
    );
  }
  return undefined;
}

/** https with a host, or plain http to this machine (the sandbox); no path, query or user info. */
function checkEndpoint(endpoint: string): ValidationIssue | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return issue(
      'endpoint',
      'url',
      text(
        'The endpoint is not a URL; give it as https://host:port, e.g. https://si-….tuyacloud.com:8686.',
        'Endpoint 不是有效的 URL，请按 https://主机:端口 填写，例如 https://si-….tuyacloud.com:8686。',
      ),
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return issue(
      'endpoint',
      'https',
      text(
        'The endpoint must use https:// (plain http is allowed only for this machine, e.g. the sandbox).',
        'Endpoint 必须使用 https://（仅本机地址，如沙箱，可使用 http）。',
      ),
    );
  }
  if (url.hostname === '' || url.username || url.password || url.search || url.hash || url.pathname !== '/') {
    return issue(
      'endpoint',
      'origin',
      text(
        'Give only the scheme, host and port of the endpoint (no path, query or user name).',
        'Endpoint 只需填写协议、主机和端口（不含路径、查询参数或用户名）。',
      ),
    );
  }
  return undefined;
}

function checkAliyun(input: ProfileInput, issues: ValidationIssue[]): void {
  // With an endpoint override the region defaults to the host's (iot.<region>…) or cn-shanghai.
  if (input.regionId === undefined) {
    if (input.endpoint === undefined) {
      issues.push(issue('regionId', 'required', text('Choose a region.', '请选择地域。')));
    }
  } else if (!regionById(input.regionId)) {
    issues.push(
      issue(
        'regionId',
        'one-of',
        text(
          'IoT Platform does not offer this region; choose one from the list (e.g. cn-shanghai).',
          '物联网平台不提供该地域，请从列表中选择（例如 cn-shanghai）。',
        ),
      ),
    );
  }
  // The publish rule for IotInstanceId, with a message that says where to copy it from.
  if (input.instanceId !== undefined && checkInstanceId(input.instanceId) !== undefined) {
    issues.push(
      issue(
        'instanceId',
        'format',
        text(
          'An IotInstanceId looks like iot-cn-0pp1n8t… or iot-06z00…: copy it from the instance overview page in the IoT Platform console.',
          'IotInstanceId 形如 iot-cn-0pp1n8t… 或 iot-06z00…，请从物联网平台控制台的实例概览页复制。',
        ),
      ),
    );
  }
  if (input.endpoint !== undefined) {
    const found = checkEndpoint(input.endpoint);
    if (found) issues.push(found);
  }
}

function checkTuya(input: ProfileInput, issues: ValidationIssue[]): void {
  if (input.endpoint === undefined) {
    issues.push(
      issue(
        'endpoint',
        'required',
        text(
          'The Tuya-hosted service needs its API endpoint (console: Development Configuration > Cloud API), e.g. https://si-….tuyacloud.com:8686.',
          '涂鸦托管服务需要填写 API Endpoint（控制台「开发配置」>「云端 API」），例如 https://si-….tuyacloud.com:8686。',
        ),
      ),
    );
  } else {
    const found = checkEndpoint(input.endpoint);
    if (found) issues.push(found);
  }
  for (const field of ['regionId', 'instanceId'] as const) {
    if (input[field] !== undefined) {
      issues.push(
        issue(
          field,
          'not-applicable',
          text(
            `${field} applies to Alibaba Cloud only; the Tuya-hosted service has none.`,
            `${field} 仅适用于阿里云，涂鸦托管服务没有该项。`,
          ),
        ),
      );
    }
  }
}

/**
 * Every rule a profile breaks (empty when it may be saved). Give it a normalised input
 * (normaliseProfileInput). The sandbox provider is built in and cannot be saved.
 */
export function validateProfile(input: ProfileInput): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const name = checkName(input.name);
  if (name) issues.push(name);
  if (!PROVIDERS.includes(input.provider)) {
    issues.push(
      issue('provider', 'one-of', text('Choose Alibaba Cloud or Tuya-hosted.', '请选择阿里云或涂鸦托管。')),
    );
    return issues;
  }
  if (input.provider === 'sandbox') {
    issues.push(
      issue(
        'provider',
        'reserved',
        text('The sandbox is built in and needs no profile.', '沙箱为内置功能，无需创建配置。'),
      ),
    );
    return issues;
  }
  const id = checkAccessKeyId(input.accessKeyId);
  if (id) issues.push(id);
  if (input.provider === 'aliyun') checkAliyun(input, issues);
  else checkTuya(input, issues);
  return issues;
}

/**
 * Rules for an AccessKey secret as typed. The messages describe the problem without quoting the value.
 * `required` is false when editing a profile that keeps its stored secret.
 */
export function validateSecret(secret: string | undefined, required: boolean): ValidationIssue[] {
  if (secret === undefined || secret === '') {
    return required
      ? [issue('secret', 'required', text('Give the AccessKey secret.', '请填写 AccessKey Secret。'))]
      : [];
  }
  if (/[\s\p{Cc}\p{Cf}]/u.test(secret)) {
    return [
      issue(
        'secret',
        'charset',
        text(
          'The AccessKey secret contains a space, line break or invisible character; paste it again without them.',
          'AccessKey Secret 中含有空格、换行或不可见字符，请去掉后重新粘贴。',
        ),
      ),
    ];
  }
  if (secret.length > SECRET_MAX) {
    return [
      issue(
        'secret',
        'max-length',
        text(
          `The AccessKey secret is longer than ${SECRET_MAX} characters; check what was pasted.`,
          `AccessKey Secret 超过 ${SECRET_MAX} 个字符，请检查粘贴的内容。`,
        ),
      ),
    ];
  }
  return [];
}

/**
 * STS SecurityTokens run to a few thousand characters (longer with session policies); 16,384 is
 * well beyond any seen and keeps a pasted file out of every request.
 */
const SECURITY_TOKEN_MAX = 16_384;

/** An optional STS SecurityToken: one unbroken string, stored only with the secret it was issued with. */
export function validateSecurityToken(
  token: string | undefined,
  secret: string | undefined,
): ValidationIssue[] {
  if (token === undefined || token === '') return [];
  if (secret === undefined || secret === '') {
    return [
      issue(
        'securityToken',
        'needs-secret',
        text(
          'An STS security token comes with its temporary AccessKey secret: enter both.',
          'STS 安全令牌与其临时 AccessKey Secret 一同签发：请同时填写两者。',
        ),
      ),
    ];
  }
  const format = securityTokenFormatIssue(token);
  return format ? [format] : [];
}

/** The format rules of an STS token wherever it comes from (form, stdin, flag, environment). */
export function securityTokenFormatIssue(token: string): ValidationIssue | undefined {
  if (/[\s\p{Cc}\p{Cf}]/u.test(token)) {
    return issue(
      'securityToken',
      'charset',
      text(
        'The STS security token contains a space, line break or invisible character; paste it again without them.',
        'STS 安全令牌中含有空格、换行或不可见字符，请去掉后重新粘贴。',
      ),
    );
  }
  if (token.length > SECURITY_TOKEN_MAX) {
    return issue(
      'securityToken',
      'max-length',
      text(
        `The STS security token is longer than ${SECURITY_TOKEN_MAX} characters; check what was pasted.`,
        `STS 安全令牌超过 ${SECURITY_TOKEN_MAX} 个字符，请检查粘贴的内容。`,
      ),
    );
  }
  return undefined;
}
