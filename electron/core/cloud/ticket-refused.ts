/**
 * OSS refusing a PostObject's credentials. The OSSAccessKeyId, policy and Signature of a PostObject
 * come from the upload ticket GenerateOTAUploadURL handed out, not from the user's AccessKey: so a
 * `SignatureDoesNotMatch` or `InvalidAccessKeyId` there says nothing about the profile's secret.
 */
import { text, type Text } from '../i18n/text.js';

/** The OSS codes that refuse a PostObject's OSSAccessKeyId or Signature (the ticket's fields). */
const TICKET_CODES: ReadonlySet<string> = new Set([
  'signaturedoesnotmatch',
  'invalidaccesskeyid',
  'invalidaccesskeyid.notfound',
  'invalidaccesskeyid.inactive',
]);

export const TICKET_REFUSED_HINT: Text = text(
  'The storage service refused the upload ticket (its key ID, policy and signature come from GenerateOTAUploadURL, not from your AccessKey); a fresh ticket is requested.',
  '存储服务拒绝了上传凭证（其 Key ID、策略和签名由 GenerateOTAUploadURL 下发，与您的 AccessKey 无关）；将重新获取上传凭证。',
);

export const TICKET_REFUSED_AGAIN_HINT: Text = text(
  'The storage service refused a fresh upload ticket too. Your AccessKey is not at fault: the ticket comes from the cloud. Either the cloud hands out tickets its storage does not accept (try again later; if it persists, contact the cloud’s support with the RequestId), or a proxy or security gateway between this computer and the storage service rewrites the upload (its form fields or body): try without it, or ask its administrator to pass uploads to *.aliyuncs.com through unchanged.',
  '重新获取的上传凭证同样被存储服务拒绝。这与您的 AccessKey 无关：上传凭证由云端下发。可能是云端下发了其存储服务不接受的凭证（请稍后重试；如持续出现，请携带 RequestId 联系云端技术支持），也可能是本机与存储服务之间的代理或安全网关改写了上传请求（表单字段或内容）：请绕过该代理重试，或请其管理员对 *.aliyuncs.com 的上传请求原样放行。',
);

/** Whether OSS answered a PostObject with a refusal of the ticket's key ID or signature. */
export function isTicketCode(action: string, code: string): boolean {
  return action === 'PostObject' && TICKET_CODES.has(code.toLowerCase());
}

export function isTicketRefusal(error: { readonly action: string; readonly code?: string }): boolean {
  return isTicketCode(error.action, error.code ?? '');
}
