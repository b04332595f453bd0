// Third-party license notices for the About window: walks the production dependency closure
// (dependencies + installed optionalDependencies, resolved the way Node resolves them) from the
// project's package.json, plus the packages the renderer bundles (out/renderer-packages.json), and
// writes out/notices.json and out/notices.txt. Everything it lists is shipped: the main process
// loads `dependencies` from node_modules, the renderer bundle carries its own.
//   node scripts/notices.mjs [--root DIR] [--out DIR]
// Called at the end of scripts/build.mjs.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const LICENSE_FILE = /^(licen[cs]e|copying|notice)([.-].*)?$/i;

/** The folder of package `name` as Node would find it from `fromDir`, or undefined. */
function locate(name, fromDir, root) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) return undefined;
  }
}

/** SPDX expression from `license`, or the legacy `licenses: [{type}]` form. */
function licenseOf(pkg) {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license && typeof pkg.license.type === 'string') return pkg.license.type;
  if (Array.isArray(pkg.licenses)) {
    const types = pkg.licenses.map((l) => l?.type).filter((t) => typeof t === 'string');
    if (types.length > 0) return types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
  }
  return 'UNKNOWN';
}

function repositoryOf(pkg) {
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  return typeof repo === 'string' ? repo : undefined;
}

/** The texts of the LICENSE / COPYING / NOTICE files at the top of a package folder. */
async function licenseTexts(dir) {
  const names = (await readdir(dir)).filter((name) => LICENSE_FILE.test(name)).sort();
  const texts = [];
  for (const name of names) {
    try {
      texts.push((await readFile(join(dir, name), 'utf8')).trim());
    } catch {
      // A folder named like a license file; nothing to read.
    }
  }
  return texts.join('\n\n');
}

/**
 * Every package in the production closure of `root`'s package.json plus the packages `bundled`
 * into the renderer (out/renderer-packages.json, written by the Vite build), by name then version.
 * @returns {Promise<{app: {name: string, version: string}, packages: Array<{name: string, version: string, license: string, repository?: string, text: string}>}>}
 */
export async function collectNotices(root, bundled = []) {
  const app = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const seen = new Map();
  const names = [...new Set([...Object.keys(app.dependencies ?? {}), ...bundled])];
  const queue = [{ from: root, names, optional: [] }];
  queue[0].optional = Object.keys(app.optionalDependencies ?? {});
  while (queue.length > 0) {
    const { from, names, optional } = queue.shift();
    for (const [name, isOptional] of [...names.map((n) => [n, false]), ...optional.map((n) => [n, true])]) {
      const dir = locate(name, from, root);
      if (dir === undefined) {
        // Optional dependencies for other platforms are simply not installed.
        if (isOptional) continue;
        throw new Error(`notices: production dependency ${name} (needed by ${from}) is not installed`);
      }
      if (seen.has(dir)) continue;
      const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
      seen.set(dir, {
        name: pkg.name ?? name,
        version: pkg.version ?? '0.0.0',
        license: licenseOf(pkg),
        repository: repositoryOf(pkg),
        text: await licenseTexts(dir),
      });
      queue.push({
        from: dir,
        names: Object.keys(pkg.dependencies ?? {}),
        optional: Object.keys(pkg.optionalDependencies ?? {}),
      });
    }
  }
  const packages = [...seen.values()].sort(
    (a, b) => a.name.localeCompare(b.name, 'en') || a.version.localeCompare(b.version, 'en'),
  );
  return { app: { name: app.productName ?? app.name, version: app.version }, packages };
}

/** The plain-text notices shown in the About window. */
export function formatNotices({ app, packages }) {
  const rule = '='.repeat(78);
  const parts = [
    `${app.name} ${app.version}`,
    '',
    `${app.name} includes the following third-party software (${packages.length} packages).`,
    'Electron and Chromium notices are in LICENSE and LICENSES.chromium.html in the installation folder.',
  ];
  for (const p of packages) {
    parts.push('', rule, `${p.name} ${p.version}`, `License: ${p.license}`);
    if (p.repository) parts.push(`Source: ${p.repository}`);
    parts.push(rule, '', p.text || '(The package contains no license file; see its license field above.)');
  }
  return parts.join('\n') + '\n';
}

/** Writes `<outDir>/notices.json` and `<outDir>/notices.txt`; returns how many packages it listed. */
export async function writeNotices({ root = process.cwd(), outDir = join(root, 'out'), quiet = false } = {}) {
  const bundledList = join(outDir, 'renderer-packages.json');
  const bundled = existsSync(bundledList) ? JSON.parse(await readFile(bundledList, 'utf8')) : [];
  const notices = await collectNotices(root, bundled);
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'notices.json'), JSON.stringify(notices, null, 2) + '\n');
  await writeFile(join(outDir, 'notices.txt'), formatNotices(notices));
  if (!quiet) console.log(`notices: ${notices.packages.length} packages → ${join(outDir, 'notices.txt')}`);
  return notices.packages.length;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const arg = (flag) => {
    const at = process.argv.indexOf(flag);
    return at > 0 ? resolve(process.argv[at + 1]) : undefined;
  };
  const root = arg('--root') ?? resolve(dirname(fileURLToPath(import.meta.url)), '..');
  await writeNotices({
    root,
    outDir: arg('--out') ?? join(root, 'out'),
    quiet: process.argv.includes('--quiet'),
  });
}
