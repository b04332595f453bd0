import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { OpenRequest } from '../contract.js';
import { text, type Text } from '../i18n/text.js';
import { isRecipe, readRecipe } from './recipe.js';

/**
 * The files among command-line arguments (Windows/Linux "Open with", a second instance's argv):
 * everything that is not a switch and names an existing regular file, resolved against `cwd`.
 * `argv` must already be without the executable (and, unpackaged, the app path).
 */
export async function filesFromArgv(argv: readonly string[], cwd: string): Promise<string[]> {
  const candidates = argv.filter((a) => a !== '' && !a.startsWith('-')).map((a) => resolve(cwd, a));
  const checked = await Promise.all(
    candidates.map(async (path) => ((await stat(path).catch(() => undefined))?.isFile() ? path : undefined)),
  );
  return checked.filter((p): p is string => p !== undefined);
}

/**
 * What opening `paths` asks the wizard to fill in: a recipe gives the spec, profile and files;
 * other files are added as firmware files. Only one recipe is used at a time.
 */
export async function openRequestFor(paths: readonly string[]): Promise<OpenRequest> {
  const recipes = paths.filter(isRecipe);
  const files = paths.filter((p) => !isRecipe(p));
  const problems: Text[] = [];
  if (recipes.length > 1) {
    problems.push(
      text(
        `Only one recipe can be opened at a time; used ${recipes[0]}.`,
        `一次只能打开一个配方；已使用 ${recipes[0]}。`,
      ),
    );
  }
  if (recipes[0] === undefined) return { files };
  const recipe = await readRecipe(recipes[0]);
  problems.push(...recipe.problems);
  const named = recipe.files.filter((f) => f.name !== undefined).map((f) => [f.path, f.name as string]);
  return {
    files: [...recipe.files.map((f) => f.path), ...files],
    fileNames: named.length > 0 ? Object.fromEntries(named) : undefined,
    spec: recipe.spec,
    profile: recipe.profile,
    problems: problems.length > 0 ? problems : undefined,
  };
}
