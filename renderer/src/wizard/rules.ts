/**
 * The wizard's checks, built on the engine's rule functions so the wizard and the CLI never
 * disagree. Pure: given the form, they say which fields are wrong on which step.
 */
import type { Text } from '../../../electron/core/i18n/text.js';
import type { FileFacts, FirmwareSpec, Dialect } from '../../../electron/core/contract.js';
import { validateField, validateSpec } from '../../../electron/core/contract.js';
import { en } from '../i18n/en.js';
import { translate, type Vars } from '../i18n/translate.js';
import { zh } from '../i18n/zh.js';
import type { MessageKey } from '../i18n/en.js';
import type { FieldKey, StepId, WizardForm } from './wizard-types.js';

export type Issues = Readonly<Record<FieldKey, Text>>;

/** The FirmwareSpec the form describes, exactly as it will be submitted. */
export function specOf(form: WizardForm, dialect: Dialect): FirmwareSpec {
  const multi = dialect === 'aliyun' && form.files.length > 1;
  return {
    productKey: form.productKey.trim(),
    firmwareName: form.firmwareName,
    destVersion: form.destVersion,
    // Sent as typed: a cleared module field is refused by the shared ModuleName rule, not quietly
    // turned into the `default` module.
    moduleName: form.moduleName,
    type: form.type,
    srcVersion: form.type === 'diff' && form.srcVersion !== '' ? form.srcVersion : undefined,
    signMethod: form.signMethod,
    desc: form.desc === '' ? undefined : form.desc,
    udi: form.udi === '' ? undefined : form.udi,
    needToVerify: form.needToVerify,
    // The name is only sent for multi-file packages; a single file keeps the engine's default.
    files: form.files.map((f) => (multi ? { path: f.path, name: f.name } : { path: f.path })),
  };
}

function factsOf(form: WizardForm): FileFacts[] {
  return form.files.map((f) => ({ path: f.path, name: f.baseName, size: f.size }));
}

/** True when `text` is meant as JSON: it starts with `{` or `[` (after blanks). */
export function looksLikeJson(text: string): boolean {
  return /^\s*[[{]/.test(text);
}

/** The JSON parse error of a JSON-looking Udi, in English (the engine's own words). */
export function udiJsonError(udi: string): string | undefined {
  if (!looksLikeJson(udi)) return undefined;
  try {
    JSON.parse(udi);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const text = (en: string, zh: string): Text => ({ en, zh });

/** A renderer message in both languages, so an error keeps both until it is rendered. */
export function bilingual(key: MessageKey, vars?: Vars): Text {
  return { en: translate('en', key, vars), zh: translate('zh', key, vars) };
}

/** The Udi's JSON error in both languages, with line and column when the parser gives a position. */
export function udiJsonIssue(udi: string): Text | undefined {
  const message = udiJsonError(udi);
  if (message === undefined) return undefined;
  const at = /position (\d+)/.exec(message);
  if (!at) return bilingual('udi.jsonBad', { message });
  const before = udi.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return bilingual('udi.jsonBadAt', { line, column, message });
}

/** The placeholders of the "Insert template" button, in every language. */
const TEMPLATE_PLACEHOLDERS = [en['udi.templateText'], zh['udi.templateText']];

/** The template placeholder left in the Udi, if any. */
export function udiPlaceholder(udi: string): string | undefined {
  return TEMPLATE_PLACEHOLDERS.find((p) => udi.includes(p));
}

/** API parameters a cloud refusal may name, and the wizard field each is entered in. */
const PARAMETER_FIELDS: readonly (readonly [RegExp, FieldKey])[] = [
  [/FirmwareName/i, 'FirmwareName'],
  [/SrcVersion/i, 'SrcVersion'],
  [/DestVersion|\.Version\b|FirmwareVersion/i, 'DestVersion'],
  [/ModuleName|\.Module/i, 'ModuleName'],
  [/FirmwareDesc|Description/i, 'FirmwareDesc'],
  [/Udi/, 'Udi'],
  [/Product|\.prod\./i, 'ProductKey'],
];

/**
 * The field a cloud refusal is about, or undefined when it names none (the Review step shows
 * those). The code decides first (iot.ota.AlreadyExistedFirmwareName → FirmwareName); a generic
 * code such as InvalidParameter is placed by the one parameter its message names, if exactly one.
 */
export function fieldOfCloudError(code: string, message = ''): FieldKey | undefined {
  const byCode = PARAMETER_FIELDS.find(([pattern]) => pattern.test(code))?.[1];
  if (byCode) return byCode;
  const named = new Set(
    PARAMETER_FIELDS.filter(([pattern]) => pattern.test(message)).map(([, field]) => field),
  );
  return named.size === 1 ? [...named][0] : undefined;
}

/** Build outputs the cloud cannot send, with how to convert them. */
const CONVERTIBLE = /\.(elf|hex|ihex|axf|out)$/i;

/** The step each field is entered on (the stepper opens it for an error that names the field). */
export function stepOfField(field: FieldKey): StepId {
  if (field === 'Profile' || field === 'ProductKey') return 'target';
  if (field.startsWith('Files') || field.startsWith('MultiFiles')) return 'files';
  if (
    ['ModuleName', 'DestVersion', 'FirmwareName', 'FirmwareDesc', 'SignMethod', 'NeedToVerify'].includes(
      field,
    )
  )
    return 'version';
  if (field === 'Type' || field === 'SrcVersion') return 'type';
  if (field === 'Udi') return 'udi';
  return 'review';
}

function add(issues: Record<FieldKey, Text>, field: FieldKey, message: Text | undefined): void {
  if (message && issues[field] === undefined) issues[field] = message;
}

/**
 * The problems of one step's fields; empty means the user may go on. `remote`: what the app
 * service's checks found (e.g. a FirmwareName already in the outbox), for the current form.
 */
export function stepIssues(step: StepId, form: WizardForm, dialect: Dialect, remote: Issues = {}): Issues {
  const issues: Record<FieldKey, Text> = {};
  switch (step) {
    case 'target':
      if (form.profile === '') add(issues, 'Profile', text('Choose a profile.', '请选择一个配置。'));
      add(issues, 'ProductKey', validateField('ProductKey', form.productKey.trim())?.message);
      break;
    case 'files': {
      const all = validateSpec(specOf(form, dialect), dialect, factsOf(form));
      for (const issue of all) {
        if (issue.field.startsWith('Files') || issue.field.startsWith('MultiFiles')) {
          const convertible =
            issue.rule === 'suffix'
              ? CONVERTIBLE.exec(form.files[fileIndexOf(issue.field)]?.baseName ?? '')
              : null;
          add(
            issues,
            issue.field,
            convertible
              ? joined(
                  issue.message,
                  bilingual('files.convertHint', { suffix: `.${convertible[1]!.toLowerCase()}` }),
                )
              : issue.message,
          );
        }
      }
      form.files.forEach((f, i) => {
        if (f.hash.status === 'failed') {
          const error = f.hash.error ?? text('', '');
          add(issues, `Files.${i + 1}`, {
            en: translate('en', 'files.readFailed', { name: f.baseName, message: error.en }),
            zh: translate('zh', 'files.readFailed', { name: f.baseName, message: error.zh }),
          });
        }
      });
      break;
    }
    case 'version':
      add(issues, 'ModuleName', validateField('ModuleName', form.moduleName)?.message);
      add(issues, 'DestVersion', validateField('DestVersion', form.destVersion)?.message);
      add(issues, 'FirmwareName', validateField('FirmwareName', form.firmwareName)?.message);
      add(issues, 'FirmwareDesc', validateField('FirmwareDesc', form.desc)?.message);
      break;
    case 'type':
      if (dialect === 'tuya' && form.type === 'diff') {
        add(
          issues,
          'Type',
          validateSpec(specOf(form, dialect), dialect).find((i) => i.field === 'Type')?.message,
        );
      }
      if (form.type === 'diff') {
        add(
          issues,
          'SrcVersion',
          validateField('SrcVersion', form.srcVersion, { destVersion: form.destVersion, type: 'diff' })
            ?.message,
        );
      }
      break;
    case 'udi': {
      add(issues, 'Udi', validateField('Udi', form.udi)?.message);
      add(issues, 'Udi', udiJsonIssue(form.udi));
      const placeholder = udiPlaceholder(form.udi);
      if (placeholder !== undefined) add(issues, 'Udi', bilingual('udi.placeholderLeft', { placeholder }));
      break;
    }
    case 'review': {
      // Everything at once: the last line of defence before sending.
      for (const earlier of ['target', 'files', 'version', 'type', 'udi'] as const) {
        for (const [field, message] of Object.entries(stepIssues(earlier, form, dialect, remote)))
          add(issues, field, message);
      }
      break;
    }
    case 'progress':
      break;
  }
  if (step !== 'review') {
    for (const [field, message] of Object.entries(remote))
      if (stepOfField(field) === step) add(issues, field, message);
  }
  return issues;
}

/** `Files.3` or `MultiFiles.3.Name` → 2 (the file's index in the form). */
function fileIndexOf(field: FieldKey): number {
  return Number(field.split('.')[1] ?? 0) - 1;
}

const joined = (first: Text, second: Text): Text => ({
  en: `${first.en} ${second.en}`,
  zh: `${first.zh} ${second.zh}`,
});

/** The first step (before `upTo`) with a problem, if any. */
export function firstInvalidStep(
  form: WizardForm,
  dialect: Dialect,
  upTo: StepId,
  remote: Issues = {},
): StepId | undefined {
  for (const step of ['target', 'files', 'version', 'type', 'udi'] as const) {
    if (step === upTo) return undefined;
    if (Object.keys(stepIssues(step, form, dialect, remote)).length > 0) return step;
  }
  return undefined;
}

/** The version after `version`: its last number plus one (1.2.0 → 1.2.1, v7 → v8); '' when none. */
export function nextVersion(version: string): string {
  const match = /^(.*?)(\d+)(\D*)$/.exec(version);
  if (!match) return '';
  const [, head = '', digits = '0', tail = ''] = match;
  const bumped = String(Number(digits) + 1).padStart(digits.length, '0');
  return `${head}${bumped}${tail}`;
}

/** Allowed FirmwareName characters; anything else becomes `_` in a suggestion. */
const NAME_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30FCA-Za-z0-9()_-]/u;

/**
 * A FirmwareName from the module (or the product, for `default`) and the version, e.g.
 * `app-1_2_0`: FirmwareName forbids dots, so they become underscores.
 */
export function suggestFirmwareName(productKey: string, moduleName: string, destVersion: string): string {
  if (destVersion === '') return '';
  const prefix = moduleName !== '' && moduleName !== 'default' ? moduleName : productKey.trim();
  const raw = prefix === '' ? destVersion : `${prefix}-${destVersion}`;
  let name = [...raw].map((c) => (NAME_CHAR.test(c) ? c : '_')).join('');
  // It must start with a letter or digit.
  name = name.replace(/^[^\p{L}\p{N}]+/u, '');
  return [...name].slice(0, 40).join('');
}
