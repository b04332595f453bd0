import { isLoopbackHost } from './target.js';
import { text } from '../i18n/text.js';
import type { CloudTarget } from './target.js';
import { CloudError } from './errors.js';

/** OSS endpoints: `bucket.oss-<region>[-internal].aliyuncs.com`, `oss-accelerate.aliyuncs.com`, … */
const OSS_HOST = /(^|\.)oss-[a-z0-9-]+\.aliyuncs\.com$/;

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Where a GenerateOTAUploadURL answer may send the file. The answer is untrusted: the file goes
 * only to https on an OSS domain or — when the target itself is on this machine (the sandbox, or
 * a local proxy in front of a cloud) — to this machine. Returns the refusal, or undefined.
 */
export function uploadHostRefusal(host: string, target: CloudTarget): CloudError | undefined {
  const url = parse(host);
  const local = isLoopbackHost(parse(target.endpoint)?.hostname ?? '');
  const allowed =
    url !== undefined &&
    !url.username &&
    !url.password &&
    ((url.protocol === 'https:' && OSS_HOST.test(url.hostname)) || (local && isLoopbackHost(url.hostname)));
  if (allowed) return undefined;
  const asked = host.length > 200 ? `${host.slice(0, 200)}…` : host;
  const rule = local
    ? text(
        'https on an OSS domain (*.aliyuncs.com) or this machine',
        '使用 https 的 OSS 域名（*.aliyuncs.com）或本机',
      )
    : text('https on an OSS domain (*.aliyuncs.com)', '使用 https 的 OSS 域名（*.aliyuncs.com）');
  return new CloudError({
    kind: 'rejected',
    action: 'GenerateOTAUploadURL',
    code: 'UploadHostRefused',
    hint: text(
      `The cloud asked for the file to be uploaded to "${asked}", which is not ${rule.en}. Nothing of the file was sent. Check the profile's endpoint: it may not be the IoT Platform.`,
      `云端要求将文件上传到“${asked}”，但它不是${rule.zh}。文件未发送任何字节。请检查配置的 Endpoint：它可能不是物联网平台。`,
    ),
  });
}
