/**
 * The error-code catalogue (sandbox/error-sources.ts) against the sources: every code the sandbox
 * answers with is listed, nothing listed is unused, and the client (cloud/, publish/) names no code
 * without a public source, so it never branches on a guess.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_SOURCES, isSourcedCode } from '../../../electron/core/sandbox/error-sources.js';

const ROOT = join(__dirname, '../../..');

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(ROOT, dir, f))
    .map((file) => ({ file: relative(ROOT, file), text: readFileSync(file, 'utf8') }));
}

const sandbox = sources('electron/core/sandbox').filter((s) => !s.file.endsWith('error-sources.ts'));
const client = [...sources('electron/core/cloud'), ...sources('electron/core/publish')];

/** `const NAME = 'value'` across the sandbox, for codes passed by constant. */
const constants = new Map(
  sandbox.flatMap(({ text }) =>
    [...text.matchAll(/\bconst ([A-Z][A-Z0-9_]*) = '([^']+)'/g)].map((m) => [m[1]!, m[2]!]),
  ),
);

/** The codes the sandbox answers with: businessError/gatewayError arguments and `code:` fields. */
function sandboxCodes(): Map<string, string> {
  const found = new Map<string, string>();
  const uses =
    /(?:businessError\(\s*|gatewayError\(\s*\d+\s*,\s*|\b[cC]ode:\s*)(?:'([^']+)'|([A-Z][A-Z0-9_]*)\b)/g;
  for (const { file, text } of sandbox) {
    for (const m of text.matchAll(uses)) {
      const code = m[1] ?? constants.get(m[2]!);
      if (code === undefined || /^\d+$/.test(code)) continue; // an MQTT result code, not an error
      found.set(code, file);
    }
    if (/`Missing\$\{/.test(text)) found.set('Missing{ParameterName}', file);
  }
  return found;
}

describe('error-code sources', () => {
  it('lists every code the sandbox answers with', () => {
    const used = sandboxCodes();
    expect(used.size).toBeGreaterThan(40);
    const missing = [...used].filter(([code]) => !(code in ERROR_SOURCES)).map(([c, f]) => `${c} (${f})`);
    expect(missing).toEqual([]);
  });

  it('lists no code that neither the sandbox nor the client uses', () => {
    const used = sandboxCodes();
    const everywhere = [...sandbox, ...client].map((s) => s.text).join('\n');
    const stale = Object.keys(ERROR_SOURCES).filter((c) => !used.has(c) && !everywhere.includes(`'${c}'`));
    expect(stale).toEqual([]);
  });

  it('only iot.ota.FirmwareNotFound of the iot.ota codes has a public source', () => {
    const ota = Object.keys(ERROR_SOURCES).filter((c) => c.startsWith('iot.ota.'));
    expect(ota.filter(isSourcedCode)).toEqual(['iot.ota.FirmwareNotFound']);
  });

  it('the client names no unconfirmed or sandbox-only code, and no IoT code missing from the table', () => {
    const listed = new Map(Object.keys(ERROR_SOURCES).map((c) => [c.toLowerCase(), c]));
    const offending: string[] = [];
    for (const { file, text } of client) {
      for (const m of text.matchAll(/'([A-Za-z][\w.]*)'|"([A-Za-z][\w.]*)"/g)) {
        const literal = m[1] ?? m[2]!;
        const known = listed.get(literal.toLowerCase());
        const iotCode = /^iot\.\w+\.\w+$/i.test(literal);
        if ((known !== undefined && !isSourcedCode(known)) || (iotCode && known === undefined)) {
          offending.push(`${literal} in ${file}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });

  it('would catch a client branching on an unconfirmed code', () => {
    expect(isSourcedCode('iot.ota.AlreadyExistedFirmwareName')).toBe(false);
    expect(isSourcedCode('Sandbox.Busy')).toBe(false);
    expect(isSourcedCode('iot.ota.firmwarenotfound')).toBe(true);
  });
});
