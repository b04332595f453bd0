import { readRecipe } from '../core/app/recipe.js';
import { baseName } from '../core/publish/validation.js';
import { UsageError } from './exit-codes.js';

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
  readonly profile?: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly 'instance-id'?: string;
  readonly dialect?: string;
}

/**
 * `publish --recipe FILE`: the recipe's fields fill the flags that were not given (explicit flags
 * win), its files (relative to the recipe's folder) are used when no FILE is given, and its
 * profile when no target flag is given. Any problem in the recipe is a usage error.
 */
export async function applyRecipe<V extends RecipeFlags>(
  values: V,
  positionals: string[],
): Promise<{ values: V; positionals: string[] }> {
  if (values.recipe === undefined) return { values, positionals };
  const recipe = await readRecipe(values.recipe);
  if (recipe.problems.length > 0) {
    throw new UsageError(`Recipe ${values.recipe}:\n  ${recipe.problems.map((p) => p.en).join('\n  ')}`);
  }
  const s = recipe.spec;
  const fromRecipe: RecipeFlags = {
    product: s.productKey,
    name: s.firmwareName,
    version: s.destVersion,
    module: s.moduleName,
    type: s.type,
    'src-version': s.srcVersion,
    desc: s.desc,
    'sign-method': s.signMethod,
    'need-to-verify': s.needToVerify === undefined ? undefined : String(s.needToVerify),
    udi: values.udi === undefined && values['udi-file'] === undefined ? s.udi : undefined,
  };
  const targetGiven = [
    values.profile,
    values.endpoint,
    values.region,
    values['instance-id'],
    values.dialect,
  ].some((v) => v !== undefined);
  const useRecipeFiles = positionals.length === 0;
  const named =
    useRecipeFiles && values['file-name'] === undefined && recipe.files.some((f) => f.name !== undefined);
  const merged: Record<string, unknown> = { ...(values as RecipeFlags) };
  for (const [flag, value] of Object.entries(fromRecipe)) {
    if (merged[flag] === undefined && value !== undefined) merged[flag] = value;
  }
  if (!targetGiven && recipe.profile !== undefined) merged.profile = recipe.profile;
  if (named) merged['file-name'] = recipe.files.map((f) => f.name ?? baseName(f.path));
  return {
    values: merged as V,
    positionals: useRecipeFiles ? recipe.files.map((f) => f.path) : positionals,
  };
}
