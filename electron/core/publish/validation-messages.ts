/**
 * The bilingual sentences validation reports. Each names the API field, the rule and what is wrong
 * with the actual value, so a user can fix it without reading the API documentation.
 */
import { text, type Text } from '../i18n/text.js';
import { countChars } from './file-names.js';
import type { FileProblem } from '../files/file-problem.js';

/** Long values (a 4 KB Udi) are cut when quoted; the message is about the problem, not the value. */
const QUOTE_LIMIT = 40;

function shown(value: string): string {
  const chars = [...value.replace(/\p{Cc}/gu, '?')];
  return chars.length > QUOTE_LIMIT ? `${chars.slice(0, QUOTE_LIMIT).join('')}…` : chars.join('');
}
const qEn = (value: string): string => `"${shown(value)}"`;
const qZh = (value: string): string => `“${shown(value)}”`;

/** Characters a reader cannot see in a quoted value: whitespace, controls, zero-width formats. */
const INVISIBLE = /[\s\p{Cc}\p{Cf}]/u;
const codeOf = (c: string): string => (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');

/** Names one offending character so it can be found: spaces and invisible ones are spelled out. */
function charEn(c: string): string {
  if (c === ' ') return 'a space';
  if (INVISIBLE.test(c)) return `an invisible character (U+${codeOf(c)})`;
  return `"${c}"`;
}
function charZh(c: string): string {
  if (c === ' ') return '空格';
  if (INVISIBLE.test(c)) return `不可见字符（U+${codeOf(c)}）`;
  return `“${c}”`;
}

/** 1234567 → "1,234,567"; written out so messages do not depend on the runtime's locale data. */
export function groupDigits(n: number | string): string {
  const [int = '', frac] = String(n).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

const MiB = 1024 * 1024;

export function required(field: string): Text {
  return text(`${field} is required.`, `${field} 为必填项。`);
}

export function srcVersionRequired(): Text {
  return text(
    'SrcVersion is required for a differential package (Type diff): give the version the devices run now.',
    '差分升级包（Type diff）必须填写 SrcVersion，即设备当前运行的版本。',
  );
}

export function tooLong(field: string, value: string, max: number): Text {
  const n = countChars(value);
  return text(
    `${field} is ${groupDigits(n)} characters long; at most ${groupDigits(max)} are allowed.`,
    `${field} 长度为 ${groupDigits(n)} 个字符，最多允许 ${groupDigits(max)} 个。`,
  );
}

export function moduleNameEmpty(): Text {
  return text(
    'ModuleName is empty: give the OTA module\'s name (letters, digits, ".", "-", "_"; 1–64 characters), e.g. "default" for the whole-device firmware, or leave ModuleName out.',
    'ModuleName 为空：请填写 OTA 模块名称（字母、数字、“.”、“-”、“_”，1–64 个字符），例如整机固件用“default”；或不提供 ModuleName。',
  );
}

export function productKeyCharset(value: string, bad: string): Text {
  return text(
    `ProductKey ${qEn(value)} may only contain letters and digits (copy it from the product page in the console); it contains ${charEn(bad)}.`,
    `ProductKey${qZh(value)}只能包含字母和数字（请从控制台的产品页复制），其中含有${charZh(bad)}。`,
  );
}

/** DestVersion, SrcVersion and ModuleName share one charset: letters, digits, `.`, `-`, `_`, 1–64. */
export function versionCharset(field: string, value: string, bad: string): Text {
  return text(
    `${field} ${qEn(value)} may only contain letters, digits, ".", "-" and "_" (1–64 characters); it contains ${charEn(bad)}.`,
    `${field}${qZh(value)}只能包含字母、数字、“.”、“-”和“_”（1–64 个字符），其中含有${charZh(bad)}。`,
  );
}

export function firmwareNameCharset(value: string, bad: string): Text {
  return text(
    `FirmwareName ${qEn(value)} may only contain Chinese, English or Japanese letters, digits, "-", "_", "(" and ")" (1–40 characters); it contains ${charEn(bad)}.`,
    `FirmwareName${qZh(value)}只能包含中文、英文字母、日文、数字、“-”、“_”、“(”和“)”（1–40 个字符），其中含有${charZh(bad)}。`,
  );
}

export function firmwareNameStart(value: string, first: string): Text {
  return text(
    `FirmwareName ${qEn(value)} must start with a Chinese, English or Japanese letter or a digit, not ${charEn(first)}.`,
    `FirmwareName${qZh(value)}必须以中文、英文字母、日文或数字开头，不能以${charZh(first)}开头。`,
  );
}

export function sameAsDest(value: string): Text {
  return text(
    `SrcVersion ${qEn(value)} equals DestVersion; a differential package must upgrade from a different version.`,
    `SrcVersion${qZh(value)}与 DestVersion 相同；差分升级包的源版本必须与目标版本不同。`,
  );
}

export function srcVersionOnFull(value: string): Text {
  // The API ignores SrcVersion on a full package; refusing it catches a forgotten Type diff.
  return text(
    `SrcVersion ${qEn(value)} is only for differential packages (Type diff); remove it or set Type to diff.`,
    `SrcVersion${qZh(value)}仅用于差分升级包（Type diff）；请删除它，或将 Type 设为 diff。`,
  );
}

export function oneOf(field: string, value: string, allowed: readonly string[]): Text {
  return text(
    `${field} ${qEn(value)} must be one of ${allowed.join(', ')}.`,
    `${field}${qZh(value)}必须是 ${allowed.join('、')} 之一。`,
  );
}

export function notBoolean(field: string, value: string): Text {
  return text(
    `${field} must be true or false, not ${qEn(value)}.`,
    `${field} 必须为 true 或 false，而不是${qZh(value)}。`,
  );
}

export function noFiles(): Text {
  return text('Files is empty: add at least one firmware file.', 'Files 为空：请至少添加一个升级包文件。');
}

export function tooManyFiles(count: number, max: number): Text {
  return text(
    `Files holds ${count} files; a package may hold at most ${max}.`,
    `Files 含有 ${count} 个文件；一个升级包最多 ${max} 个。`,
  );
}

export function badSuffix(field: string, name: string, accepted: readonly string[], extension: string): Text {
  const list = accepted.map((s) => `.${s}`);
  return text(
    `${field} ${qEn(name)} must end in ${list.join(', ')} (${extension ? `its extension is "${extension}"` : 'it has no extension'}).`,
    `${field}${qZh(name)}的扩展名必须是 ${list.join('、')} 之一（${extension ? `当前为“${extension}”` : '当前没有扩展名'}）。`,
  );
}

export function emptyFile(field: string, name: string): Text {
  return text(
    `File ${qEn(name)} (${field}) is empty (0 bytes); choose the built firmware file.`,
    `文件${qZh(name)}（${field}）为空（0 字节）；请选择构建好的升级包文件。`,
  );
}

export function fileTooLarge(field: string, name: string, size: number, max: number): Text {
  const mb = (size / MiB).toFixed(1);
  const limit = groupDigits(max / MiB);
  // Just over the limit still rounds to "1,000.0 MB": give bytes then, or the sentence contradicts itself.
  if (Number(mb) * MiB <= max) {
    return text(
      `File ${qEn(name)} (${field}) is ${groupDigits(size)} bytes; the limit is ${limit} MB (${groupDigits(max)} bytes) per file.`,
      `文件${qZh(name)}（${field}）大小为 ${groupDigits(size)} 字节，超过了每个文件 ${limit} MB（${groupDigits(max)} 字节）的上限。`,
    );
  }
  return text(
    `File ${qEn(name)} (${field}) is ${groupDigits(mb)} MB; the limit is ${limit} MB per file.`,
    `文件${qZh(name)}（${field}）大小为 ${groupDigits(mb)} MB，超过了每个文件 ${limit} MB 的上限。`,
  );
}

export function multiNameRequired(field: string): Text {
  return text(
    `${field} is empty; every file of a multi-file package needs a name (1–32 characters).`,
    `${field} 为空；多文件升级包中的每个文件都需要名称（1–32 个字符）。`,
  );
}

export function duplicateName(field: string, value: string, firstIndex: number): Text {
  return text(
    `${field} ${qEn(value)} is already used by file ${firstIndex}; file names must be unique within a package.`,
    `${field}${qZh(value)}已被第 ${firstIndex} 个文件使用；同一升级包内的文件名称不能重复。`,
  );
}

export function instanceIdFormat(value: string): Text {
  return text(
    `IotInstanceId ${qEn(value)} is not an instance ID: it starts with "iot-" or "iot_" and has at most 64 letters, digits, "-" and "_" (e.g. iot-cn-0pp1n8t…, iot-06z00…); copy it from the instance overview page of the IoT Platform console.`,
    `IotInstanceId${qZh(value)}不是实例 ID：实例 ID 以“iot-”或“iot_”开头，最多 64 个字母、数字、“-”和“_”（例如 iot-cn-0pp1n8t…、iot-06z00…）；请从物联网平台控制台的实例概览页复制。`,
  );
}

export function regionIdFormat(value: string, examples: readonly string[]): Text {
  return text(
    `RegionId ${qEn(value)} is not a region ID: lowercase letters, digits and "-", such as ${examples.join(', ')} (at most 32 characters).`,
    `RegionId${qZh(value)}不是地域 ID：地域 ID 由小写字母、数字和“-”组成，例如 ${examples.join('、')}（最多 32 个字符）。`,
  );
}

/** Control characters would garble a terminal; a path is otherwise quoted whole (its end matters). */
const shownPath = (path: string): string => path.replace(/\p{Cc}/gu, '?');

const NOT_A_FILE_EN = {
  directory: 'a folder',
  fifo: 'a named pipe (FIFO)',
  device: 'a device',
  socket: 'a socket',
  other: 'not a regular file',
} as const;
const NOT_A_FILE_ZH = {
  directory: '文件夹',
  fifo: '命名管道（FIFO）',
  device: '设备',
  socket: '套接字',
  other: '非普通文件',
} as const;

/** Why the local file named by `field` (Files.2, --udi-file) cannot be used, and what to do. */
export function fileProblem(field: string, path: string, problem: FileProblem): Text {
  const en = `File "${shownPath(path)}" (${field})`;
  const zh = `文件“${shownPath(path)}”（${field}）`;
  switch (problem.kind) {
    case 'not-found':
      return text(
        `${en} does not exist; check the path, or build the file first.`,
        `${zh}不存在；请检查路径，或先生成该文件。`,
      );
    case 'not-a-file':
      return text(
        `${en} is ${NOT_A_FILE_EN[problem.what]}, not a regular file; choose the file itself.`,
        `${zh}是${NOT_A_FILE_ZH[problem.what]}，不是普通文件；请选择文件本身。`,
      );
    case 'permission':
      return text(
        `${en} cannot be opened for reading (permission denied); give your user read access to it.`,
        `${zh}无法打开读取（权限不足）；请为当前用户授予该文件的读取权限。`,
      );
    case 'too-large':
      return text(
        `${en} is ${groupDigits(problem.size)} bytes; at most ${groupDigits(problem.max)} bytes are allowed.`,
        `${zh}大小为 ${groupDigits(problem.size)} 字节，最多允许 ${groupDigits(problem.max)} 字节。`,
      );
    case 'failed':
      return text(`${en} cannot be read (${problem.code}).`, `${zh}无法读取（${problem.code}）。`);
  }
}

/** The Udi limit is in characters; the file limit is the bytes UTF-8 needs for that many at most. */
export function udiFileTooLarge(path: string, size: number, max: number, udiMax: number): Text {
  return text(
    `File "${shownPath(path)}" (--udi-file) is ${groupDigits(size)} bytes; a Udi has at most ${groupDigits(udiMax)} characters, so the file may have at most ${groupDigits(max)} bytes.`,
    `文件“${shownPath(path)}”（--udi-file）大小为 ${groupDigits(size)} 字节；Udi 最多 ${groupDigits(udiMax)} 个字符，因此该文件最多 ${groupDigits(max)} 字节。`,
  );
}

export function tuyaNoDiff(): Text {
  return text(
    'Type diff is not supported by the Tuya-hosted service; publish a full package.',
    '涂鸦托管服务不支持差分升级包（Type diff）；请发布整包。',
  );
}

export function tuyaSingleFile(count: number): Text {
  return text(
    `Files holds ${count} files, but the Tuya-hosted service takes exactly one file per package.`,
    `Files 含有 ${count} 个文件，但涂鸦托管服务的每个升级包只能包含一个文件。`,
  );
}
