/** Explains an InvalidTimeStamp.Expired refusal by how far this computer's clock is off. */
import { text, type Text } from '../i18n/text.js';
import { CloudError, type CloudErrorFields } from './errors.js';

function spanText(minutes: number): Text {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 120) return text(plural(minutes, 'minute'), `${minutes} 分钟`);
  if (minutes < 48 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m === 0
      ? text(plural(h, 'hour'), `${h} 小时`)
      : text(`${plural(h, 'hour')} ${plural(m, 'minute')}`, `${h} 小时 ${m} 分钟`);
  }
  const d = Math.round(minutes / (24 * 60));
  return text(plural(d, 'day'), `${d} 天`);
}

/**
 * What to tell the user when this computer's clock is `skewMs` off the cloud's
 * (local time minus server time: positive means ahead).
 */
export function clockSkewHint(skewMs: number): Text {
  const minutes = Math.round(Math.abs(skewMs) / 60_000);
  const span = spanText(minutes);
  const ahead = skewMs > 0;
  // A whole number of hours (or half hours) off is the signature of a wrong time zone.
  const zone = minutes >= 30 && Math.min(minutes % 30, 30 - (minutes % 30)) <= 2;
  return text(
    `This computer's clock is ${span.en} ${ahead ? 'ahead of' : 'behind'} the cloud's; signed requests are refused when the clocks differ by more than 15 minutes. Set the clock (enable network time)${zone ? ' and check the time zone' : ''}, then try again.`,
    `本机时钟比云端${ahead ? '快' : '慢'} ${span.zh}；时钟相差超过 15 分钟时，签名请求会被拒绝。请校准时钟（开启网络对时）${zone ? '并检查时区设置' : ''}，然后重试。`,
  );
}

/**
 * When the cloud refused a request for its timestamp, replaces the generic hint with one that says
 * how far off this computer's clock is, from the response's `Date` header and the local time it
 * arrived. Any other error, or no usable Date, is returned unchanged.
 */
export function withClockSkew(
  error: CloudError,
  serverDate: string | undefined,
  localNow: number,
): CloudError {
  if (error.code?.toLowerCase() !== 'invalidtimestamp.expired' || serverDate === undefined) return error;
  const server = Date.parse(serverDate);
  if (Number.isNaN(server)) return error;
  const skewMs = localNow - server;
  // The header has one-second resolution; under a minute says nothing about this refusal.
  if (Math.abs(skewMs) < 60_000) return error;
  return new CloudError({ ...fieldsOf(error), hint: clockSkewHint(skewMs) }, { cause: error.cause });
}

function fieldsOf(e: CloudError): CloudErrorFields {
  return {
    kind: e.kind,
    action: e.action,
    status: e.status,
    code: e.code,
    cloudMessage: e.cloudMessage,
    requestId: e.requestId,
    hint: e.hint,
  };
}
