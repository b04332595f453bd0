/**
 * The wizard's state and how each user action or reported outcome changes it: a pure reducer, no
 * I/O and no other store, so every transition can be tested as state in, state out. What an
 * action needs from outside (the profile's dialect, a remembered product, a new file's id) comes
 * in the action itself.
 */
import type { Dialect, IpcError, OpenRequest } from '../../../electron/core/contract.js';
import type { Text } from '../../../electron/core/i18n/text.js';
import { EMPTY_FORM, formFromRecipe, withSuggestion } from './draft.js';
import { foldHash, type HashEvent } from './file-hash.js';
import { stepIssues } from './rules.js';
import { STEPS, type StepId, type WizardFile, type WizardForm } from './wizard-types.js';

export type SubmitMode = 'now' | 'queue';

/** The recipe the draft was started from, while the wizard still has something to say about it. */
export interface OpenedRecipe {
  readonly path: string;
  /** The profile the recipe asks for, until the user switches to it or keeps the current one. */
  readonly askedProfile: string | null;
  readonly problems: readonly Text[];
}

export interface WizardFormState {
  readonly step: StepId;
  readonly form: WizardForm;
  /** Steps whose "Next" was pressed: their errors show even on untouched fields. */
  readonly attempted: Readonly<Partial<Record<StepId, boolean>>>;
  readonly touched: Readonly<Record<string, boolean>>;
  readonly mode: SubmitMode | null;
  readonly submitting: boolean;
  readonly submitError: IpcError | null;
  readonly jobId: string | null;
  readonly filesNotice: 'no-path' | null;
  readonly recipe: OpenedRecipe | null;
  /** Bench devices to verify on: named on the Review step (or by a recipe), used by the verify panel. */
  readonly verifyOn: readonly string[];
}

/** Fields whose edits also refresh the suggested FirmwareName, with the API field each is. */
const SUGGESTING = {
  productKey: 'ProductKey',
  destVersion: 'DestVersion',
  moduleName: 'ModuleName',
  firmwareName: 'FirmwareName',
} as const;
export type SuggestingField = keyof typeof SUGGESTING;

/**
 * The API field each plainly set form key is checked as. A field's error shows once the user has
 * typed in it (not on blur: an error appearing on blur shifts the layout under a click on Next).
 */
const FIELD_OF: Partial<Record<keyof WizardForm, string>> = {
  srcVersion: 'SrcVersion',
  desc: 'FirmwareDesc',
  udi: 'Udi',
};

type SetField = { [K in keyof WizardForm]: { type: 'set'; key: K; value: WizardForm[K] } }[keyof WizardForm];
type Recipe = NonNullable<OpenRequest['recipe']>;

export type WizardAction =
  | SetField
  | { type: 'edit'; key: SuggestingField; value: string }
  | { type: 'touch'; field: string }
  /** `recentProduct`: the product last published with this profile, for an empty ProductKey. */
  | { type: 'chooseProfile'; profile: string; recentProduct: string | undefined }
  | { type: 'renameFile'; id: string; name: string }
  | { type: 'addFiles'; files: readonly WizardFile[] }
  | { type: 'removeFile'; id: string }
  | { type: 'hash'; id: string; event: HashEvent }
  /** Something dropped or opened had no path on disk. */
  | { type: 'pathsMissing' }
  | { type: 'filesFailed'; error: IpcError }
  | { type: 'advance' }
  /** Next or Publish was refused: show the step's errors. */
  | { type: 'refuse'; step: StepId }
  | { type: 'back' }
  | { type: 'goTo'; step: StepId; dialect: Dialect }
  | { type: 'setMode'; mode: SubmitMode }
  | { type: 'setVerifyOn'; devices: readonly string[] }
  | { type: 'submitting' }
  | { type: 'submitted'; jobId: string }
  | { type: 'submitFailed'; error: IpcError }
  | { type: 'openFiles' }
  | { type: 'openRecipe'; recipe: Recipe; problems: readonly Text[] }
  /** The user switched to the recipe's profile or kept the current one. */
  | { type: 'recipeProfileAnswered' }
  | { type: 'dismissRecipe' }
  | { type: 'reset' };

/** A wizard with nothing entered, on its first step. */
export const FRESH_WIZARD: WizardFormState = {
  step: 'target',
  form: EMPTY_FORM,
  attempted: {},
  touched: {},
  mode: null,
  submitting: false,
  submitError: null,
  jobId: null,
  filesNotice: null,
  recipe: null,
  verifyOn: [],
};

/** Whether `step` lets the user go on. */
export function stepIsValid(step: StepId, form: WizardForm, dialect: Dialect): boolean {
  return Object.keys(stepIssues(step, form, dialect)).length === 0;
}

type ActionOf<T extends WizardAction['type']> = Extract<WizardAction, { type: T }>;
type Handlers = {
  readonly [T in WizardAction['type']]: (state: WizardFormState, action: ActionOf<T>) => WizardFormState;
};

const touch = (state: WizardFormState, field: string | undefined): WizardFormState['touched'] =>
  field ? { ...state.touched, [field]: true } : state.touched;

const withFiles = (state: WizardFormState, files: readonly WizardFile[]): WizardFormState => ({
  ...state,
  form: { ...state.form, files },
});

/** The file `id` patched; a file no longer listed (removed, its run cancelled) changes nothing. */
function patchFile(
  state: WizardFormState,
  id: string,
  patch: (f: WizardFile) => WizardFile,
): WizardFormState {
  const { files } = state.form;
  if (!files.some((f) => f.id === id)) return state;
  const patched = files.map((f) => (f.id === id ? patch(f) : f));
  return withFiles(state, patched);
}

/** The target kept over a new draft: the next publish usually goes to the same product. */
const keptTarget = ({ form }: WizardFormState): WizardForm => ({
  ...EMPTY_FORM,
  profile: form.profile,
  productKey: form.productKey,
});

const stepAt = (state: WizardFormState, offset: number): StepId | undefined =>
  STEPS[STEPS.indexOf(state.step) + offset];

/** Only backwards, or forwards over steps that are already valid (else to the first that is not). */
function goTo(state: WizardFormState, step: StepId, dialect: Dialect): WizardFormState {
  if (step === 'progress' || state.step === 'progress') return state;
  const current = STEPS.indexOf(state.step);
  const passed = STEPS.slice(current, Math.max(current, STEPS.indexOf(step)));
  const blocking = passed.find((s) => !stepIsValid(s, state.form, dialect));
  if (blocking) return { ...state, step: blocking, attempted: { ...state.attempted, [blocking]: true } };
  return { ...state, step };
}

/** A fresh draft from a recipe; its profile is only asked about, never switched to here. */
function openRecipe(state: WizardFormState, { recipe, problems }: ActionOf<'openRecipe'>): WizardFormState {
  const current = state.form.profile;
  const askedProfile = recipe.profile !== undefined && recipe.profile !== current ? recipe.profile : null;
  return {
    ...FRESH_WIZARD,
    form: formFromRecipe(keptTarget(state), recipe.spec),
    recipe: { path: recipe.path, askedProfile, problems },
    // Preselected only: nothing starts until the user publishes or presses Start.
    verifyOn: [...new Set(recipe.verifyOn ?? [])],
  };
}

const HANDLERS: Handlers = {
  set: (s, { key, value }) => ({ ...s, form: { ...s.form, [key]: value }, touched: touch(s, FIELD_OF[key]) }),
  edit: (s, { key, value }) => {
    // Clearing the name hands it back to the suggestion.
    const named = key === 'firmwareName' ? { firmwareNameEdited: value !== '' } : {};
    const form = withSuggestion({ ...s.form, [key]: value, ...named });
    return { ...s, form, touched: touch(s, SUGGESTING[key]) };
  },
  touch: (s, { field }) => ({ ...s, touched: touch(s, field) }),
  chooseProfile: (s, { profile, recentProduct }) => ({
    ...s,
    form: { ...s.form, profile, productKey: s.form.productKey || (recentProduct ?? '') },
  }),

  renameFile: (s, { id, name }) => patchFile(s, id, (f) => ({ ...f, name })),
  addFiles: (s, { files }) => ({ ...withFiles(s, [...s.form.files, ...files]), filesNotice: null }),
  removeFile: (s, { id }) => {
    const kept = s.form.files.filter((f) => f.id !== id);
    return withFiles(s, kept);
  },
  hash: (s, { id, event }) => patchFile(s, id, (f) => foldHash(f, event)),
  pathsMissing: (s) => ({ ...s, filesNotice: 'no-path' }),
  filesFailed: (s, { error }) => ({ ...s, submitError: error }),

  advance: (s) => {
    const following = stepAt(s, 1);
    return following && following !== 'progress' ? { ...s, step: following } : s;
  },
  refuse: (s, { step }) => ({ ...s, attempted: { ...s.attempted, [step]: true } }),
  back: (s) => {
    const previous = stepAt(s, -1);
    return previous && s.step !== 'progress' ? { ...s, step: previous } : s;
  },
  goTo: (s, { step, dialect }) => goTo(s, step, dialect),

  setMode: (s, { mode }) => ({ ...s, mode }),
  setVerifyOn: (s, { devices }) => ({ ...s, verifyOn: devices }),
  submitting: (s) => ({ ...s, submitting: true, submitError: null }),
  submitted: (s, { jobId }) => ({ ...s, submitting: false, jobId, step: 'progress' }),
  submitFailed: (s, { error }) => ({ ...s, submitting: false, submitError: error }),

  openFiles: (s) => ({ ...s, step: 'target', jobId: null }),
  openRecipe,
  recipeProfileAnswered: (s) => (s.recipe ? { ...s, recipe: { ...s.recipe, askedProfile: null } } : s),
  dismissRecipe: (s) => ({ ...s, recipe: null }),
  reset: (s) => ({ ...FRESH_WIZARD, form: keptTarget(s) }),
};

/** `state` after `action`. */
export function wizardReducer(state: WizardFormState, action: WizardAction): WizardFormState {
  // TypeScript cannot tie HANDLERS[action.type] to the narrowed action; Handlers' type does.
  const handle = HANDLERS[action.type] as (s: WizardFormState, a: WizardAction) => WizardFormState;
  return handle(state, action);
}
