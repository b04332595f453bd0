import { describe, expect, it } from 'vitest';
import { MAX_FILE_SIZE, type FileFacts, type FirmwareSpec } from '../../../electron/core/publish/spec.js';
import { type Dialect } from '../../../electron/core/cloud/target.js';
import {
  acceptedSuffixes,
  assertValidSpec,
  checkInstanceId,
  checkRegionId,
  countChars,
  fileSuffixOf,
  multiFileName,
  validateField,
  validateSpec,
} from '../../../electron/core/publish/validation.js';
import { ValidationError, type ValidationIssue } from '../../../electron/core/validation-issue.js';

const base: FirmwareSpec = {
  productKey: 'a1uctKe1234',
  firmwareName: 'Firmware2',
  destVersion: '2.0.0',
  type: 'full',
  signMethod: 'MD5',
  files: [{ path: '/builds/app.bin' }],
};

function spec(patch: Partial<FirmwareSpec>): FirmwareSpec {
  return { ...base, ...patch };
}

/** The issues of one spec as `field/rule` pairs, the stable part of the contract. */
function rules(s: FirmwareSpec, dialect: Dialect = 'aliyun', facts?: readonly FileFacts[]): string[] {
  return validateSpec(s, dialect, facts).map((i) => `${i.field}/${i.rule}`);
}

const han = (n: number): string => '固'.repeat(n);
const files = (n: number): FirmwareSpec['files'] =>
  Array.from({ length: n }, (_, i) => ({ path: `/b/part${i + 1}.bin` }));

describe('a valid spec', () => {
  it('has no issues for either dialect', () => {
    expect(validateSpec(base, 'aliyun')).toEqual([]);
    expect(validateSpec(base, 'tuya')).toEqual([]);
    expect(() => assertValidSpec(base, 'aliyun')).not.toThrow();
  });

  it('accepts every optional field at its limit', () => {
    const full = spec({
      type: 'diff',
      srcVersion: '1'.repeat(64),
      destVersion: '2'.repeat(64),
      moduleName: 'm'.repeat(64),
      signMethod: 'SHA256',
      desc: han(100),
      udi: 'u'.repeat(4096),
      needToVerify: false,
      firmwareName: 'ファームウェア固件(v2)_a-B'.padEnd(40, 'x'),
      files: files(20),
    });
    expect(validateSpec(full, 'aliyun')).toEqual([]);
  });
});

describe('ProductKey', () => {
  it('is required', () => expect(rules(spec({ productKey: '' }))).toEqual(['ProductKey/required']));
  it('refuses spaces and punctuation', () => {
    expect(rules(spec({ productKey: 'a1uct Ke' }))).toEqual(['ProductKey/charset']);
    expect(rules(spec({ productKey: 'a1uct-Ke' }))).toEqual(['ProductKey/charset']);
    expect(validateField('ProductKey', ' a1uctKe1234')?.message.en).toContain('a space');
  });
  it('allows 64 characters and refuses 65, or a 10 KB paste', () => {
    expect(validateField('ProductKey', 'a1uctKe1234')).toBeUndefined();
    expect(validateField('ProductKey', 'dwwAsxAkOwT7xhIY')).toBeUndefined();
    expect(validateField('ProductKey', 'k'.repeat(64))).toBeUndefined();
    expect(rules(spec({ productKey: 'k'.repeat(65) }))).toEqual(['ProductKey/max-length']);
    const paste = validateField('ProductKey', 'k'.repeat(10_240));
    expect(paste?.rule).toBe('max-length');
    expect(paste?.message.en).toBe('ProductKey is 10,240 characters long; at most 64 are allowed.');
  });
});

describe('IotInstanceId', () => {
  it('accepts the documented shapes', () => {
    for (const id of ['iot-cn-0pp1n8t1234', 'iot_instc_pu1234_c1-v64abcdefgh', 'iot-06z00abc']) {
      expect(checkInstanceId(id), id).toBeUndefined();
    }
    expect(checkInstanceId(`iot-${'a'.repeat(60)}`)).toBeUndefined();
  });
  it('refuses anything else, empty, over 64 characters or 10 KB', () => {
    for (const id of ['', 'cn-0pp1n8t1234', 'iot-', 'iot-cn 1', 'iot-cn-1/..', `iot-${'a'.repeat(61)}`]) {
      expect(checkInstanceId(id)?.rule, id).toBe('format');
    }
    const paste = checkInstanceId(`iot-${'x'.repeat(10_240)}`);
    expect(paste?.field).toBe('IotInstanceId');
    expect(paste?.message.en).toContain('at most 64');
    expect(paste?.message.en.length).toBeLessThan(400);
    expect(paste?.message.zh).toContain('IotInstanceId');
  });
});

describe('RegionId', () => {
  it('accepts every IoT Platform region and other region-shaped IDs', () => {
    for (const id of ['cn-shanghai', 'ap-southeast-1', 'eu-central-1', 'cn-shenzhen', 'cn-hongkong']) {
      expect(checkRegionId(id), id).toBeUndefined();
    }
    expect(checkRegionId(`cn-${'a'.repeat(29)}`)).toBeUndefined();
  });
  it('refuses what is not a region ID, or longer than 32 characters', () => {
    for (const id of ['', 'shanghai', 'CN-SHANGHAI', 'cn_shanghai', 'cn-', `cn-${'a'.repeat(30)}`]) {
      expect(checkRegionId(id)?.rule, id).toBe('format');
    }
    const paste = checkRegionId(`cn-${'a'.repeat(10_240)}`);
    expect(paste?.field).toBe('RegionId');
    expect(paste?.message.en).toContain('cn-shanghai');
    expect(paste?.message.en.length).toBeLessThan(300);
  });
});

describe('DestVersion', () => {
  it('is required', () => expect(rules(spec({ destVersion: '' }))).toEqual(['DestVersion/required']));
  it('allows 64 characters and refuses 65', () => {
    expect(validateField('DestVersion', 'v'.repeat(64))).toBeUndefined();
    expect(validateField('DestVersion', 'v'.repeat(65))?.rule).toBe('max-length');
  });
  it('allows letters, digits, dot, dash and underscore only', () => {
    expect(validateField('DestVersion', 'V1.2-rc_3')).toBeUndefined();
    const issue = validateField('DestVersion', '2.0 beta');
    expect(issue?.rule).toBe('charset');
    expect(issue?.message.en).toBe(
      'DestVersion "2.0 beta" may only contain letters, digits, ".", "-" and "_" (1–64 characters); it contains a space.',
    );
    expect(issue?.message.zh).toBe(
      'DestVersion“2.0 beta”只能包含字母、数字、“.”、“-”和“_”（1–64 个字符），其中含有空格。',
    );
    expect(validateField('DestVersion', '版本2')?.message.en).toContain('"版"');
    expect(validateField('DestVersion', '2.0+1')?.rule).toBe('charset');
  });
});

describe('FirmwareName', () => {
  it('is required', () => expect(rules(spec({ firmwareName: '' }))).toEqual(['FirmwareName/required']));
  it('allows exactly 40 characters, counting each Chinese character once', () => {
    expect(validateField('FirmwareName', han(40))).toBeUndefined();
    expect(validateField('FirmwareName', 'a'.repeat(40))).toBeUndefined();
    expect(validateField('FirmwareName', han(41))?.rule).toBe('max-length');
    expect(validateField('FirmwareName', 'a'.repeat(41))?.message.en).toContain('41 characters');
  });
  it('allows Chinese, English and Japanese letters, digits, -, _, ( and )', () => {
    for (const ok of ['固件升级', 'ファームウェア', 'ふぁーむ', 'Fw_2-(beta)', '2024固件', 'ｶﾒﾗ']) {
      expect(validateField('FirmwareName', ok), ok).toBeUndefined();
    }
    for (const bad of ['my firmware', 'fw.bin', 'fw（全角）', '펌웨어', 'Ｆｗ', 'fw😀', 'fw/2']) {
      expect(validateField('FirmwareName', bad)?.rule, bad).toBe('charset');
    }
  });
  it('must start with a letter or a digit', () => {
    for (const bad of ['-fw', '_fw', '(fw)', 'ーム']) {
      expect(validateField('FirmwareName', bad)?.rule, bad).toBe('start-char');
    }
    expect(validateField('FirmwareName', '_fw')?.message.en).toContain('not "_"');
  });
});

describe('FirmwareDesc and Udi', () => {
  it('count characters by code point', () => {
    expect(countChars('')).toBe(0);
    expect(countChars('😀')).toBe(1);
    expect(countChars('固件a😀')).toBe(4);
  });
  it('FirmwareDesc allows 100 Chinese characters and refuses 101', () => {
    expect(validateField('FirmwareDesc', han(100))).toBeUndefined();
    expect(validateField('FirmwareDesc', han(101))?.rule).toBe('max-length');
    expect(validateField('FirmwareDesc', '')).toBeUndefined();
    expect(rules(spec({ desc: han(101) }))).toEqual(['FirmwareDesc/max-length']);
  });
  it('an emoji counts as one character (100 code points, 101 UTF-16 units)', () => {
    const desc = `${'a'.repeat(99)}😀`;
    expect(desc.length).toBe(101);
    expect(validateField('FirmwareDesc', desc)).toBeUndefined();
    expect(validateField('FirmwareDesc', `${desc}😀`)?.rule).toBe('max-length');
  });
  it('Udi allows 4096 characters and refuses 4097', () => {
    expect(validateField('Udi', 'x'.repeat(4096))).toBeUndefined();
    expect(validateField('Udi', '😀'.repeat(4096))).toBeUndefined();
    const issue = validateField('Udi', 'x'.repeat(4097));
    expect(issue?.rule).toBe('max-length');
    expect(issue?.message.en).toBe('Udi is 4,097 characters long; at most 4,096 are allowed.');
  });
});

describe('Type and SrcVersion', () => {
  it('a differential package needs a SrcVersion', () => {
    expect(rules(spec({ type: 'diff' }))).toEqual(['SrcVersion/required']);
    expect(rules(spec({ type: 'diff', srcVersion: '1.0.0' }))).toEqual([]);
  });
  it('SrcVersion must differ from DestVersion', () => {
    expect(rules(spec({ type: 'diff', srcVersion: '2.0.0' }))).toEqual(['SrcVersion/not-equal']);
    expect(validateField('SrcVersion', '2.0.0', { type: 'diff', destVersion: '2.0.1' })).toBeUndefined();
  });
  it('SrcVersion follows the DestVersion charset and length', () => {
    expect(rules(spec({ type: 'diff', srcVersion: '1.0 old' }))).toEqual(['SrcVersion/charset']);
    expect(rules(spec({ type: 'diff', srcVersion: '1'.repeat(65) }))).toEqual(['SrcVersion/max-length']);
  });
  it('SrcVersion on a full package is refused', () => {
    const found = validateSpec(spec({ srcVersion: '1.0.0' }), 'aliyun');
    expect(found.map((i) => i.rule)).toEqual(['diff-only']);
    expect(found[0]?.message.en).toContain('only for differential packages');
    expect(rules(spec({ srcVersion: '' }))).toEqual([]);
  });
  it('Type and SignMethod take documented values only; NeedToVerify is a boolean', () => {
    const bad = {
      ...base,
      type: 'delta',
      signMethod: 'SHA1',
      needToVerify: 'yes',
    } as unknown as FirmwareSpec;
    expect(rules(bad)).toEqual(['Type/one-of', 'SignMethod/one-of', 'NeedToVerify/boolean']);
    expect(rules(spec({ signMethod: 'SHA256', needToVerify: true }))).toEqual([]);
  });
});

describe('ModuleName', () => {
  it('is optional by being left out, and then the default module', () => {
    expect(rules(spec({ moduleName: undefined }))).toEqual([]);
    expect(rules(spec({ moduleName: 'default' }))).toEqual([]);
  });
  it('refuses a blank one (--module "", a cleared field) instead of guessing default', () => {
    expect(rules(spec({ moduleName: '' }))).toEqual(['ModuleName/empty']);
    expect(validateField('ModuleName', '')?.message.en).toMatch(/^ModuleName is empty/);
    expect(validateField('ModuleName', '')?.message.zh).toMatch(/^ModuleName 为空/);
  });
  it('is 1–64 of letters, digits, ".", "-", "_"', () => {
    expect(validateField('ModuleName', 'Wifi_Config-1.0')).toBeUndefined();
    expect(validateField('ModuleName', 'm'.repeat(64))).toBeUndefined();
    expect(validateField('ModuleName', 'm'.repeat(65))?.rule).toBe('max-length');
    expect(validateField('ModuleName', 'wifi module')?.rule).toBe('charset');
  });
});

describe('files', () => {
  it('needs at least one and at most 20 files', () => {
    expect(rules(spec({ files: [] }))).toEqual(['Files/count']);
    expect(rules(spec({ files: files(20) }))).toEqual([]);
    expect(rules(spec({ files: files(21) }))).toEqual(['Files/count']);
  });

  it('derives the suffix from the file name, .tar.gz before .gz, ignoring case', () => {
    expect(fileSuffixOf('/b/app.tar.gz', 'aliyun')).toBe('tar.gz');
    expect(fileSuffixOf('APP.TAR.GZ', 'aliyun')).toBe('tar.gz');
    expect(fileSuffixOf('app.gz', 'aliyun')).toBe('gz');
    expect(fileSuffixOf('app.gzip', 'aliyun')).toBe('gzip');
    expect(fileSuffixOf('C:\\fw\\App.BIN', 'aliyun')).toBe('bin');
    expect(fileSuffixOf('C:\\fw.bin\\app', 'aliyun')).toBeUndefined();
    expect(fileSuffixOf('app.img', 'aliyun')).toBeUndefined();
    expect(fileSuffixOf('.bin', 'aliyun')).toBeUndefined();
    expect(fileSuffixOf('bin', 'aliyun')).toBeUndefined();
    for (const s of acceptedSuffixes('aliyun')) expect(fileSuffixOf(`fw.${s}`, 'aliyun')).toBe(s);
  });

  it('accepts .dav for both dialects (both GenerateOTAUploadURL pages list it)', () => {
    expect(acceptedSuffixes('tuya')).toContain('dav');
    expect(acceptedSuffixes('aliyun')).toEqual(['bin', 'dav', 'apk', 'tar', 'gz', 'tar.gz', 'zip', 'gzip']);
    expect(fileSuffixOf('cam.dav', 'tuya')).toBe('dav');
    expect(fileSuffixOf('cam.dav', 'aliyun')).toBe('dav');
    expect(rules(spec({ files: [{ path: '/b/cam.dav' }] }), 'tuya')).toEqual([]);
    expect(rules(spec({ files: [{ path: '/b/cam.dav' }] }), 'aliyun')).toEqual([]);
    expect(rules(spec({ files: [{ path: '/b/cam.img' }] }), 'aliyun')).toEqual(['Files.1/suffix']);
  });

  it('refuses .img and names the file and its extension', () => {
    const found = validateSpec(
      spec({ files: [{ path: '/b/a.bin' }, { path: '/deep/dir/rootfs.img' }] }),
      'aliyun',
    );
    expect(found.map((i) => `${i.field}/${i.rule}`)).toEqual(['Files.2/suffix']);
    expect(found[0]?.message.en).toContain('"rootfs.img"');
    expect(found[0]?.message.en).toContain('".img"');
    expect(found[0]?.message.zh).toContain('“.img”');
  });

  it('refuses an empty file and one over 1,000 MB; exactly 1,000 MB is fine', () => {
    const path = '/builds/app.bin';
    const at = (size: number): string[] => rules(base, 'aliyun', [{ path, name: 'app.bin', size }]);
    expect(at(1)).toEqual([]);
    expect(at(MAX_FILE_SIZE)).toEqual([]);
    expect(at(0)).toEqual(['Files.1/empty']);
    expect(at(MAX_FILE_SIZE + 1)).toEqual(['Files.1/too-large']);
    expect(rules(base, 'aliyun')).toEqual([]);
  });

  it('says how large a too-large file is', () => {
    const big = spec({ files: [{ path: '/b/big.bin' }] });
    const [issue] = validateSpec(big, 'aliyun', [
      { path: '/b/big.bin', name: 'big.bin', size: 1200 * 1024 * 1024 },
    ]);
    expect(issue?.message.en).toBe('File "big.bin" (Files.1) is 1,200.0 MB; the limit is 1,000 MB per file.');
    const [justOver] = validateSpec(big, 'aliyun', [
      { path: '/b/big.bin', name: 'big.bin', size: MAX_FILE_SIZE + 1 },
    ]);
    expect(justOver?.message.en).toContain('1,048,576,001 bytes');
  });

  it('multi-file names: 32 characters allowed, 33 refused', () => {
    const named = (name: string): FirmwareSpec =>
      spec({ files: [{ path: '/b/a.bin', name }, { path: '/b/b.bin' }] });
    expect(rules(named('n'.repeat(32)))).toEqual([]);
    expect(rules(named(han(32)))).toEqual([]);
    expect(rules(named('n'.repeat(33)))).toEqual(['MultiFiles.1.Name/max-length']);
    expect(rules(named(''))).toEqual(['MultiFiles.1.Name/required']);
    // A single file sends no MultiFiles, so its name is not checked.
    expect(rules(spec({ files: [{ path: `/b/${'n'.repeat(40)}.bin` }] }))).toEqual([]);
  });

  it('multi-file names must be unique, including defaulted base names', () => {
    const dup = spec({
      files: [{ path: '/a/fw.bin' }, { path: '/b/x.bin', name: 'other' }, { path: 'C:\\c\\fw.bin' }],
    });
    const found = validateSpec(dup, 'aliyun');
    expect(found.map((i) => `${i.field}/${i.rule}`)).toEqual(['MultiFiles.3.Name/unique']);
    expect(found[0]?.message.en).toContain('file 1');
    expect(multiFileName({ path: 'C:\\c\\fw.bin' })).toBe('fw.bin');
    expect(multiFileName({ path: '/a/fw.bin', name: 'Main' })).toBe('Main');
  });
});

describe('tuya dialect', () => {
  it('refuses differential packages', () => {
    expect(rules(spec({ type: 'diff', srcVersion: '1.0.0' }), 'tuya')).toEqual(['Type/dialect']);
    expect(rules(spec({ type: 'diff', srcVersion: '1.0.0' }), 'aliyun')).toEqual([]);
  });
  it('takes exactly one file', () => {
    expect(rules(spec({ files: files(2) }), 'tuya')).toEqual(['Files/dialect']);
    expect(rules(spec({ files: files(25) }), 'tuya')).toEqual(['Files/dialect']);
    expect(rules(spec({ files: [] }), 'tuya')).toEqual(['Files/count']);
  });
});

describe('messages', () => {
  const broken: readonly [FirmwareSpec, Dialect, FileFacts[]?][] = [
    [
      spec({
        productKey: 'a b',
        firmwareName: '-x',
        destVersion: 'v 1',
        moduleName: 'm m',
        desc: han(101),
        udi: 'u'.repeat(4097),
        srcVersion: '1',
      }),
      'aliyun',
    ],
    [spec({ productKey: '', firmwareName: '', destVersion: '', type: 'diff', files: [] }), 'aliyun'],
    [spec({ firmwareName: 'a b', type: 'diff', srcVersion: '2.0.0' }), 'aliyun'],
    [spec({ destVersion: 'v'.repeat(65), firmwareName: 'f'.repeat(41), files: files(21) }), 'aliyun'],
    [{ ...base, type: 'x', signMethod: 'y', needToVerify: 1 } as unknown as FirmwareSpec, 'aliyun'],
    [
      spec({
        files: [{ path: 'a.img' }, { path: 'b.bin', name: '' }, { path: 'c.bin', name: 'n'.repeat(33) }],
      }),
      'aliyun',
    ],
    [spec({ files: [{ path: 'a.bin' }, { path: 'x/a.bin' }] }), 'aliyun'],
    [
      spec({ files: [{ path: 'a.bin' }, { path: 'b.bin' }] }),
      'aliyun',
      [
        { path: 'a.bin', name: 'a.bin', size: 0 },
        { path: 'b.bin', name: 'b.bin', size: MAX_FILE_SIZE * 2 },
      ],
    ],
    [spec({ type: 'diff', srcVersion: '1', files: files(2) }), 'tuya'],
    [spec({ productKey: 'k'.repeat(10_240), moduleName: '' }), 'aliyun'],
  ];

  it('every rule has English and Chinese text that names the field', () => {
    const seen = new Set<string>();
    for (const [s, dialect, facts] of broken) {
      for (const issue of validateSpec(s, dialect, facts)) {
        seen.add(issue.rule);
        for (const message of [issue.message.en, issue.message.zh]) {
          expect(message.length, `${issue.field}/${issue.rule}`).toBeGreaterThan(10);
          expect(message, `${issue.field}/${issue.rule}`).toContain(issue.field);
        }
        expect(issue.message.zh).not.toBe(issue.message.en);
        expect(issue.message.zh).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    expect([...seen].sort()).toEqual(
      [
        'required',
        'max-length',
        'charset',
        'start-char',
        'not-equal',
        'diff-only',
        'one-of',
        'boolean',
        'count',
        'suffix',
        'empty',
        'too-large',
        'unique',
        'dialect',
      ].sort(),
    );
  });

  it('quotes long values only in part', () => {
    const issue = validateField('DestVersion', `${'v'.repeat(100)} x`);
    expect(issue?.message.en).toContain('…');
    expect(issue?.message.en.length).toBeLessThan(200);
  });

  it('ValidationError carries the issues and joins the English messages', () => {
    const bad = spec({ productKey: '', destVersion: '' });
    let caught: unknown;
    try {
      assertValidSpec(bad, 'aliyun');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const error = caught as ValidationError;
    expect(error.name).toBe('ValidationError');
    expect(error.issues.map((i: ValidationIssue) => i.field)).toEqual(['ProductKey', 'DestVersion']);
    expect(error.message).toBe('ProductKey is required.\nDestVersion is required.');
  });
});

describe('Tuya URL length (every parameter in the GET query)', () => {
  const base: FirmwareSpec = {
    productKey: 'a1B2c3D4e5F',
    firmwareName: 'fw',
    destVersion: '1.0.0',
    type: 'full',
    signMethod: 'MD5',
    files: [{ path: '/b/fw.bin' }],
  };

  it('refuses a 4,096-character Chinese Udi for tuya, naming Udi and the limit', () => {
    const spec = { ...base, udi: '固'.repeat(4096) };
    const issues = validateSpec(spec, 'tuya');
    expect(issues.map((i) => `${i.field}/${i.rule}`)).toEqual(['Udi/url-length']);
    expect(issues[0]!.message.en).toContain('8,192 bytes');
    expect(issues[0]!.message.zh).toContain('8,192 字节');
    // Alibaba's dialect sends the parameters in a form body: no URL limit.
    expect(validateSpec(spec, 'aliyun')).toEqual([]);
  });

  it('accepts a long ASCII Udi that fits, and names FirmwareDesc when it is the longer one', () => {
    expect(validateSpec({ ...base, udi: 'u'.repeat(4096) }, 'tuya')).toEqual([]);
    const issues = validateSpec(
      { ...base, udi: '', desc: '😀'.repeat(100), firmwareName: '固'.repeat(40) },
      'tuya',
    );
    expect(issues).toEqual([]);
    const both = validateSpec({ ...base, udi: '固'.repeat(700), desc: '😀'.repeat(100) }, 'tuya');
    expect(both.map((i) => i.field)).toEqual(['Udi']);
    const desc = validateSpec({ ...base, desc: '😀'.repeat(1000) }, 'tuya');
    expect(desc.map((i) => `${i.field}/${i.rule}`)).toEqual([
      'FirmwareDesc/max-length',
      'FirmwareDesc/url-length',
    ]);
    expect(desc[1]!.message.en).toContain('shorten FirmwareDesc');
  });
});
