// Runs `vitest run ARGS`. On Linux without a reachable session D-Bus (CI, SSH, containers) it runs
// vitest inside `dbus-run-session` with a GNOME Keyring unlocked for the run, so the keychain
// integration test talks to a real Secret Service. The keyring's files live in a temporary
// directory: the user's own login keyring is never created, unlocked or touched.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const args = process.argv.slice(2);

/** The full path of `name` on PATH, or undefined. */
function which(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Whether the session bus in DBUS_SESSION_BUS_ADDRESS answers (a stale address is common over SSH). */
function sessionBusReachable() {
  const address = process.env.DBUS_SESSION_BUS_ADDRESS;
  if (!address) return false;
  if (which('dbus-send')) {
    const ping = spawnSync(
      'dbus-send',
      [
        '--session',
        '--dest=org.freedesktop.DBus',
        '--print-reply',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.GetId',
      ],
      { stdio: 'ignore', timeout: 5000 },
    );
    return ping.status === 0;
  }
  const path = /unix:path=([^,;]+)/.exec(address)?.[1];
  return path === undefined || existsSync(path);
}

function run(command, commandArgs, env) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  return new Promise((done) =>
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1))),
  );
}

const wrap =
  process.platform === 'linux' &&
  !process.env.OTA_TEST_IN_DBUS &&
  !sessionBusReachable() &&
  which('dbus-run-session') !== undefined &&
  which('gnome-keyring-daemon') !== undefined;

// CLI runs that name no data folder use this throwaway one, not the user's (logs, history, outbox).
const dataHome = process.env.OTA_PUBLISHER_HOME ? undefined : mkdtempSync(join(tmpdir(), 'ota-test-home-'));
if (dataHome) process.env.OTA_PUBLISHER_HOME = dataHome;

let code;
if (!wrap) {
  code = await run(process.execPath, [vitest, 'run', ...args], process.env);
} else {
  const keyringHome = mkdtempSync(join(tmpdir(), 'ota-test-keyring-'));
  // A throwaway password for a throwaway keyring; passed by environment, never on a command line.
  const env = {
    ...process.env,
    OTA_TEST_IN_DBUS: '1',
    OTA_TEST_KEYRING_HOME: keyringHome,
    OTA_TEST_KEYRING_PASSWORD: randomBytes(12).toString('hex'),
  };
  const script =
    'printf %s "$OTA_TEST_KEYRING_PASSWORD" | XDG_DATA_HOME="$OTA_TEST_KEYRING_HOME" ' +
    'gnome-keyring-daemon --unlock --components=secrets >/dev/null; unset OTA_TEST_KEYRING_PASSWORD; ' +
    'exec "$0" "$@"';
  process.stderr.write(
    'test: no session D-Bus; running vitest in dbus-run-session with a temporary GNOME Keyring\n',
  );
  try {
    code = await run(
      'dbus-run-session',
      ['--', 'sh', '-c', script, process.execPath, vitest, 'run', ...args],
      env,
    );
  } finally {
    rmSync(keyringHome, { recursive: true, force: true });
  }
}
if (dataHome) rmSync(dataHome, { recursive: true, force: true });
process.exit(code);
