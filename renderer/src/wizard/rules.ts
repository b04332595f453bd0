/**
 * The wizard's checks, built on the engine's rule functions so the wizard and the CLI never
 * disagree. Pure: given the form, they say which fields are wrong on which step.
 */
import type { Text } from '../../../electron/core/i18n/text.js';
import type { FileFacts, FirmwareSpec, Dialect } from '../../../electron/core/contract.js';
import { validateField, validateSpec } from '../../../electron/core/contract.js';
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

function add(issues: Record<FieldKey, Text>, field: FieldKey, message: Text | undefined): void {
  if (message && issues[field] === undefined) issues[field] = message;
}

/** The problems of one step's fields; empty means the user may go on. */
export function stepIssues(step: StepId, form: WizardForm, dialect: Dialect): Issues {
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
          add(issues, issue.field, issue.message);
        }
      }
      form.files.forEach((f, i) => {
        if (f.hash.status === 'failed') {
          add(
            issues,
            `Files.${i + 1}`,
            text(
              `Could not read ${f.baseName}: ${f.hash.error?.en ?? ''}`,
              `无法读取 ${f.baseName}：${f.hash.error?.zh ?? ''}`,
            ),
          );
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
      const bad = udiJsonError(form.udi);
      if (bad !== undefined) {
        add(
          issues,
          'Udi',
          text(`This looks like JSON but does not parse: ${bad}`, `内容看起来是 JSON，但无法解析：${bad}`),
        );
      }
      break;
    }
    case 'review': {
      // Everything at once: the last line of defence before sending.
      for (const earlier of ['target', 'files', 'version', 'type', 'udi'] as const) {
        for (const [field, message] of Object.entries(stepIssues(earlier, form, dialect)))
          add(issues, field, message);
      }
      break;
    }
    case 'progress':
      break;
  }
  return issues;
}

/** The first step (before `upTo`) with a problem, if any. */
export function firstInvalidStep(form: WizardForm, dialect: Dialect, upTo: StepId): StepId | undefined {
  for (const step of ['target', 'files', 'version', 'type', 'udi'] as const) {
    if (step === upTo) return undefined;
    if (Object.keys(stepIssues(step, form, dialect)).length > 0) return step;
  }
  return undefined;
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
