/** OSS error bodies: `<Error><Code>…</Code><Message>…</Message><RequestId>…</RequestId>…</Error>`. */

export interface OssErrorBody {
  readonly code?: string;
  readonly message?: string;
  readonly requestId?: string;
}

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

function element(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  const v = m?.[1]?.trim();
  return v ? decode(v.replace(/^<!\[CDATA\[([\s\S]*)\]\]>$/, '$1')) : undefined;
}

/** Reads Code, Message and RequestId from an OSS XML error body; a non-XML body gives `{}`. */
export function parseOssError(body: string): OssErrorBody {
  const inner = /<Error>([\s\S]*)<\/Error>/.exec(body)?.[1];
  if (inner === undefined) return {};
  return {
    code: element(inner, 'Code'),
    message: element(inner, 'Message'),
    requestId: element(inner, 'RequestId'),
  };
}
