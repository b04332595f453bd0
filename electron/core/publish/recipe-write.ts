/**
 * "Save recipe (.otapub)": the inverse of opening one. The recipe is written beside the files
 * (a recipe may only name files inside its own folder), with every field the wizard filled in,
 * so that opening it — or `ota-publish publish --recipe` — prepares the same package.
 */
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { writeFileAtomic } from '../files/atomic-file.js';
import { text, type Text } from '../i18n/text.js';
import { baseName } from './file-names.js';
import type { FirmwareSpec } from './spec.js';

export interface RecipeExtras {
  readonly profile?: string;
  readonly verifyOn?: readonly string[];
}

/** The recipe's JSON for `spec` saved at `path`, or why it cannot name the files from there. */
export function recipeJson(spec: FirmwareSpec, path: string, extras: RecipeExtras = {}): string | Text {
  const folder = dirname(path);
  const files = [];
  for (const f of spec.files) {
    const rel = relative(folder, f.path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      return text(
        `${f.path} is not inside ${folder}: a recipe may only name files in its own folder. Save it in a folder that holds every file.`,
        `${f.path} 不在 ${folder} 中：配方只能引用其所在文件夹内的文件。请保存到包含所有文件的文件夹。`,
      );
    }
    const written = rel.split(sep).join('/');
    files.push(f.name && f.name !== baseName(written) ? { path: written, name: f.name } : written);
  }
  const recipe = {
    otapub: 1,
    product: spec.productKey,
    name: spec.firmwareName,
    version: spec.destVersion,
    module: spec.moduleName,
    type: spec.type,
    srcVersion: spec.type === 'diff' ? spec.srcVersion : undefined,
    signMethod: spec.signMethod,
    udi: spec.udi,
    description: spec.desc,
    needToVerify: spec.needToVerify,
    files,
    profile: extras.profile,
    verifyOn: extras.verifyOn && extras.verifyOn.length > 0 ? extras.verifyOn : undefined,
  };
  return `${JSON.stringify(recipe, null, 2)}\n`;
}

/** Writes the recipe (atomically); a Text when it cannot name the files from `path`. */
export async function saveRecipe(
  spec: FirmwareSpec,
  path: string,
  extras: RecipeExtras = {},
): Promise<Text | undefined> {
  const json = recipeJson(spec, path, extras);
  if (typeof json !== 'string') return json;
  await writeFileAtomic(path, json);
  return undefined;
}
