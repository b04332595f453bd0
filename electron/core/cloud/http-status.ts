/**
 * An error answer that is not the IoT API's JSON: a gateway, proxy or load balancer answered. All
 * there is to go on is the HTTP status, so say what it means and what to do.
 */
import { text, type Text } from '../i18n/text.js';
import { CloudError } from './errors.js';

const MEANINGS: Readonly<Record<number, Text>> = {
  400: text(
    'Bad Request: something on the way could not read the request.',
    'Bad Request：途中的网关或代理无法解析该请求。',
  ),
  401: text(
    'Unauthorized: something on the way (not the IoT API) asks for a login.',
    'Unauthorized：途中的网关或代理（而非物联网接口）要求登录。',
  ),
  403: text(
    'Forbidden: a firewall or proxy on the way refused the request. Ask its administrator to allow the endpoint.',
    'Forbidden：途中的防火墙或代理拒绝了请求。请联系其管理员放行该接入点。',
  ),
  404: text(
    'Not Found: the endpoint is not the IoT API. Check the endpoint URL in the profile.',
    'Not Found：该接入点不是物联网接口。请检查配置中的接入点地址。',
  ),
  407: text(
    'Proxy Authentication Required: put the proxy’s user and password in the proxy setting.',
    'Proxy Authentication Required：请在代理设置中填写代理的用户名和密码。',
  ),
  408: text('Request Timeout: the request was too slow to arrive.', 'Request Timeout：请求到达太慢。'),
  413: text(
    'Content Too Large: a gateway or proxy on the way refuses a request body this large.',
    'Content Too Large：途中的网关或代理拒绝了这么大的请求体。',
  ),
  414: text(
    'URI Too Long: the request’s URL is longer than a gateway or proxy on the way accepts. Shorten the longest field (Udi or the description).',
    'URI Too Long：请求的 URL 超过途中网关或代理接受的长度。请缩短最长的字段（Udi 或描述）。',
  ),
  429: text(
    'Too Many Requests: a gateway on the way is limiting the rate; the call is retried later.',
    'Too Many Requests：途中的网关在限流，稍后会自动重试。',
  ),
  431: text(
    'Request Header Fields Too Large: the request’s headers or URL are larger than a gateway or proxy on the way accepts. Shorten the longest field (Udi or the description).',
    'Request Header Fields Too Large：请求头或 URL 超过途中网关或代理接受的大小。请缩短最长的字段（Udi 或描述）。',
  ),
  502: text(
    'Bad Gateway: a proxy or gateway on the way could not reach the cloud; the call is retried later.',
    'Bad Gateway：途中的代理或网关无法连接云端，稍后会自动重试。',
  ),
  503: text(
    'Service Unavailable: the service or a gateway on the way is overloaded or down; the call is retried later.',
    'Service Unavailable：服务或途中的网关过载或停机，稍后会自动重试。',
  ),
  504: text(
    'Gateway Timeout: a proxy or gateway on the way got no answer from the cloud in time; the call is retried later.',
    'Gateway Timeout：途中的代理或网关未能及时得到云端应答，稍后会自动重试。',
  ),
};

const OTHER_CLIENT_ERROR = text(
  'Something on the way (a gateway or proxy, not the IoT API) refused the request. Check the endpoint and the proxy.',
  '途中的网关或代理（而非物联网接口）拒绝了请求。请检查接入点和代理。',
);
const OTHER_SERVER_ERROR = text(
  'A gateway or server on the way failed; the call is retried later.',
  '途中的网关或服务器出错，稍后会自动重试。',
);

/** What an HTTP error status means when no IoT API error came with it (EN + ZH). */
export function statusMeaning(status: number): Text {
  return MEANINGS[status] ?? (status >= 500 ? OTHER_SERVER_ERROR : OTHER_CLIENT_ERROR);
}

/** The CloudError for an error status whose body is not the IoT API's JSON. */
export function nonJsonErrorAnswer(action: string, status: number, retryAfterMs?: number): CloudError {
  const meaning = statusMeaning(status);
  const kind = status === 429 ? 'throttled' : status >= 500 ? 'unavailable' : 'rejected';
  return new CloudError({
    kind,
    action,
    status,
    cloudMessage: 'The answer is not the IoT API’s JSON: a gateway or proxy on the way answered.',
    hint: text(`HTTP ${status} ${meaning.en}`, `HTTP ${status} ${meaning.zh}`),
    retryAfterMs,
  });
}
