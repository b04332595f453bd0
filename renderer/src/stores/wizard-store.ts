import { create } from 'zustand';
import type { IpcError, JobSummary, OpenRequest, PickedFile } from '../../../electron/core/contract.js';
import type { Text } from '../../../electron/core/i18n/text.js';
import { ipc, ipcErrorOf } from '../ipc/client.js';
import { EMPTY_FORM, formFromRecipe, withSuggestion, wizardFile } from '../wizard/draft.js';
import { specOf, stepIssues } from '../wizard/rules.js';
import { STEPS, type StepId, type WizardFile, type WizardForm } from '../wizard/wizard-types.js';
import { useOutboxStore } from './outbox-store.js';
import { useProfilesStore } from './profiles-store.js';
import { useSettingsStore } from './settings-store.js';

export type SubmitMode = 'now' | 'queue';

/** The recipe the draft was started from, while the wizard still has something to say about it. */
export interface OpenedRecipe {
  readonly path: string;
  /** The profile the recipe asks for, until the user switches to it or keeps the current one. */
  readonly askedProfile: string | null;
  readonly problems: readonly Text[];
}

/** MultiFiles names by path, for files being added. */
type NamesByPath = ReadonlyMap<string, string>;

interface WizardState {
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
  onHashProgress(hashId: string, bytes: number, total: number): void;
  /** Moves on when the current step is valid; returns false (and shows errors) when not. */
  next(): boolean;
  back(): void;
  goTo(step: StepId): void;
  setMode(mode: SubmitMode): void;
  submit(mode: SubmitMode): Promise<JobSummary | null>;
  /** Opens files, or starts a fresh draft from a recipe (its profile only once the user agrees). */
  open(request: OpenRequest): Promise<void>;
  /** The user agreed to the profile the opened recipe asks for. */
  switchToRecipeProfile(): void;
  /** The user keeps the current profile; the recipe's is not used. */
  keepProfile(): void;
  dismissRecipe(): void;
  reset(): void;
}

/**
 * The API field each form key is checked as. A field's error shows once the user has typed in it
 * (not on blur: an error appearing on blur shifts the layout under a click on Next).
 */
const FIELD_OF: Partial<Record<keyof WizardForm, string>> = {
  srcVersion: 'SrcVersion',
  desc: 'FirmwareDesc',
  udi: 'Udi',
};

let hashCounter = 0;
function newHashId(): string {
  hashCounter += 1;
  return `hash-${Date.now().toString(36)}-${hashCounter}`;
}

/** The dialect of the chosen profile (the sandbox speaks Alibaba's). */
export function dialectOf(profile: string): 'aliyun' | 'tuya' {
  return useProfilesStore.getState().profiles.find((p) => p.name === profile)?.dialect ?? 'aliyun';
}

/** A wizard with nothing entered, on its first step. */
const FRESH = {
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
} as const satisfies Partial<WizardState>;

function cancelHashing(files: readonly WizardFile[]): void {
  for (const f of files)
    if (f.hash.status === 'hashing') void ipc.files.cancelHash(f.id).catch(() => undefined);
}

/** The publish wizard: the form, the step, background hashing and the submitted job. */
export const useWizardStore = create<WizardState>()((set, get) => {
  const patchForm = (patch: Partial<WizardForm>): void => set({ form: { ...get().form, ...patch } });
  const patchFile = (id: string, patch: (f: WizardFile) => WizardFile): void =>
    patchForm({ files: get().form.files.map((f) => (f.id === id ? patch(f) : f)) });

  const startHash = (file: WizardFile): void => {
    ipc.files.hash(file.id, [file.path]).then(
      ([fingerprint]) => {
        patchFile(file.id, (f) => ({
          ...f,
          size: fingerprint?.size ?? f.size,
          hash: {
            ...f.hash,
            status: 'done',
            bytes: fingerprint?.size ?? f.size,
            md5: fingerprint?.md5,
            sha256: fingerprint?.sha256,
          },
        }));
      },
      (e: unknown) => {
        // A removed file's cancelled run is not an error worth showing.
        if (!get().form.files.some((f) => f.id === file.id)) return;
        const message = ipcErrorOf(e).message;
        patchFile(file.id, (f) => ({ ...f, hash: { ...f.hash, status: 'failed', error: message.en } }));
      },
    );
  };

  return {
    ...FRESH,

    set: (key, value) => {
      patchForm({ [key]: value });
      const field = FIELD_OF[key];
      if (field) get().touch(field);
    },
    touch: (field) => set({ touched: { ...get().touched, [field]: true } }),
    setProfile: (profile) => {
      const recent = useSettingsStore.getState().settings.recentProducts[profile] ?? [];
      const form = get().form;
      set({ form: { ...form, profile, productKey: form.productKey || (recent[0] ?? '') } });
      void useSettingsStore.getState().update({ lastProfile: profile });
    },
    setProductKey: (productKey) =>
      set({
        form: withSuggestion({ ...get().form, productKey }),
        touched: { ...get().touched, ProductKey: true },
      }),
    setDestVersion: (destVersion) =>
      set({
        form: withSuggestion({ ...get().form, destVersion }),
        touched: { ...get().touched, DestVersion: true },
      }),
    setModule: (moduleName) =>
      set({
        form: withSuggestion({ ...get().form, moduleName }),
        touched: { ...get().touched, ModuleName: true },
      }),
    setFirmwareName: (firmwareName) =>
      // Clearing the field hands it back to the suggestion.
      set({
        form: withSuggestion({ ...get().form, firmwareName, firmwareNameEdited: firmwareName !== '' }),
        touched: { ...get().touched, FirmwareName: true },
      }),
    setFileName: (id, name) => patchFile(id, (f) => ({ ...f, name })),

    addPicked(picked, names) {
      const known = new Set(get().form.files.map((f) => f.path));
      const added = picked
        .filter((p) => !known.has(p.path))
        .map((p) => wizardFile(p, newHashId(), names?.get(p.path)));
      patchForm({ files: [...get().form.files, ...added] });
      set({ filesNotice: null });
      added.forEach(startHash);
    },
    async addPaths(paths, names) {
      if (paths.length === 0 || paths.some((p) => p === '')) set({ filesNotice: 'no-path' });
      const usable = paths.filter((p) => p !== '');
      if (usable.length === 0) return;
      try {
        get().addPicked(await ipc.files.stat(usable), names);
      } catch (e) {
        set({ submitError: ipcErrorOf(e) });
      }
    },
    async pickFiles() {
      try {
        get().addPicked(await ipc.files.pick());
      } catch (e) {
        set({ submitError: ipcErrorOf(e) });
      }
    },
    removeFile(id) {
      const file = get().form.files.find((f) => f.id === id);
      patchForm({ files: get().form.files.filter((f) => f.id !== id) });
      if (file?.hash.status === 'hashing') void ipc.files.cancelHash(id).catch(() => undefined);
    },
    onHashProgress(hashId, bytes, total) {
      const file = get().form.files.find((f) => f.id === hashId);
      if (!file || file.hash.status !== 'hashing') return;
      const seconds = (Date.now() - file.hash.startedAt) / 1000;
      patchFile(hashId, (f) => ({
        ...f,
        size: total,
        hash: { ...f.hash, bytes, rate: seconds > 0 ? bytes / seconds : 0 },
      }));
    },

    next() {
      const { step, form } = get();
      const issues = stepIssues(step, form, dialectOf(form.profile));
      if (Object.keys(issues).length > 0) {
        set({ attempted: { ...get().attempted, [step]: true } });
        return false;
      }
      const index = STEPS.indexOf(step);
      const following = STEPS[index + 1];
      if (following && following !== 'progress') set({ step: following });
      return true;
    },
    back() {
      const index = STEPS.indexOf(get().step);
      const previous = STEPS[index - 1];
      if (previous && get().step !== 'progress') set({ step: previous });
    },
    goTo(step) {
      // Only backwards, or forwards over steps that are already valid.
      const current = STEPS.indexOf(get().step);
      const target = STEPS.indexOf(step);
      if (step === 'progress' || get().step === 'progress') return;
      if (target <= current) {
        set({ step });
        return;
      }
      const { form } = get();
      for (let i = current; i < target; i++) {
        const s = STEPS[i];
        if (s && Object.keys(stepIssues(s, form, dialectOf(form.profile))).length > 0) {
          set({ step: s, attempted: { ...get().attempted, [s]: true } });
          return;
        }
      }
      set({ step });
    },
    setMode: (mode) => set({ mode }),

    async submit(mode) {
      const { form } = get();
      const dialect = dialectOf(form.profile);
      if (Object.keys(stepIssues('review', form, dialect)).length > 0) {
        set({ attempted: { ...get().attempted, review: true } });
        return null;
      }
      set({ submitting: true, submitError: null });
      try {
        const request = { profile: form.profile, spec: specOf(form, dialect) };
        const job = mode === 'now' ? await ipc.publish.now(request) : await ipc.publish.queue(request);
        useOutboxStore.getState().upsert(job);
        set({ submitting: false, jobId: job.id, step: 'progress' });
        void useSettingsStore.getState().rememberProduct(form.profile, form.productKey.trim());
        return job;
      } catch (e) {
        set({ submitting: false, submitError: ipcErrorOf(e) });
        return null;
      }
    },

    async open(request) {
      const { recipe } = request;
      if (!recipe) {
        set({ step: 'target', jobId: null });
        if (request.files.length > 0) await get().addPaths(request.files);
        return;
      }
      // A recipe is a whole publish: it replaces the draft rather than adding to it.
      const { files, profile, productKey } = get().form;
      cancelHashing(files);
      set({
        ...FRESH,
        form: formFromRecipe({ ...EMPTY_FORM, profile, productKey }, recipe.spec),
        recipe: {
          path: recipe.path,
          askedProfile: recipe.profile !== undefined && recipe.profile !== profile ? recipe.profile : null,
          problems: request.problems ?? [],
        },
      });
      const paths = [...recipe.files.map((f) => f.path), ...request.files];
      if (paths.length > 0) await get().addPaths(paths, new Map(recipe.files.map((f) => [f.path, f.name])));
    },
    switchToRecipeProfile() {
      const recipe = get().recipe;
      if (!recipe?.askedProfile) return;
      get().setProfile(recipe.askedProfile);
      set({ recipe: { ...recipe, askedProfile: null } });
    },
    keepProfile() {
      const recipe = get().recipe;
      if (recipe) set({ recipe: { ...recipe, askedProfile: null } });
    },
    dismissRecipe: () => set({ recipe: null }),

    reset() {
      const { profile, productKey } = get().form;
      cancelHashing(get().form.files);
      // Keep the target: the next publish usually goes to the same product.
      set({ ...FRESH, form: { ...EMPTY_FORM, profile, productKey } });
    },
  };
});
