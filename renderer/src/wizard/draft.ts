/**
 * The wizard's draft, as pure functions: the empty form, the form a recipe starts, a file as the
 * wizard holds it, the files an open request adds. Pure so the CLI's tests can check that a
 * recipe makes the same package in the app as on the command line.
 */
import type { OpenRequest, PickedFile } from '../../../electron/core/contract.js';
import { baseName } from '../../../electron/core/contract.js';
import { suggestFirmwareName } from './rules.js';
import type { WizardFile, WizardForm } from './wizard-types.js';

export const EMPTY_FORM: WizardForm = {
  profile: '',
  productKey: '',
  files: [],
  moduleName: 'default',
  destVersion: '',
  firmwareName: '',
  firmwareNameEdited: false,
  desc: '',
  signMethod: 'MD5',
  needToVerify: true,
  type: 'full',
  srcVersion: '',
  udi: '',
};

/** The form with the suggested FirmwareName, unless the user (or a recipe) chose one. */
export function withSuggestion(form: WizardForm): WizardForm {
  if (form.firmwareNameEdited) return form;
  return { ...form, firmwareName: suggestFirmwareName(form.productKey, form.moduleName, form.destVersion) };
}

export type RecipeSpec = NonNullable<OpenRequest['recipe']>['spec'];

/** A new draft from a recipe's fields over `base` (the target kept from the current draft). */
export function formFromRecipe(base: WizardForm, spec: RecipeSpec): WizardForm {
  return withSuggestion({
    ...base,
    productKey: spec.productKey ?? base.productKey,
    destVersion: spec.destVersion ?? base.destVersion,
    moduleName: spec.moduleName ?? base.moduleName,
    firmwareName: spec.firmwareName ?? base.firmwareName,
    firmwareNameEdited: spec.firmwareName !== undefined,
    type: spec.type ?? base.type,
    srcVersion: spec.srcVersion ?? base.srcVersion,
    signMethod: spec.signMethod ?? base.signMethod,
    desc: spec.desc ?? base.desc,
    udi: spec.udi ?? base.udi,
    needToVerify: spec.needToVerify ?? base.needToVerify,
  });
}

/** A file just added, about to be hashed; `name` is its MultiFiles name (default: its base name). */
export function wizardFile(picked: PickedFile, id: string, name?: string): WizardFile {
  const base = picked.name || baseName(picked.path);
  return {
    id,
    path: picked.path,
    baseName: base,
    name: name ?? base,
    size: picked.size,
    hash: { status: 'hashing', bytes: 0, startedAt: Date.now(), rate: 0 },
  };
}

/** The picked files the draft does not list yet (by path): adding a file twice adds it once. */
export function unlistedFiles(files: readonly WizardFile[], picked: readonly PickedFile[]): PickedFile[] {
  const listed = new Set(files.map((f) => f.path));
  return picked.filter((p) => !listed.has(p.path));
}

/** The paths an open request adds, the recipe's first, with the MultiFiles names it gives them. */
export function pathsToOpen(request: OpenRequest): { paths: string[]; names: Map<string, string> } {
  const named = request.recipe?.files ?? [];
  return {
    paths: [...named.map((f) => f.path), ...request.files],
    names: new Map(named.map((f) => [f.path, f.name])),
  };
}
