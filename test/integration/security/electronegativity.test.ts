/**
 * Electronegativity (Doyensec's Electron security linter) over the app's source: the main process,
 * the preload, the core and the renderer. Any finding of MEDIUM severity or above fails.
 * Suppressions are `// eng-disable <CHECK>` comments on the flagged line, each with a comment
 * saying why the code is safe (electron/main/window.ts, electron/main/external-links.ts).
 * Excluded check: AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK compares the Electron version with a
 * release list downloaded from GitHub; the scan must be hermetic (see offline-electronegativity.mjs).
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..', '..');
const runner = join(import.meta.dirname, 'run-electronegativity.mjs');
const offline = join(import.meta.dirname, 'offline-electronegativity.mjs');
const EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];

const SEVERITY = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3 } as const;

interface Finding {
  readonly issue: string;
  readonly severity: keyof typeof SEVERITY;
  readonly confidence: string;
  readonly file: string;
  readonly line: number;
  readonly sample: string;
  readonly description: string;
}

interface Report {
  readonly findings: Finding[];
  /** Files the parser could not read (they would be silently skipped). */
  readonly errors: { file: string; message: string; tolerable: boolean }[];
}

/** Scans `input` in a child process (run-electronegativity.mjs, network stubbed out). */
async function scan(input: string, workDir: string): Promise<Report> {
  await mkdir(workDir, { recursive: true });
  const output = join(workDir, 'electronegativity.json');
  await new Promise<void>((done, fail) =>
    execFile(
      process.execPath,
      ['--import', offline, runner, input, output, EXCLUDED.join(',')],
      { env: { ...process.env, LANG: 'en-US', FORCE_COLOR: '0' }, timeout: 120_000 },
      (error) => (error ? fail(error) : done()),
    ),
  );
  const report = JSON.parse(await readFile(output, 'utf8')) as Report;
  for (const f of report.findings) expect(Object.keys(SEVERITY), f.issue).toContain(f.severity);
  return report;
}

const atLeastMedium = (f: Finding) => SEVERITY[f.severity] >= SEVERITY.MEDIUM;
const describeFinding = (f: Finding) => `${f.severity} ${f.issue} ${f.file}:${f.line} ${f.sample}`;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ota-electronegativity-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('Electronegativity', () => {
  it('finds nothing of medium severity or above in the app’s source', async () => {
    // A copy of just the app's code (plus package.json for the Electron version): the repo root
    // also holds tests and scripts that are not shipped.
    const app = join(work, 'app');
    for (const part of [
      'electron/main',
      'electron/preload',
      'electron/core',
      'renderer/src',
      'renderer/index.html',
    ])
      await cp(join(root, part), join(app, part), { recursive: true });
    await cp(join(root, 'package.json'), join(app, 'package.json'));

    const { findings, errors } = await scan(app, join(work, 'app-report'));
    // A file the parser could not read would be silently skipped.
    expect(errors).toEqual([]);
    expect(findings.filter(atLeastMedium).map(describeFinding)).toEqual([]);
    // It did read the project: the Electron version comes from package.json.
    expect(findings.map((f) => f.issue)).toContain('ELECTRON_VERSION_JSON_CHECK');
  });

  it('the harness catches what it should: an insecure window and a remote page, in TypeScript', async () => {
    const bad = join(work, 'bad');
    await mkdir(bad, { recursive: true });
    await writeFile(
      join(bad, 'package.json'),
      JSON.stringify({ name: 'bad', devDependencies: { electron: '45.0.0' } }),
    );
    await writeFile(
      join(bad, 'main.ts'),
      [
        "import { app, BrowserWindow } from 'electron';",
        'app.whenReady().then((): void => {',
        '  const win: BrowserWindow = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });',
        "  void win.loadURL('http://example.com/');",
        '});',
      ].join('\n'),
    );
    const { findings, errors } = await scan(bad, join(work, 'bad-report'));
    expect(errors).toEqual([]);
    expect(findings.filter(atLeastMedium).map((f) => f.issue)).toEqual(
      expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'HTTP_RESOURCES_JS_CHECK']),
    );
  });
});
