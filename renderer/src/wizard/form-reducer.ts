/**
 * The wizard's state and how each user action or reported outcome changes it: a pure reducer, no
 * I/O and no other store, so every transition can be tested as state in, state out. What an
 * action needs from outside (the profile's dialect, a remembered product, a new file's id) comes
 * in the action itself.
 */
import type {
  Dialect,
  IpcError,
  NameCheck,
  OpenRequest,
  PreflightReport,
} from '../../../electron/core/contract.js';
import type { Text } from '../../../electron/core/i18n/text.js';
import { translate } from '../i18n/translate.js';
import { EMPTY_FORM, formFromRecipe, withSuggestion } from './draft.js';
import { foldHash, type HashEvent } from './file-hash.js';
import { nextVersion, stepIssues, stepOfField, type Issues } from './rules.js';
import { stepsFor, type StepId, type WizardFile, type WizardForm } from './wizard-types.js';

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
  /** What the app service's checks (spec.validate) or the cloud found, for the form `key` names. */
  readonly remote: { readonly key: string; readonly issues: Issues };
  /** The cloud's refusal of a field after "Edit and publish again", until the form changes. */
  readonly cloudIssue: { readonly key: string; readonly issues: Issues };
  /** The control to focus once its step is shown (the field at fault). */
  readonly focusField: string | null;
  /** The cloud's answer about the FirmwareName (null while asking), for the name `key` names. */
  readonly nameCheck: { readonly key: string; readonly result: NameCheck | null };
  /** The pre-flight's findings at Review (null while asking), for the form `key` names. */
  readonly preflight: { readonly key: string; readonly report: PreflightReport | null };
}

/** What the cloud's name check depends on. */
export function nameKey(form: WizardForm): string {
  return JSON.stringify([form.profile, form.productKey.trim(), form.firmwareName]);
}

/** The name check's "already used by the cloud", as a FirmwareName issue while it applies. */
function nameIssue(state: Partial<Pick<WizardFormState, 'form' | 'nameCheck'>>): Issues {
  const check = state.nameCheck;
  if (!state.form || !check || check.key !== nameKey(state.form) || check.result?.state !== 'taken')
    return {};
  const { message } = check.result;
  return {
    FirmwareName: {
      en: translate('en', 'nameCheck.taken', { message: message.en }),
      zh: translate('zh', 'nameCheck.taken', { message: message.zh }),
    },
  };
}

/** The form's values the remote checks depend on: a change makes their answer stale. */
export function formKey(form: WizardForm): string {
  const { profile, productKey, moduleName, destVersion, firmwareName, type, srcVersion, udi, desc } = form;
  return JSON.stringify([
    profile,
    productKey,
    moduleName,
    destVersion,
    firmwareName,
    type,
    srcVersion,
    udi,
    desc,
  ]);
}

/** The remote issues that still apply to the current form. */
export function remoteIssues(
  state: Pick<WizardFormState, 'form' | 'remote' | 'cloudIssue'> &
    Partial<Pick<WizardFormState, 'nameCheck'>>,
): Issues {
  const key = formKey(state.form);
  return {
    ...nameIssue(state),
    ...(state.cloudIssue.key === key ? state.cloudIssue.issues : {}),
    ...(state.remote.key === key ? state.remote.issues : {}),
  };
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
  /** Moves file `id` to position `to` (0-based): MultiFiles order is what the devices get. */
  | { type: 'moveFile'; id: string; to: number }
  | { type: 'hash'; id: string; event: HashEvent }
  /** Something dropped or opened had no path on disk. */
  | { type: 'pathsMissing' }
  | { type: 'filesFailed'; error: IpcError }
  | { type: 'advance'; dialect?: Dialect }
  /** Next or Publish was refused: show the step's errors. */
  | { type: 'refuse'; step: StepId }
  | { type: 'back'; dialect?: Dialect }
  /** What spec.validate answered for the form `key` names. */
  | { type: 'remoteChecked'; key: string; issues: Issues }
  /** The cloud's name check answered (null: asking) for the name `key` names. */
  | { type: 'nameChecked'; key: string; result: NameCheck | null }
  /** The pre-flight answered (null: asking) for the form `key` names. */
  | { type: 'preflightChecked'; key: string; report: PreflightReport | null }
  /** The publish failed: back to the draft, on the step of the field at fault (`field`, if known). */
  | { type: 'editAgain'; field: string | undefined; message: Text | undefined; dialect: Dialect }
  | { type: 'focused' }
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
  remote: { key: '', issues: {} },
  cloudIssue: { key: '', issues: {} },
  focusField: null,
  nameCheck: { key: '', result: null },
  preflight: { key: '', report: null },
};

/** Whether `step` lets the user go on. */
export function stepIsValid(step: StepId, form: WizardForm, dialect: Dialect, remote: Issues = {}): boolean {
  return Object.keys(stepIssues(step, form, dialect, remote)).length === 0;
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

/**
 * "Publish another": the same profile, product, module and sign settings, the next version
 * suggested, new files; it opens on the Files step when the target is still valid.
 */
function publishAnother(state: WizardFormState): WizardFormState {
  const { form } = state;
  const next = withSuggestion({
    ...keptTarget(state),
    moduleName: form.moduleName,
    signMethod: form.signMethod,
    needToVerify: form.needToVerify,
    destVersion: nextVersion(form.destVersion),
  });
  const step: StepId = stepIsValid('target', next, 'aliyun') ? 'files' : 'target';
  return { ...FRESH_WIZARD, form: next, step };
}

const stepsOf = (state: WizardFormState, dialect: Dialect = 'aliyun'): readonly StepId[] =>
  stepsFor(dialect, state.form.type);

const stepAt = (state: WizardFormState, offset: number, dialect?: Dialect): StepId | undefined => {
  const steps = stepsOf(state, dialect);
  const at = steps.indexOf(state.step);
  // On a step the dialect skips (e.g. the type was just set back to full), go by the full list.
  return at < 0 ? stepsOf(state)[stepsOf(state).indexOf(state.step) + offset] : steps[at + offset];
};

/** The step of the field a failed publish names, on the steps this dialect walks. */
function editAgain(
  state: WizardFormState,
  { field, message, dialect }: ActionOf<'editAgain'>,
): WizardFormState {
  const wanted = field ? stepOfField(field) : 'review';
  const step = stepsOf(state, dialect).includes(wanted) ? wanted : 'review';
  const cloudIssue =
    field && message ? { key: formKey(state.form), issues: { [field]: message } } : FRESH_WIZARD.cloudIssue;
  return {
    ...state,
    step,
    jobId: null,
    submitting: false,
    submitError: null,
    attempted: { ...state.attempted, [step]: true },
    cloudIssue,
    focusField: step === 'review' ? null : (field ?? null),
  };
}

/** Only backwards, or forwards over steps that are already valid (else to the first that is not). */
function goTo(state: WizardFormState, step: StepId, dialect: Dialect): WizardFormState {
  if (step === 'progress' || state.step === 'progress') return state;
  const steps = stepsOf(state, dialect);
  const current = Math.max(0, steps.indexOf(state.step));
  const passed = steps.slice(current, Math.max(current, steps.indexOf(step)));
  const remote = remoteIssues(state);
  const blocking = passed.find((s) => !stepIsValid(s, state.form, dialect, remote));
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
  moveFile: (s, { id, to }) => {
    const files = [...s.form.files];
    const from = files.findIndex((f) => f.id === id);
    if (from < 0 || to < 0 || to >= files.length || to === from) return s;
    const [moved] = files.splice(from, 1);
    files.splice(to, 0, moved!);
    return withFiles(s, files);
  },
  hash: (s, { id, event }) => patchFile(s, id, (f) => foldHash(f, event)),
  pathsMissing: (s) => ({ ...s, filesNotice: 'no-path' }),
  filesFailed: (s, { error }) => ({ ...s, submitError: error }),

  advance: (s, { dialect }) => {
    const following = stepAt(s, 1, dialect);
    return following && following !== 'progress' ? { ...s, step: following } : s;
  },
  refuse: (s, { step }) => ({ ...s, attempted: { ...s.attempted, [step]: true } }),
  back: (s, { dialect }) => {
    const previous = stepAt(s, -1, dialect);
    return previous && s.step !== 'progress' ? { ...s, step: previous } : s;
  },
  remoteChecked: (s, { key, issues }) => ({ ...s, remote: { key, issues } }),
  nameChecked: (s, { key, result }) => ({ ...s, nameCheck: { key, result } }),
  preflightChecked: (s, { key, report }) => ({ ...s, preflight: { key, report } }),
  editAgain,
  focused: (s) => (s.focusField === null ? s : { ...s, focusField: null }),
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
  reset: publishAnother,
};

/** `state` after `action`. */
export function wizardReducer(state: WizardFormState, action: WizardAction): WizardFormState {
  // TypeScript cannot tie HANDLERS[action.type] to the narrowed action; Handlers' type does.
  const handle = HANDLERS[action.type] as (s: WizardFormState, a: WizardAction) => WizardFormState;
  return handle(state, action);
}
