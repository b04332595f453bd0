import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cliLocale } from './locale.js';
import { EXIT, UsageError } from './exit-codes.js';

// Opt-in measurement for `npm run bench`: event-loop delay while a command works (reset once its code
// is loaded: start-up has its own target) and peak RSS of this process, on stderr at exit.
const benchDelay =
  process.env.OTA_BENCH_LOOP_DELAY === '1' ? monitorEventLoopDelay({ resolution: 10 }) : undefined;
if (benchDelay) {
  benchDelay.enable();
  process.once('exit', () => {
    const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
    const report = { loopDelayMaxMs: ms(benchDelay.max), loopDelayP99Ms: ms(benchDelay.percentile(99)) };
    process.stderr.write(
      `ota-bench ${JSON.stringify({ ...report, maxRssKb: process.resourceUsage().maxRSS })}\n`,
    );
  });
}

const VERSION = '0.1.0';

const HELP = `ota-publish ${VERSION} — publish firmware as Alibaba Cloud IoT OTA packages

Usage: ota-publish <command> [options]

Commands:
  publish FILE…   hash, upload and create an OTA package (see: ota-publish publish --help)
  publish … --queue   prepare now, publish when online (works offline)
  verify FIRMWARE_ID --device NAME…   verify a package on bench devices
  devices --product PK   list devices, online state and versions
  packages …      list, show, delete or prune the account's packages (500 at most)
  outbox …        list, run, retry or cancel queued publishes
  profile …       add, list or remove cloud profiles (secrets in the OS keychain)
  hash FILE…      print size, MD5 and SHA-256 of files
  history         who published what, when, with which digests (--json, --csv, --since)
  sandbox         run the built-in sandbox cloud on loopback

Options: --help, --version`;

type Command = (argv: readonly string[], signal: AbortSignal) => Promise<number>;

/** Commands load lazily so `--help` answers without loading the HTTP stack. */
const COMMANDS: Record<string, () => Promise<{ run: Command; help: string }>> = {
  publish: async () => {
    const m = await import('./commands/publish.js');
    return { run: m.runPublish, help: m.PUBLISH_HELP };
  },
  hash: async () => {
    const m = await import('./commands/hash.js');
    return { run: m.runHash, help: m.HASH_HELP };
  },
  verify: async () => {
    const m = await import('./commands/verify.js');
    return { run: m.runVerify, help: m.VERIFY_HELP };
  },
  devices: async () => {
    const m = await import('./commands/devices.js');
    return { run: m.runDevices, help: m.DEVICES_HELP };
  },
  packages: async () => {
    const m = await import('./commands/packages.js');
    return { run: m.runPackages, help: m.PACKAGES_HELP };
  },
  outbox: async () => {
    const m = await import('./commands/outbox.js');
    return { run: m.runOutbox, help: m.OUTBOX_HELP };
  },
  profile: async () => {
    const m = await import('./commands/profile.js');
    return { run: m.runProfile, help: m.PROFILE_HELP };
  },
  history: async () => {
    const m = await import('./commands/history.js');
    return { run: m.runHistory, help: m.HISTORY_HELP };
  },
  sandbox: async () => {
    const m = await import('./commands/sandbox.js');
    return { run: m.runSandbox, help: m.SANDBOX_HELP };
  },
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${HELP}\n`);
    return name === undefined ? EXIT.invalid : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) throw new UsageError(`Unknown command "${name}". Run ota-publish --help.`);
  const command = await load();
  // After the monitor's overdue tick, which would still count the load.
  if (benchDelay) setTimeout(() => benchDelay.reset(), 0);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return EXIT.ok;
  }
  // Proxies from HTTPS_PROXY / HTTP_PROXY / NO_PROXY as curl reads them; a bad setting stops here.
  (await import('../core/cloud/transport.js')).useProxyEnvironment(process.env);
  const controller = new AbortController();
  const stop = () => controller.abort(new DOMException('Interrupted', 'AbortError'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return command.run(rest, controller.signal);
}

/** A CLI must end when its work is done, even if a library left a socket or timer behind. */
function exitSoon(): void {
  setTimeout(() => process.exit(), 2000).unref();
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
    exitSoon();
  },
  async (error: unknown) => {
    const { reportFailure } = await import('./report.js');
    // parseArgs reports unknown flags and missing values with ERR_PARSE_ARGS_* codes.
    const usage =
      error instanceof Error && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS');
    const code = reportFailure(error, argv, cliLocale());
    process.exitCode = usage ? EXIT.invalid : code;
    exitSoon();
  },
);
