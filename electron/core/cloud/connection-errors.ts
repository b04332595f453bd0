/**
 * Connection failures that waiting will not fix (TLS trust, proxy refusals), told apart from a
 * plain outage so the outbox stops and explains instead of retrying as if offline.
 */
import { text, type Text } from '../i18n/text.js';
import type { CloudErrorFields } from './error-kind.js';

/** Node's codes for a server certificate this computer does not trust. */
const TLS_UNTRUSTED = [
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
];

interface ConnectionRule {
  readonly match: (code: string, message: string) => boolean;
  readonly hint: Text;
}

/** hpagent reports a refused proxy CONNECT as `Bad response: <status>`. */
const proxyStatus = (message: string): number | undefined => {
  const m = /^Bad response: (\d{3})$/.exec(message);
  return m ? Number(m[1]) : undefined;
};

/**
 * A TLS verification failure happens before any request byte is sent, and a proxy's 4xx answer to
 * CONNECT is policy: retrying cannot help, so these are `rejected` (stop and tell the user), never
 * `network` (which the outbox treats as "offline, wait and retry").
 */
const CONNECTION_RULES: readonly ConnectionRule[] = [
  {
    match: (code) => TLS_UNTRUSTED.includes(code),
    hint: text(
      "The server's certificate is not trusted by this computer. If your company inspects HTTPS traffic (a TLS-intercepting proxy or firewall), install its root CA certificate in the operating system's certificate store (desktop app), or set NODE_EXTRA_CA_CERTS to that certificate's PEM file and start ota-publish again (command line).",
      '本机不信任服务器的证书。如果公司网络会检查 HTTPS 流量（TLS 拦截代理或防火墙），请将公司根 CA 证书安装到操作系统的证书存储中（桌面应用），或将 NODE_EXTRA_CA_CERTS 设置为该证书的 PEM 文件路径后重新运行 ota-publish（命令行）。',
    ),
  },
  {
    match: (code) => code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID',
    hint: text(
      "The server's certificate is expired or not yet valid. Check this computer's date and time first; if they are right, the server or an HTTPS-inspecting proxy presents an outdated certificate: tell your IT department.",
      '服务器证书已过期或尚未生效。请先检查本机的日期和时间；如果时间正确，说明服务器或 HTTPS 检查代理使用了过期证书，请联系 IT 部门。',
    ),
  },
  {
    match: (code) => code === 'ERR_TLS_CERT_ALTNAME_INVALID',
    hint: text(
      "The server's certificate is for a different host name. Check the endpoint address; if it is right, an HTTPS-inspecting proxy may be in the way: tell your IT department.",
      '服务器证书与主机名不符。请检查接入地址；如果地址正确，可能是 HTTPS 检查代理造成的，请联系 IT 部门。',
    ),
  },
  {
    // 407 is the standard answer; some proxies (tinyproxy) answer CONNECT with 401.
    match: (_code, message) => proxyStatus(message) === 407 || proxyStatus(message) === 401,
    hint: text(
      'The proxy requires a user name and password. Put them in the proxy URL (HTTPS_PROXY=http://user:password@proxy:port, URL-encoding special characters) or ask your IT department.',
      '代理服务器需要用户名和密码。请将其写入代理地址（HTTPS_PROXY=http://用户名:密码@代理:端口，特殊字符需 URL 编码），或联系 IT 部门。',
    ),
  },
  {
    match: (_code, message) => {
      const status = proxyStatus(message);
      return status !== undefined && status >= 400 && status < 500;
    },
    hint: text(
      'The proxy refused to connect to the cloud. Ask your IT department to allow HTTPS to the IoT endpoint and to the OSS upload host, or add them to NO_PROXY if they are reachable directly.',
      '代理服务器拒绝连接云端。请联系 IT 部门放行到物联网接入点和 OSS 上传地址的 HTTPS 访问；如果可以直连，请将它们加入 NO_PROXY。',
    ),
  },
];

/** The error fields for a connection failure waiting will not fix, or undefined for a plain outage. */
export function connectionFailure(cause: unknown): Omit<CloudErrorFields, 'action'> | undefined {
  if (!(cause instanceof Error)) return undefined;
  const code = (cause as { code?: unknown }).code;
  const codeText = typeof code === 'string' ? code : '';
  const rule = CONNECTION_RULES.find((r) => r.match(codeText, cause.message));
  if (!rule) return undefined;
  const status = proxyStatus(cause.message);
  return {
    kind: 'rejected',
    code: status !== undefined ? `Proxy${status}` : codeText,
    cloudMessage: status !== undefined ? `the proxy answered CONNECT with HTTP ${status}` : cause.message,
    hint: rule.hint,
  };
}
