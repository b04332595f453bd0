import { text, type Text } from '../core/i18n/text.js';
import { readRecipe, type Recipe } from '../core/publish/recipe.js';
import { UsageError } from './exit-codes.js';
import { say } from './locale.js';

/** The `publish` flags a recipe can fill. */
export interface RecipeFlags {
  readonly recipe?: string;
  readonly product?: string;
  readonly name?: string;
  readonly version?: string;
  readonly module?: string;
  readonly type?: string;
  readonly 'src-version'?: string;
  readonly udi?: string;
  readonly 'udi-file'?: string;
  readonly desc?: string;
  readonly 'sign-method'?: string;
  readonly 'need-to-verify'?: string;
  readonly 'file-name'?: string[];
  readonly 'verify-on'?: string[];
  readonly profile?: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly 'instance-id'?: string;
  readonly dialect?: string;
}

const TARGET_FLAGS = ['profile', 'endpoint', 'region', 'instance-id', 'dialect'] as const;

const usage = (message: Text): UsageError => new UsageError(say(message));

/**
 * A recipe never chooses where to publish: when it names a profile, the user must name the same
 * one with --profile (or pick a target with the other target flags).
 */
function checkTarget(recipe: Recipe, values: RecipeFlags): void {
  const asked = recipe.profile;
  if (asked === undefined) return;
  if (values.profile !== undefined && values.profile !== asked) {
    throw usage(
      text(
        `Recipe ${recipe.path} asks for profile "${asked}", but --profile is "${values.profile}". Pass --profile ${asked} if that is where it should go, or fix the recipe.`,
        `配方 ${recipe.path} 要求使用配置“${asked}”，但 --profile 是“${values.profile}”。如果确实要发布到那里，请传入 --profile ${asked}，否则请修改配方。`,
      ),
    );
  }
  if (!TARGET_FLAGS.some((flag) => values[flag] !== undefined)) {
    throw usage(
      text(
        `Recipe ${recipe.path} asks for profile "${asked}". A recipe never chooses where to publish: pass --profile ${asked} explicitly.`,
        `配方 ${recipe.path} 要求使用配置“${asked}”。配方不能决定发布到哪里：请明确传入 --profile ${asked}。`,
      ),
    );
  }
}

/** The recipe's spec fields as the `publish` flags that carry them. */
function flagsOf(recipe: Recipe, values: RecipeFlags): RecipeFlags {
  const s = recipe.spec;
  return {
    product: s.productKey,
    name: s.firmwareName,
    version: s.destVersion,
    module: s.moduleName,
    type: s.type,
    'src-version': s.srcVersion,
    desc: s.desc,
    'sign-method': s.signMethod,
    'need-to-verify': s.needToVerify === undefined ? undefined : String(s.needToVerify),
    // --udi-file is another way of giving Udi, so it overrides the recipe's too.
    udi: values.udi === undefined && values['udi-file'] === undefined ? s.udi : undefined,
  };
}

/**
 * `publish --recipe FILE`: the recipe's fields fill the flags that were not given (explicit flags
 * win), and its files with their MultiFiles names are used when no FILE is given. Any problem in
 * the recipe, a file outside its folder among them, is a usage error (exit 2) before any traffic.
 */
export async function applyRecipe<V extends RecipeFlags>(
  values: V,
  positionals: string[],
): Promise<{ values: V; positionals: string[] }> {
  if (values.recipe === undefined) return { values, positionals };
  const recipe = await readRecipe(values.recipe);
  if (recipe.problems.length > 0) {
    const list = recipe.problems.map((p) => say(p)).join('\n  ');
    throw new UsageError(`${say(text('Recipe', '配方'))} ${recipe.path}:\n  ${list}`);
  }
  checkTarget(recipe, values);
  const merged: Record<string, unknown> = { ...(values as RecipeFlags) };
  for (const [flag, value] of Object.entries(flagsOf(recipe, values))) {
    if (merged[flag] === undefined && value !== undefined) merged[flag] = value;
  }
  if (merged['verify-on'] === undefined && recipe.verifyOn) merged['verify-on'] = [...recipe.verifyOn];
  const useRecipeFiles = positionals.length === 0;
  if (useRecipeFiles && values['file-name'] === undefined) {
    merged['file-name'] = recipe.files.map((f) => f.name);
  }
  return {
    values: merged as V,
    positionals: useRecipeFiles ? recipe.files.map((f) => f.path) : positionals,
  };
}
