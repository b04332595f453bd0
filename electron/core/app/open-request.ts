import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { OpenRequest } from '../contract.js';
import { text, type Text } from '../i18n/text.js';
import { isRecipe, readRecipe, type RecipeFile } from '../publish/recipe.js';

const isFile = async (path: string): Promise<boolean> =>
  (await stat(path).catch(() => undefined))?.isFile() === true;

/**
 * The files among command-line arguments (Windows/Linux "Open with", a second instance's argv):
 * everything that is not a switch and names an existing regular file, resolved against `cwd`.
 * `argv` must already be without the executable (and, unpackaged, the app path).
 */
export async function filesFromArgv(argv: readonly string[], cwd: string): Promise<string[]> {
  const candidates = argv.filter((a) => a !== '' && !a.startsWith('-')).map((a) => resolve(cwd, a));
  const checked = await Promise.all(
    candidates.map(async (path) => ((await isFile(path)) ? path : undefined)),
  );
  return checked.filter((p): p is string => p !== undefined);
}

/**
 * The recipe's files that exist. A missing one is reported and left out here, so the wizard lists
 * the others instead of failing the whole list (the CLI refuses it when validating).
 */
async function existingFiles(files: readonly RecipeFile[], problems: Text[]): Promise<RecipeFile[]> {
  const present = await Promise.all(files.map((f) => isFile(f.path)));
  files.forEach((f, i) => {
    if (!present[i])
      problems.push(
        text(
          `The recipe's file ${f.path} does not exist (or is not a file); it was not added.`,
          `配方中的文件 ${f.path} 不存在（或不是文件），未添加。`,
        ),
      );
  });
  return files.filter((_, i) => present[i]);
}

/**
 * What opening `paths` asks the wizard to fill in: a recipe gives the spec, the profile it asks
 * for and its files (only those inside its folder); other files are listed as firmware files.
 * Only one recipe is used at a time.
 */
export async function openRequestFor(paths: readonly string[]): Promise<OpenRequest> {
  const recipes = paths.filter(isRecipe);
  const files = paths.filter((p) => !isRecipe(p));
  if (recipes[0] === undefined) return { files };
  const problems: Text[] = [];
  if (recipes.length > 1) {
    problems.push(
      text(
        `Only one recipe can be opened at a time; used ${recipes[0]}.`,
        `一次只能打开一个配方；已使用 ${recipes[0]}。`,
      ),
    );
  }
  const recipe = await readRecipe(recipes[0]);
  problems.push(...recipe.problems);
  return {
    files,
    recipe: {
      path: recipe.path,
      spec: recipe.spec,
      files: await existingFiles(recipe.files, problems),
      profile: recipe.profile,
      verifyOn: recipe.verifyOn,
    },
    problems: problems.length > 0 ? problems : undefined,
  };
}
