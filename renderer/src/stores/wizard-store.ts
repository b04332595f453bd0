import { create } from 'zustand';
import type {
  CheckOnlyResult,
  JobSummary,
  OpenRequest,
  PickedFile,
  PublishRequest,
  Dialect,
} from '../../../electron/core/contract.js';
import { ipc, ipcErrorOf } from '../ipc/client.js';
import { pathsToOpen, unlistedFiles, wizardFile } from '../wizard/draft.js';
import {
  FRESH_WIZARD,
  formKey,
  nameKey,
  remoteIssues,
  stepIsValid,
  wizardReducer,
  type SubmitMode,
  type SuggestingField,
  type WizardAction,
  type WizardFormState,
} from '../wizard/form-reducer.js';
import { bilingual, fieldOfCloudError, specOf, stepOfField, type Issues } from '../wizard/rules.js';
import type { StepId, WizardForm } from '../wizard/wizard-types.js';
import { hashController, newHashId } from './hash-controller.js';
import * as links from './wizard-links.js';

export type { OpenedRecipe, SubmitMode } from '../wizard/form-reducer.js';
export { dialectOf } from './wizard-links.js';

/** MultiFiles names by path, for files being added. */
type NamesByPath = ReadonlyMap<string, string>;

interface WizardCommands {
  set<K extends keyof WizardForm>(key: K, value: WizardForm[K]): void;
  touch(field: string): void;
  setProfile(name: string): void;
  setDestVersion(value: string): void;
  setModule(value: string): void;
  setProductKey(value: string): void;
  setFirmwareName(value: string): void;
  setFileName(id: string, name: string): void;
  addPicked(files: readonly PickedFile[], names?: NamesByPath): void;
  addPaths(paths: readonly string[], names?: NamesByPath): Promise<void>;
  pickFiles(): Promise<void>;
  removeFile(id: string): void;
  /** Moves a file `offset` places (-1 up, +1 down), or to `to` when dragged onto another card. */
  moveFile(id: string, offset: number): void;
  moveFileTo(id: string, to: number): void;
  onHashProgress(hashId: string, bytes: number, total: number): void;
  /** Moves on when the current step is valid; returns false (and shows errors) when not. */
  next(): boolean;
  back(): void;
  goTo(step: StepId): void;
  setMode(mode: SubmitMode): void;
  /** The bench devices to verify on (the Review step's and the verify panel's picker). */
  setVerifyOn(devices: readonly string[]): void;
  submit(mode: SubmitMode): Promise<JobSummary | null>;
  /** Opens files, or starts a fresh draft from a recipe (its profile only once the user agrees). */
  open(request: OpenRequest): Promise<void>;
  /** The user agreed to the profile the opened recipe asks for. */
  switchToRecipeProfile(): void;
  /** The user keeps the current profile; the recipe's is not used. */
  keepProfile(): void;
  dismissRecipe(): void;
  /** "Publish another": keeps profile, product and module and suggests the next version. */
  reset(): void;
  /** Asks the app service's checks (spec.validate) about the draft; their issues show at the fields. */
  checkRemote(): Promise<void>;
  /** The pre-flight's FirmwareName check against the cloud (the version step, debounced). */
  checkName(): Promise<void>;
  /** Every pre-flight check of the draft (Review), before anything is sent. */
  checkPreflight(): Promise<void>;
  /** CreateOTAModule for the module the pre-flight found missing, then checks again. */
  createModule(moduleName: string): Promise<void>;
  /** "Check only": validation, pre-flight and the dry-run plan; sends no write call. */
  checkOnly(): Promise<CheckOnlyResult>;
  /** After a failed publish: back to the draft, everything kept, on the field at fault. */
  editAgain(): void;
  /** The field at fault was focused. */
  focused(): void;
}

type WizardState = WizardFormState & WizardCommands;

function publish(mode: SubmitMode, request: PublishRequest): Promise<JobSummary> {
  return mode === 'now' ? ipc.publish.now(request) : ipc.publish.queue(request);
}

/**
 * The publish wizard: wires the form reducer, background hashing and the IPC calls. Other
 * stores are reached only through `wizard-links`.
 */
export const useWizardStore = create<WizardState>()((set, get) => {
  const dispatch = (action: WizardAction): void => set((state) => wizardReducer(state, action));
  const hashing = hashController((id, event) => dispatch({ type: 'hash', id, event }));
  const edit = (key: SuggestingField) => (value: string) => dispatch({ type: 'edit', key, value });
  const dialect = (): Dialect => links.dialectOf(get().form.profile);

  const setProfile = (profile: string): void => {
    dispatch({ type: 'chooseProfile', profile, recentProduct: links.recentProductOf(profile) });
    links.rememberProfile(profile);
  };

  const addPicked = (picked: readonly PickedFile[], names?: NamesByPath): void => {
    const added = unlistedFiles(get().form.files, picked).map((p) =>
      wizardFile(p, newHashId(), names?.get(p.path)),
    );
    dispatch({ type: 'addFiles', files: added });
    hashing.start(added);
  };

  const addFrom = async (list: () => Promise<readonly PickedFile[]>, names?: NamesByPath) => {
    try {
      addPicked(await list(), names);
    } catch (e) {
      dispatch({ type: 'filesFailed', error: ipcErrorOf(e) });
    }
  };

  const addPaths = async (paths: readonly string[], names?: NamesByPath): Promise<void> => {
    if (paths.length === 0 || paths.some((p) => p === '')) dispatch({ type: 'pathsMissing' });
    const usable = paths.filter((p) => p !== '');
    if (usable.length > 0) await addFrom(() => ipc.files.stat(usable), names);
  };

  /** The pre-flight at Review found what the cloud would refuse (for this very draft). */
  const preflightRefuses = (): boolean => {
    const { preflight, form } = get();
    return (
      preflight.key === formKey(form) &&
      preflight.report?.state === 'checked' &&
      preflight.report.refusals.length > 0
    );
  };

  const checkPreflight = async (): Promise<void> => {
    const { form } = get();
    const key = formKey(form);
    dispatch({ type: 'preflightChecked', key, report: null });
    try {
      const report = await ipc.preflight.check(form.profile, specOf(form, dialect()));
      dispatch({ type: 'preflightChecked', key, report });
    } catch (e) {
      dispatch({
        type: 'preflightChecked',
        key,
        report: { state: 'unchecked', reason: ipcErrorOf(e).message },
      });
    }
  };

  const submit = async (mode: SubmitMode): Promise<JobSummary | null> => {
    const { form } = get();
    const spoken = dialect();
    if (!stepIsValid('review', form, spoken, remoteIssues(get())) || preflightRefuses()) {
      dispatch({ type: 'refuse', step: 'review' });
      return null;
    }
    dispatch({ type: 'submitting' });
    try {
      const { verifyOn } = get();
      const job = await publish(mode, {
        profile: form.profile,
        spec: specOf(form, spoken),
        ...(verifyOn.length > 0 ? { verifyOn } : {}),
      });
      links.listSubmittedJob(job);
      dispatch({ type: 'submitted', jobId: job.id });
      links.rememberProduct(form.profile, form.productKey.trim());
      return job;
    } catch (e) {
      dispatch({ type: 'submitFailed', error: ipcErrorOf(e) });
      return null;
    }
  };

  return {
    ...FRESH_WIZARD,

    // A generic key cannot be narrowed to one member of the action union; the signature pins it.
    set: (key, value) => dispatch({ type: 'set', key, value } as WizardAction),
    touch: (field) => dispatch({ type: 'touch', field }),
    setProfile,
    setProductKey: edit('productKey'),
    setDestVersion: edit('destVersion'),
    setModule: edit('moduleName'),
    setFirmwareName: edit('firmwareName'),
    setFileName: (id, name) => dispatch({ type: 'renameFile', id, name }),

    addPicked,
    addPaths,
    pickFiles: () => addFrom(() => ipc.files.pick()),
    removeFile(id) {
      const file = get().form.files.find((f) => f.id === id);
      dispatch({ type: 'removeFile', id });
      if (file) hashing.cancel([file]);
    },
    moveFile(id, offset) {
      const at = get().form.files.findIndex((f) => f.id === id);
      if (at >= 0) dispatch({ type: 'moveFile', id, to: at + offset });
    },
    moveFileTo: (id, to) => dispatch({ type: 'moveFile', id, to }),
    onHashProgress: (hashId, bytes, total) => hashing.progress(hashId, bytes, total),

    next() {
      const { step, form } = get();
      const spoken = dialect();
      const valid = stepIsValid(step, form, spoken, remoteIssues(get()));
      dispatch(valid ? { type: 'advance', dialect: spoken } : { type: 'refuse', step });
      return valid;
    },
    back: () => dispatch({ type: 'back', dialect: dialect() }),
    goTo: (step) => dispatch({ type: 'goTo', step, dialect: dialect() }),
    setMode: (mode) => dispatch({ type: 'setMode', mode }),
    setVerifyOn: (devices) => dispatch({ type: 'setVerifyOn', devices }),
    submit,

    async open(request) {
      if (request.recipe) {
        hashing.cancel(get().form.files);
        dispatch({ type: 'openRecipe', recipe: request.recipe, problems: request.problems ?? [] });
      } else {
        dispatch({ type: 'openFiles' });
      }
      const { paths, names } = pathsToOpen(request);
      if (paths.length > 0) await addPaths(paths, names);
    },
    switchToRecipeProfile() {
      const asked = get().recipe?.askedProfile;
      if (!asked) return;
      setProfile(asked);
      dispatch({ type: 'recipeProfileAnswered' });
    },
    keepProfile: () => dispatch({ type: 'recipeProfileAnswered' }),
    dismissRecipe: () => dispatch({ type: 'dismissRecipe' }),
    reset() {
      hashing.cancel(get().form.files);
      dispatch({ type: 'reset' });
    },
    async checkRemote() {
      const { form } = get();
      const key = formKey(form);
      try {
        const found = await ipc.spec.validate(specOf(form, dialect()), dialect());
        const issues: Record<string, Issues[string]> = {};
        // Only what is entered after the Files step: file checks run locally, with the files' facts.
        for (const issue of found) {
          const step = stepOfField(issue.field);
          if (step !== 'files' && step !== 'target' && issues[issue.field] === undefined)
            issues[issue.field] = issue.message;
        }
        dispatch({ type: 'remoteChecked', key, issues });
      } catch {
        // The local rules still apply; the publish itself validates again.
      }
    },
    async checkName() {
      const { form } = get();
      const key = nameKey(form);
      const productKey = form.productKey.trim();
      if (get().nameCheck.key === key && get().nameCheck.result !== null) return;
      dispatch({ type: 'nameChecked', key, result: null });
      try {
        const result = await ipc.preflight.checkName(form.profile, productKey, form.firmwareName);
        dispatch({ type: 'nameChecked', key, result });
      } catch (e) {
        dispatch({ type: 'nameChecked', key, result: { state: 'unchecked', reason: ipcErrorOf(e).message } });
      }
    },
    checkPreflight,
    async createModule(moduleName) {
      await ipc.preflight.createModule(get().form.profile, get().form.productKey.trim(), moduleName);
      await checkPreflight();
    },
    async checkOnly() {
      const { form, verifyOn } = get();
      return ipc.preflight.checkOnly({
        profile: form.profile,
        spec: specOf(form, dialect()),
        ...(verifyOn.length > 0 ? { verifyOn } : {}),
      });
    },
    editAgain() {
      const { jobId } = get();
      const error = jobId ? links.jobError(jobId) : undefined;
      const field = error?.code ? fieldOfCloudError(error.code, error.message) : undefined;
      const message =
        field && error
          ? {
              en: bilingual('wizard.cloudFieldError', { code: error.code ?? '', message: error.message }).en,
              zh: bilingual('wizard.cloudFieldError', { code: error.code ?? '', message: error.hint.zh }).zh,
            }
          : undefined;
      dispatch({ type: 'editAgain', field, message, dialect: dialect() });
    },
    focused: () => dispatch({ type: 'focused' }),
  };
});
