/**
 * What a recipe's text says: its JSON checked leniently with the shape checker, so a field of the
 * wrong type is left out and reported (in both languages), never fatal, because the user can still
 * fix it in the wizard. Its files are resolved afterwards, by recipe.ts.
 */
import { text, type Text } from '../i18n/text.js';
import {
  array,
  bool,
  check,
  described,
  either,
  guard,
  map,
  object,
  oneOf,
  optional,
  refine,
  str,
  type Problem,
} from '../shape/index.js';
import type { FirmwareSpec } from './spec.js';

/** Editors on Windows like to start UTF-8 files with a byte-order mark; JSON.parse does not. */
const BOM = '\uFEFF';

/** The spec fields a recipe can fill (everything but the files). */
export type RecipeFields = Partial<Omit<FirmwareSpec, 'files'>>;

/** A recipe's file as written in it: a path relative to the recipe, maybe with a MultiFiles name. */
export interface RecipeEntry {
  readonly path: string;
  readonly name?: string;
}

/** What a recipe's text says, before any of its files is looked at. */
export interface ParsedRecipe {
  readonly spec: RecipeFields;
  readonly entries: readonly RecipeEntry[];
  readonly profile?: string;
  /** Bench devices to verify on once published (the app preselects them, the CLI verifies). */
  readonly verifyOn?: readonly string[];
  readonly problems: readonly Text[];
}

/** A recipe as written: every field optional, named as in the file. */
interface RecipeJson {
  readonly otapub?: 1;
  readonly product?: string;
  readonly name?: string;
  readonly version?: string;
  readonly module?: string;
  readonly type?: FirmwareSpec['type'];
  readonly srcVersion?: string;
  readonly signMethod?: FirmwareSpec['signMethod'];
  readonly udi?: string;
  readonly description?: string;
  readonly needToVerify?: boolean;
  readonly profile?: string;
  readonly verifyOn?: readonly string[];
  readonly files?: readonly RecipeEntry[];
}

const plainText = described('text', str());
const filled = refine(str(), (s) => s !== '', 'a non-empty string');

const isSignMethod = (v: unknown): v is string =>
  typeof v === 'string' && /^(MD5|SHA256)$/.test(v.toUpperCase());
const signMethod = map(
  guard('"MD5" or "SHA256"', isSignMethod),
  (s) => s.toUpperCase() as FirmwareSpec['signMethod'],
);

// Udi is usually JSON for the device; a recipe may hold it as an object for readability.
const isJsonObject = (v: unknown): v is object => typeof v === 'object' && v !== null;
const udi = either(
  'text or a JSON object',
  str(),
  map(guard('an object', isJsonObject), (o) => JSON.stringify(o)),
);

const entry = either(
  'a path or { "path", "name" }',
  map(filled, (path) => ({ path })),
  object<RecipeEntry>({ path: filled, name: optional(str()) }, { unknownKeys: 'ignore' }),
);

/** Checked leniently: a field that does not fit is left out and reported; only a non-object fails. */
const RECIPE = object<RecipeJson>({
  otapub: optional(oneOf(1)),
  product: optional(plainText),
  name: optional(plainText),
  version: optional(plainText),
  module: optional(plainText),
  type: optional(described('"full" or "diff"', oneOf('full', 'diff'))),
  srcVersion: optional(plainText),
  signMethod: optional(signMethod),
  udi: optional(udi),
  description: optional(plainText),
  needToVerify: optional(bool),
  profile: optional(described('a profile name', filled)),
  verifyOn: optional(described('a list of device names', array(filled, 10))),
  files: optional(described('a list of file paths', array(entry))),
});

/** The spec field each recipe key fills. */
const SPEC_FIELD: Readonly<Partial<Record<keyof RecipeJson, keyof RecipeFields>>> = {
  product: 'productKey',
  name: 'firmwareName',
  version: 'destVersion',
  module: 'moduleName',
  type: 'type',
  srcVersion: 'srcVersion',
  signMethod: 'signMethod',
  udi: 'udi',
  description: 'desc',
  needToVerify: 'needToVerify',
};

function specOf(recipe: RecipeJson): RecipeFields {
  const fields = Object.entries(recipe).flatMap(([key, value]) => {
    const field = SPEC_FIELD[key as keyof RecipeJson];
    return field === undefined ? [] : [[field, value] as const];
  });
  return Object.fromEntries(fields) as RecipeFields;
}

/** What a recipe problem says to the user (the shape checker never echoes the value). */
function problemText({ path, expected, key }: Problem): Text {
  if (key !== undefined) {
    return text(`Unknown recipe field "${key}" was ignored.`, `未知的配方字段“${key}”已忽略。`);
  }
  if (path === 'otapub') {
    return text(
      'This recipe was written for a newer OTA Publisher ("otapub" is not 1).',
      '此配方来自更新版本的 OTA Publisher（"otapub" 不是 1）。',
    );
  }
  return text(
    `Recipe field "${path}" must be ${expected}; it was ignored.`,
    `配方字段“${path}”必须是${expected}，已忽略。`,
  );
}

export const onlyProblem = (problem: Text): ParsedRecipe => ({ spec: {}, entries: [], problems: [problem] });

/** The JSON value of a recipe's text (a leading byte-order mark is fine), or why it is not JSON. */
function parseJson(json: string): { readonly value: unknown } | { readonly problem: Text } {
  try {
    return { value: JSON.parse(json.startsWith(BOM) ? json.slice(BOM.length) : json) };
  } catch (error) {
    const why = (error as Error).message;
    return { problem: text(`The recipe is not valid JSON (${why}).`, `配方不是有效的 JSON（${why}）。`) };
  }
}

/** Reads a recipe's JSON text (a leading byte-order mark is fine). Its files are not resolved yet. */
export function parseRecipe(json: string): ParsedRecipe {
  const parsed = parseJson(json);
  if ('problem' in parsed) return onlyProblem(parsed.problem);
  const checked = check(RECIPE, parsed.value, { mode: 'lenient' });
  if (!checked.ok) return onlyProblem(text('The recipe must be a JSON object.', '配方必须是 JSON 对象。'));
  const { files = [], profile, verifyOn } = checked.value;
  return {
    spec: specOf(checked.value),
    entries: files,
    profile,
    verifyOn,
    problems: checked.problems.map(problemText),
  };
}
