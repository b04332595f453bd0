/**
 * The publish recipe (`*.otapub`): JSON a build script writes next to its output so that a
 * double-click (or `ota-publish publish --recipe FILE`) publishes it with the fields filled in.
 *
 *   { "otapub": 1, "product": "a1SandboxPK", "name": "cam-2.1.0", "version": "2.1.0",
 *     "module": "camera", "type": "full", "srcVersion": "2.0.0", "signMethod": "SHA256",
 *     "udi": "{\"ota_notice\":\"…\"}", "description": "…", "needToVerify": true,
 *     "files": ["cam-2.1.0.bin", { "path": "extra/boot.bin", "name": "bootloader" }],
 *     "profile": "factory" }
 *
 * Every field is optional; relative file paths are relative to the recipe's folder. A recipe is
 * read leniently: a field of the wrong type is left out and reported, never fatal, because the
 * user can still fix it in the wizard.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { text, type Text } from '../i18n/text.js';
import type { FirmwareFileSpec, FirmwareSpec } from '../publish/spec.js';

export const RECIPE_EXTENSION = '.otapub';
/** A recipe is a few hundred bytes; refuse anything absurd before reading it. */
const MAX_RECIPE_BYTES = 1024 * 1024;

export interface Recipe {
  readonly spec: Partial<Omit<FirmwareSpec, 'files'>>;
  /** Absolute paths. */
  readonly files: readonly FirmwareFileSpec[];
  readonly profile?: string;
  readonly problems: readonly Text[];
}

type Field = keyof Omit<FirmwareSpec, 'files'>;

/** Recipe keys that are plain strings, and the spec field each fills. */
const STRINGS: Readonly<Record<string, Field>> = {
  product: 'productKey',
  name: 'firmwareName',
  version: 'destVersion',
  module: 'moduleName',
  srcVersion: 'srcVersion',
  description: 'desc',
};
const OTHER_KEYS = new Set(['otapub', 'type', 'signMethod', 'udi', 'needToVerify', 'files', 'profile']);

const wrongType = (key: string, expected: string): Text =>
  text(
    `Recipe field "${key}" must be ${expected}; it was ignored.`,
    `配方字段“${key}”必须是${expected}，已忽略。`,
  );

function parseFiles(raw: unknown, folder: string, problems: Text[]): FirmwareFileSpec[] {
  if (!Array.isArray(raw)) {
    problems.push(wrongType('files', 'a list of file paths'));
    return [];
  }
  return raw.flatMap((entry, i): FirmwareFileSpec[] => {
    const item =
      typeof entry === 'string' ? { path: entry } : (entry as { path?: unknown; name?: unknown } | null);
    if (
      typeof item?.path !== 'string' ||
      item.path === '' ||
      (item.name !== undefined && typeof item.name !== 'string')
    ) {
      problems.push(wrongType(`files[${i}]`, 'a path or { "path", "name" }'));
      return [];
    }
    const path = resolve(folder, item.path);
    return [item.name === undefined ? { path } : { path, name: item.name as string }];
  });
}

/** Reads a recipe's JSON text; `recipePath` anchors relative file paths. */
export function parseRecipe(json: string, recipePath: string): Recipe {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    const why = (error as Error).message;
    return {
      spec: {},
      files: [],
      problems: [text(`The recipe is not valid JSON (${why}).`, `配方不是有效的 JSON（${why}）。`)],
    };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      spec: {},
      files: [],
      problems: [text('The recipe must be a JSON object.', '配方必须是 JSON 对象。')],
    };
  }
  const r = raw as Record<string, unknown>;
  const problems: Text[] = [];
  const spec: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(r)) {
    const field = STRINGS[key];
    if (field) {
      if (typeof value === 'string') spec[field] = value;
      else problems.push(wrongType(key, 'text'));
    } else if (!OTHER_KEYS.has(key)) {
      problems.push(text(`Unknown recipe field "${key}" was ignored.`, `未知的配方字段“${key}”已忽略。`));
    }
  }
  if (r.otapub !== undefined && r.otapub !== 1) {
    problems.push(
      text(
        'This recipe was written for a newer OTA Publisher ("otapub" is not 1).',
        '此配方来自更新版本的 OTA Publisher（"otapub" 不是 1）。',
      ),
    );
  }
  if (r.type !== undefined) {
    if (r.type === 'full' || r.type === 'diff') spec.type = r.type;
    else problems.push(wrongType('type', '"full" or "diff"'));
  }
  if (r.signMethod !== undefined) {
    const m = typeof r.signMethod === 'string' ? r.signMethod.toUpperCase() : '';
    if (m === 'MD5' || m === 'SHA256') spec.signMethod = m;
    else problems.push(wrongType('signMethod', '"MD5" or "SHA256"'));
  }
  if (r.udi !== undefined) {
    // Udi is usually JSON for the device; a recipe may hold it as an object for readability.
    if (typeof r.udi === 'string') spec.udi = r.udi;
    else if (typeof r.udi === 'object' && r.udi !== null) spec.udi = JSON.stringify(r.udi);
    else problems.push(wrongType('udi', 'text or a JSON object'));
  }
  if (r.needToVerify !== undefined) {
    if (typeof r.needToVerify === 'boolean') spec.needToVerify = r.needToVerify;
    else problems.push(wrongType('needToVerify', 'true or false'));
  }
  let profile: string | undefined;
  if (r.profile !== undefined) {
    if (typeof r.profile === 'string' && r.profile !== '') profile = r.profile;
    else problems.push(wrongType('profile', 'a profile name'));
  }
  const files = r.files === undefined ? [] : parseFiles(r.files, dirname(resolve(recipePath)), problems);
  return { spec: spec as Recipe['spec'], files, profile, problems };
}

/** Reads and parses the recipe at `path`; an unreadable file is a problem, not a throw. */
export async function readRecipe(path: string): Promise<Recipe> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_RECIPE_BYTES)
      throw new Error(info.isFile() ? 'larger than 1 MB' : 'not a file');
    return parseRecipe(await readFile(path, 'utf8'), path);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return {
      spec: {},
      files: [],
      problems: [text(`The recipe "${path}" cannot be read (${why}).`, `无法读取配方“${path}”（${why}）。`)],
    };
  }
}

/** Whether `path` names a recipe (by its extension). */
export function isRecipe(path: string): boolean {
  return path.toLowerCase().endsWith(RECIPE_EXTENSION);
}
