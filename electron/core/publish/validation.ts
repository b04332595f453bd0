/**
 * Checks a FirmwareSpec against every documented rule of GenerateOTAUploadURL and
 * CreateOTAFirmware before anything is sent. Pure (no I/O, no node: imports): the renderer imports
 * it in a browser; file sizes come in as FileFacts read by the caller.
 */
import { ValidationError } from '../validation-issue.js';
import { baseName, countChars, multiFileName } from './file-names.js';
import { acceptedSuffixes, extensionOf, fileSuffixOf } from './file-suffix.js';
import { LIMITS, validateField } from './field-rules.js';
import { type ValidationIssue } from '../validation-issue.js';
import * as msg from './validation-messages.js';
import { MAX_FILE_SIZE, MAX_FILES, type FileFacts, type FirmwareSpec } from './spec.js';
import { type Dialect } from '../cloud/target.js';
import { encodedLength, MAX_REQUEST_LINE_BYTES, urlTooLongText } from '../cloud/url-limit.js';

export { baseName, countChars, multiFileName } from './file-names.js';
export { acceptedSuffixes, fileSuffixOf } from './file-suffix.js';
export { checkInstanceId, checkRegionId, validateField, type CheckedField } from './field-rules.js';
export { type ValidationIssue } from '../validation-issue.js';

const PACKAGE_TYPES: readonly string[] = ['full', 'diff'];
const SIGN_METHODS: readonly string[] = ['MD5', 'SHA256'];

/** Specs may come from JSON or the command line, so a field can hold anything at run time. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined || value === null ? '' : String(value);
}

function push(issues: ValidationIssue[], found: ValidationIssue | undefined): void {
  if (found) issues.push(found);
}

function checkChoices(spec: FirmwareSpec, issues: ValidationIssue[]): void {
  const type = asText(spec.type);
  if (!PACKAGE_TYPES.includes(type)) {
    issues.push({ field: 'Type', rule: 'one-of', message: msg.oneOf('Type', type, PACKAGE_TYPES) });
  }
  const signMethod = asText(spec.signMethod);
  if (!SIGN_METHODS.includes(signMethod)) {
    issues.push({
      field: 'SignMethod',
      rule: 'one-of',
      message: msg.oneOf('SignMethod', signMethod, SIGN_METHODS),
    });
  }
  if (spec.needToVerify !== undefined && typeof spec.needToVerify !== 'boolean') {
    issues.push({
      field: 'NeedToVerify',
      rule: 'boolean',
      message: msg.notBoolean('NeedToVerify', asText(spec.needToVerify)),
    });
  }
}

function checkFileCount(spec: FirmwareSpec, dialect: Dialect, issues: ValidationIssue[]): void {
  const count = spec.files.length;
  if (count === 0) issues.push({ field: 'Files', rule: 'count', message: msg.noFiles() });
  else if (dialect === 'tuya' && count > 1) {
    // Tuya's CreateOTAFirmware has no MultiFiles parameters.
    issues.push({ field: 'Files', rule: 'dialect', message: msg.tuyaSingleFile(count) });
  } else if (count > MAX_FILES) {
    issues.push({ field: 'Files', rule: 'count', message: msg.tooManyFiles(count, MAX_FILES) });
  }
}

function checkFiles(
  spec: FirmwareSpec,
  dialect: Dialect,
  facts: readonly FileFacts[] | undefined,
  issues: ValidationIssue[],
): void {
  const accepted = acceptedSuffixes(dialect);
  spec.files.forEach((file, i) => {
    const field = `Files.${i + 1}`;
    const path = asText(file.path);
    const shownName = multiFileName({ path, name: file.name });
    if (fileSuffixOf(path, dialect) === undefined) {
      issues.push({
        field,
        rule: 'suffix',
        message: msg.badSuffix(field, baseName(path), accepted, extensionOf(path)),
      });
    }
    const size = facts?.find((f) => f.path === path)?.size;
    if (size === 0) issues.push({ field, rule: 'empty', message: msg.emptyFile(field, shownName) });
    else if (size !== undefined && size > MAX_FILE_SIZE) {
      issues.push({
        field,
        rule: 'too-large',
        message: msg.fileTooLarge(field, shownName, size, MAX_FILE_SIZE),
      });
    }
  });
}

/** MultiFiles.N.Name is sent only for multi-file packages: 1–32 characters, unique. */
function checkMultiFileNames(spec: FirmwareSpec, issues: ValidationIssue[]): void {
  const firstUse = new Map<string, number>();
  spec.files.forEach((file, i) => {
    const field = `MultiFiles.${i + 1}.Name`;
    const name = asText(multiFileName(file));
    if (name === '') {
      issues.push({ field, rule: 'required', message: msg.multiNameRequired(field) });
      return;
    }
    if (countChars(name) > LIMITS.multiFileName) {
      issues.push({ field, rule: 'max-length', message: msg.tooLong(field, name, LIMITS.multiFileName) });
    }
    const earlier = firstUse.get(name);
    if (earlier === undefined) firstUse.set(name, i + 1);
    else issues.push({ field, rule: 'unique', message: msg.duplicateName(field, name, earlier) });
  });
}

/**
 * Room a Tuya CreateOTAFirmware URL needs besides its free-text fields: the common parameters,
 * signature, file URL, size, sign and method (~550 bytes measured) with a margin for longer hosts.
 */
const TUYA_URL_RESERVE = 1024;

/**
 * Tuya's CreateOTAFirmware sends every parameter in the URL: refuse text that cannot fit in
 * MAX_REQUEST_LINE_BYTES, naming the longer of Udi and FirmwareDesc (rpc-request.ts checks the
 * real URL again before sending).
 */
function checkTuyaUrlLength(spec: FirmwareSpec, issues: ValidationIssue[]): void {
  const texts: Record<string, string> = {
    Udi: asText(spec.udi),
    FirmwareDesc: asText(spec.desc),
    FirmwareName: asText(spec.firmwareName),
    DestVersion: asText(spec.destVersion),
    SrcVersion: asText(spec.srcVersion),
    ModuleName: asText(spec.moduleName),
  };
  const sizes = Object.entries(texts).map(([field, value]): [string, number] => [
    field,
    encodedLength(value),
  ]);
  const bytes = TUYA_URL_RESERVE + sizes.reduce((sum, [, n]) => sum + n, 0);
  if (bytes <= MAX_REQUEST_LINE_BYTES) return;
  const [field, fieldBytes] = sizes
    .filter(([f]) => f === 'Udi' || f === 'FirmwareDesc')
    .reduce((a, b) => (b[1] > a[1] ? b : a));
  issues.push({ field, rule: 'url-length', message: urlTooLongText(bytes, field, fieldBytes) });
}

/**
 * Every rule broken by `spec` for `dialect`, in API parameter order; empty when it can be
 * published. Size rules (empty file, over 1,000 MB) run only when `files` facts are given.
 */
export function validateSpec(
  spec: FirmwareSpec,
  dialect: Dialect,
  files?: readonly FileFacts[],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const destVersion = asText(spec.destVersion);
  push(issues, validateField('ProductKey', asText(spec.productKey)));
  push(issues, validateField('FirmwareName', asText(spec.firmwareName)));
  push(issues, validateField('DestVersion', destVersion));
  checkChoices(spec, issues);
  if (dialect === 'tuya' && spec.type === 'diff') {
    issues.push({ field: 'Type', rule: 'dialect', message: msg.tuyaNoDiff() });
  }
  const type = spec.type === 'full' || spec.type === 'diff' ? spec.type : undefined;
  push(issues, validateField('SrcVersion', asText(spec.srcVersion), { destVersion, type }));
  // Left out means the `default` module; given, it must be a module name (so not blank).
  if (spec.moduleName !== undefined) push(issues, validateField('ModuleName', asText(spec.moduleName)));
  push(issues, validateField('FirmwareDesc', asText(spec.desc)));
  push(issues, validateField('Udi', asText(spec.udi)));
  if (dialect === 'tuya') checkTuyaUrlLength(spec, issues);
  const fileList = Array.isArray(spec.files) ? spec.files : [];
  const listed = { ...spec, files: fileList };
  checkFileCount(listed, dialect, issues);
  checkFiles(listed, dialect, files, issues);
  if (dialect === 'aliyun' && fileList.length > 1) checkMultiFileNames(listed, issues);
  return issues;
}

/** Throws a ValidationError listing every broken rule; returns quietly when the spec is valid. */
export function assertValidSpec(spec: FirmwareSpec, dialect: Dialect, files?: readonly FileFacts[]): void {
  const issues = validateSpec(spec, dialect, files);
  if (issues.length > 0) throw new ValidationError(issues);
}
