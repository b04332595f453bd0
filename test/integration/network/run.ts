/** Runs the CLI with a controlled network environment (no proxy variables leak in from the runner). */
import { join } from 'node:path';
import { makeFile, runCli, type CliResult } from '../helpers/cli.js';

const PROXY_VARS = [
  'http_proxy',
  'HTTP_PROXY',
  'https_proxy',
  'HTTPS_PROXY',
  'all_proxy',
  'ALL_PROXY',
  'no_proxy',
  'NO_PROXY',
  'NODE_EXTRA_CA_CERTS',
];

/** `env` on top of the runner's environment with every proxy/CA variable removed. */
export function cleanEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const cleared: NodeJS.ProcessEnv = {};
  for (const name of PROXY_VARS) cleared[name] = undefined;
  return { ...cleared, ...env };
}

/** Runs `ota-publish ARGS` with only the proxy/CA variables given in `env`. */
export function runNet(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return runCli(args, cleanEnv(env));
}

let counter = 0;

/** Publish arguments for a fresh small file and a unique firmware name. */
export async function publishArgs(dir: string, endpoint: string, product: string): Promise<string[]> {
  const n = ++counter;
  const file = await makeFile(join(dir, `fw-${process.pid}-${n}.bin`), 200_000 + n);
  return [
    'publish',
    file,
    '--product',
    product,
    '--version',
    `1.0.${n}`,
    '--name',
    `net-${process.pid}-${n}`,
    '--endpoint',
    endpoint,
    '--json',
  ];
}
