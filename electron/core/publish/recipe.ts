/**
 * The publish recipe (`*.otapub`): JSON a build script writes next to its output so that a
 * double-click (or `ota-publish publish --recipe FILE`) publishes it with the fields filled in.
 *
 *   { "otapub": 1, "product": "a1SandboxPK", "name": "cam-2.1.0", "version": "2.1.0",
 *     "module": "camera", "type": "full", "srcVersion": "2.0.0", "signMethod": "SHA256",
 *     "udi": "{\"ota_notice\":\"…\"}", "description": "…", "needToVerify": true,
 *     "files": ["cam-2.1.0.bin", { "path": "extra/boot.bin", "name": "bootloader" }],
 *     "profile": "factory", "verifyOn": ["bench-01", "bench-02"] }
 *
 * Every field is optional. A recipe is read leniently: a field of the wrong type is left out and
 * reported, never fatal, because the user can still fix it in the wizard.
 *
 * A recipe arrives from elsewhere (a build server, an e-mail), so it may only name files inside its
 * own folder: each file is followed through every symbolic link and must still be inside. Anything
 * else is refused and reported, and the file is left out. `readRecipe` is the one mapping from a
 * recipe to spec fields, files and MultiFiles names; the CLI and the app both publish from it, so
 * one recipe makes one package.
 */
import { readFile, readlink, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep, win32 } from 'node:path';
import { text, type Text } from '../i18n/text.js';
import { baseName } from './file-names.js';
import { onlyProblem, parseRecipe, type ParsedRecipe, type RecipeEntry } from './recipe-text.js';

export { parseRecipe, type ParsedRecipe, type RecipeEntry, type RecipeFields } from './recipe-text.js';

export const RECIPE_EXTENSION = '.otapub';
/** A recipe is a few hundred bytes; refuse anything absurd before reading it. */
const MAX_RECIPE_BYTES = 1024 * 1024;

/** A recipe's file once resolved: where it really is, and the name it is published under. */
export interface RecipeFile {
  /** The real path (every symbolic link followed), inside the recipe's folder. */
  readonly path: string;
  /** MultiFiles.N.Name: the recipe's name for it, else the base name it was written with. */
  readonly name: string;
}

/** A recipe read from disk: the publish it describes, and whatever was wrong with it. */
export interface Recipe extends Omit<ParsedRecipe, 'entries'> {
  /** The recipe file, absolute. */
  readonly path: string;
  /** The real path of the recipe's folder: every file is inside it. */
  readonly folder: string;
  /** Only the files that passed; a refused one is a problem instead. */
  readonly files: readonly RecipeFile[];
}

/** Whether `path` lies strictly inside `folder` (by path.relative, so `/a/b-evil` is not in `/a/b`). */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Links followed before giving up on a chain, as the kernel does (SYMLOOP_MAX). */
const MAX_LINK_HOPS = 40;

/**
 * The real path of `path`, also for a file that does not exist (yet): its name under the real path
 * of its folder, following a dangling link too, so nothing below a link that leads out passes.
 * Undefined when the links go round in a loop.
 */
async function realPathOf(path: string, hops = 0): Promise<string | undefined> {
  if (hops > MAX_LINK_HOPS) return undefined;
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    const realParent = await realPathOf(parent, hops);
    if (realParent === undefined) return undefined;
    const here = join(realParent, basename(path));
    const target = await readlink(here).catch(() => undefined); // only a link has a target
    return target === undefined ? here : realPathOf(resolve(realParent, target), hops + 1);
  }
}

const refused = (written: string, folder: string, why: Text): Text =>
  text(
    `Recipe file "${written}" was refused: ${why.en} A recipe may only name files inside its own folder (${folder}).`,
    `配方文件“${written}”已被拒绝：${why.zh}配方只能指定其所在文件夹（${folder}）内的文件。`,
  );

/** Resolves one entry against the recipe's folder: its real file, or why it is refused. */
async function resolveEntry(
  entry: RecipeEntry,
  folder: string,
  realFolder: string,
): Promise<RecipeFile | Text> {
  const written = entry.path;
  if (isAbsolute(written) || win32.isAbsolute(written)) {
    return refused(written, realFolder, text('it is an absolute path.', '它是绝对路径。'));
  }
  const lexical = resolve(folder, written);
  if (!isInside(folder, lexical)) {
    return refused(
      written,
      realFolder,
      text('its ".." leads out of the folder.', '其中的“..”指向文件夹之外。'),
    );
  }
  const real = await realPathOf(lexical);
  if (real === undefined) {
    return refused(
      written,
      realFolder,
      text('its symbolic links go round in a loop.', '其符号链接构成循环。'),
    );
  }
  if (!isInside(realFolder, real)) {
    return refused(
      written,
      realFolder,
      text(
        `a symbolic link on the way leads out of the folder, to ${real}.`,
        `路径上的符号链接指向文件夹之外（${real}）。`,
      ),
    );
  }
  return { path: real, name: entry.name ?? baseName(written) };
}

/** Resolves a parsed recipe's files against the folder of the recipe at `recipePath`. */
export async function resolveRecipe(parsed: ParsedRecipe, recipePath: string): Promise<Recipe> {
  const path = resolve(recipePath);
  const folder = dirname(path);
  // The recipe was just read from there, so only a race could leave it unresolved.
  const realFolder = (await realPathOf(folder)) ?? folder;
  const problems = [...parsed.problems];
  const files: RecipeFile[] = [];
  for (const entry of parsed.entries) {
    const resolved = await resolveEntry(entry, folder, realFolder);
    if ('path' in resolved) files.push(resolved);
    else problems.push(resolved);
  }
  const { spec, profile, verifyOn } = parsed;
  return { path, folder: realFolder, spec, files, profile, verifyOn, problems };
}

/** Reads, parses and resolves the recipe at `path`; an unreadable file is a problem, not a throw. */
export async function readRecipe(path: string): Promise<Recipe> {
  let json: string;
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_RECIPE_BYTES)
      throw new Error(info.isFile() ? 'larger than 1 MB' : 'not a file');
    json = await readFile(path, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    const problem = text(
      `The recipe "${path}" cannot be read (${why}).`,
      `无法读取配方“${path}”（${why}）。`,
    );
    return resolveRecipe(onlyProblem(problem), path);
  }
  return resolveRecipe(parseRecipe(json), path);
}

/** Whether `path` names a recipe (by its extension). */
export function isRecipe(path: string): boolean {
  return path.toLowerCase().endsWith(RECIPE_EXTENSION);
}
