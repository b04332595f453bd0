/**
 * .github/workflows/ci.yml: valid for GitHub Actions (action-validator, the workflow schema run
 * offline from npm, shown to reject a broken copy), and doing what the project needs on each OS:
 * the suite, the Electron smoke test, the installers uploaded as artifacts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..', '..');
const workflowPath = join(root, '.github', 'workflows', 'ci.yml');
const requireHere = createRequire(import.meta.url);
const validator = join(dirname(requireHere.resolve('@action-validator/cli/package.json')), 'cli.mjs');
// The YAML parser electron-builder itself uses (as in electron-builder-config.test.ts).
const builderRequire = createRequire(requireHere.resolve('app-builder-lib/package.json'));
const yaml = builderRequire('js-yaml') as { load(text: string): unknown };

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly env?: Record<string, unknown>;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly 'runs-on': string;
  readonly env?: Record<string, unknown>;
  readonly strategy: { readonly matrix: { readonly include: Record<string, string>[] } };
  readonly steps: Step[];
}
interface Workflow {
  readonly env?: Record<string, unknown>;
  readonly jobs: Record<string, Job>;
}

function validate(path: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [validator, path], { timeout: 60_000 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let text: string;
let job: Job;
let steps: Step[];
let scratch: string;
beforeAll(async () => {
  text = await readFile(workflowPath, 'utf8');
  const workflow = yaml.load(text) as Workflow;
  expect(Object.keys(workflow.jobs)).toEqual(['test']);
  job = workflow.jobs['test']!;
  steps = job.steps;
  scratch = await mkdtemp(join(tmpdir(), 'ota-ci-workflow-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** The index of the one step whose `run` matches, failing when there is none. */
function stepIndex(pattern: RegExp, where: (s: Step) => boolean = () => true): number {
  const i = steps.findIndex((s) => s.run !== undefined && pattern.test(s.run) && where(s));
  expect(i, `a step running ${pattern}`).toBeGreaterThanOrEqual(0);
  return i;
}
const linuxOnly = (s: Step) => s.if === "runner.os == 'Linux'";
const notLinux = (s: Step) => s.if === "runner.os != 'Linux'";

describe('action-validator', () => {
  it('accepts the workflow', async () => {
    const r = await validate(workflowPath);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('rejects a copy with a misspelt key and one with a wrongly typed value', async () => {
    const misspelt = join(scratch, 'misspelt.yml');
    await writeFile(misspelt, text.replace(/^ {4}steps:$/m, '    stepz:'));
    const r1 = await validate(misspelt);
    expect(r1.code).not.toBe(0);
    expect(r1.stderr).toContain("Additional property 'stepz' is not allowed");

    const typed = join(scratch, 'typed.yml');
    await writeFile(typed, text.replace(/timeout-minutes: \d+/, 'timeout-minutes: [an hour]'));
    const r2 = await validate(typed);
    expect(r2.code).not.toBe(0);
    expect(r2.stderr).toContain('/jobs/test/timeout-minutes');
  });
});

describe('what the workflow runs', () => {
  it('runs on Linux, macOS and Windows with Node 22', () => {
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    const oses = job.strategy.matrix.include.map((entry) => entry['os']);
    expect(oses).toEqual([
      expect.stringMatching(/^ubuntu-/),
      expect.stringMatching(/^macos-/),
      expect.stringMatching(/^windows-/),
    ]);
    const setup = steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(String(setup?.with?.['node-version'])).toBe('22');
    for (const s of steps.filter((s) => s.uses)) expect(s.uses).toMatch(/^actions\/[a-z-]+@v\d+$/);
  });

  it('installs every Debian package .ci/run installs (Chrome stands in for chromium) and Xvfb', async () => {
    const ciRun = await readFile(join(root, '.ci', 'run'), 'utf8');
    const install = /apt-get install -y --no-install-recommends((?:[^\n]*\\\n)*[^\n]*)/.exec(ciRun)?.[1];
    const wanted = (install ?? '').split(/[\s\\]+/).filter((p) => p !== '' && p !== 'chromium');
    expect(wanted.length).toBeGreaterThan(5);
    const apt = steps[stepIndex(/apt-get install/, linuxOnly)]!.run!;
    const installed = apt.split(/[\s\\]+/);
    for (const pkg of [...wanted, 'xvfb', 'xauth']) expect(installed, pkg).toContain(pkg);
    expect(apt).toContain('/usr/bin/chromium');
  });

  it('requires the keychain and the network tools on Linux only', () => {
    const [linux, ...others] = job.strategy.matrix.include;
    expect(linux?.['require-tools']).toBe('1');
    for (const entry of others) expect(entry['require-tools']).toBe('');
    const test = steps[stepIndex(/^npm test$/)]!;
    expect(test.env).toMatchObject({
      OTA_REQUIRE_KEYCHAIN: '${{ matrix.require-tools }}',
      OTA_REQUIRE_TOOLS: '${{ matrix.require-tools }}',
    });
  });

  it('never skips the Electron download, and fetches the binary before the smoke test', () => {
    const everyEnv = [job.env, ...steps.map((s) => s.env)];
    for (const env of everyEnv) expect(Object.keys(env ?? {})).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    expect(stepIndex(/node node_modules\/electron\/install\.js/)).toBeLessThan(stepIndex(/npm run smoke/));
  });

  it('runs npm test, then the smoke test (under Xvfb on Linux), then the installers, and uploads them', async () => {
    const test = stepIndex(/^npm test$/);
    const smokeLinux = stepIndex(/^xvfb-run --auto-servernum npm run smoke$/, linuxOnly);
    const smokeOthers = stepIndex(/^npm run smoke$/, notLinux);
    const dist = stepIndex(/^npm run dist$/);
    expect(test).toBeLessThan(Math.min(smokeLinux, smokeOthers));
    expect(Math.max(smokeLinux, smokeOthers)).toBeLessThan(dist);
    // macOS would look for a signing identity in the keychain; CI builds unsigned installers.
    expect(steps[dist]!.env?.['CSC_IDENTITY_AUTO_DISCOVERY']).toBe('false');

    const upload = steps.findIndex(
      (s, i) =>
        i > dist &&
        s.uses?.startsWith('actions/upload-artifact@') &&
        s.with?.['if-no-files-found'] === 'error',
    );
    expect(upload).toBeGreaterThan(dist);
    const paths = String(steps[upload]!.with?.['path']).split('\n').filter(Boolean);
    // One pattern per installer electron-builder.yml asks for.
    const config = yaml.load(await readFile(join(root, 'electron-builder.yml'), 'utf8')) as {
      win: { target: { target: string }[] };
      mac: { target: { target: string }[] };
      linux: { target: string[] };
    };
    const EXT: Record<string, string> = { nsis: 'exe', dmg: 'dmg', AppImage: 'AppImage', deb: 'deb' };
    const targets = [
      ...config.win.target.map((t) => t.target),
      ...config.mac.target.map((t) => t.target),
      ...config.linux.target,
    ];
    expect(paths.sort()).toEqual(targets.map((t) => `dist/*.${EXT[t] ?? `?${t}`}`).sort());
  });
});

describe('package.json', () => {
  it('has `npm run smoke`, and `npm test` does not run it', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['smoke']).toBe('node scripts/build.mjs && node scripts/smoke.mjs');
    expect(pkg.scripts['test']).not.toMatch(/smoke/);
  });
});
