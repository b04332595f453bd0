/**
 * Real network middleboxes for the proxy / TLS / clock tests: tinyproxy (Debian), a CA and server
 * certificates made with the openssl CLI, and a TLS-terminating forwarder in front of the sandbox.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'vitest';

const run = promisify(execFile);

/** Whether `tool` is on PATH. */
export function hasTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/**
 * For a suite that needs `tools`: undefined when they are all installed. Otherwise registers a
 * visible skipped test naming what is missing, or a failing test when OTA_REQUIRE_TOOLS=1 (CI),
 * and returns the reason.
 */
export function missingTools(suite: string, tools: readonly string[]): string | undefined {
  const missing = tools.filter((t) => !hasTool(t));
  if (missing.length === 0) return undefined;
  const reason = `${suite}: ${missing.join(', ')} not installed (apt-get install -y ${missing.join(' ')})`;
  describe(suite, () => {
    if (process.env.OTA_REQUIRE_TOOLS === '1') {
      it(`requires ${missing.join(', ')}`, () => {
        throw new Error(`${reason}; OTA_REQUIRE_TOOLS=1 makes this a failure`);
      });
    } else {
      it.skip(`SKIPPED — ${reason}`, () => undefined);
    }
  });
  return reason;
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not listen on ${port}`);
}

export interface Tinyproxy {
  /** `http://127.0.0.1:PORT` (without credentials). */
  readonly url: string;
  readonly port: number;
  /** Every `CONNECT host:port` and `GET http://…` request line logged so far. */
  requests(): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts tinyproxy in the foreground with a generated config; `basicAuth` makes it demand a login. */
export async function startTinyproxy(
  dir: string,
  options: { basicAuth?: { user: string; password: string } } = {},
): Promise<Tinyproxy> {
  const port = await freePort();
  const log = join(dir, `tinyproxy-${port}.log`);
  const conf = join(dir, `tinyproxy-${port}.conf`);
  await writeFile(
    conf,
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 60',
      'Allow 127.0.0.1',
      // No ConnectPort line: CONNECT to any port (the sandbox and forwarders use random ones).
      `LogFile "${log}"`,
      'LogLevel Info',
      'MaxClients 50',
      ...(options.basicAuth ? [`BasicAuth ${options.basicAuth.user} ${options.basicAuth.password}`] : []),
      '',
    ].join('\n'),
  );
  await writeFile(log, '');
  const child = spawn('tinyproxy', ['-d', '-c', conf], { stdio: 'ignore' });
  await waitForPort(port, child, 'tinyproxy');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async requests() {
      const text = await readFile(log, 'utf8');
      return [...text.matchAll(/Request \(file descriptor \d+\): (\S+ \S+)/g)].map((m) => m[1]!);
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export interface CertFiles {
  /** The CA certificate (PEM) to trust via NODE_EXTRA_CA_CERTS. */
  readonly ca: string;
  readonly key: Buffer;
  /** The server certificate followed by the CA (a typical chain). */
  readonly cert: Buffer;
}

/** A fresh CA and a server certificate for localhost and 127.0.0.1 signed by it, via the openssl CLI. */
export async function makeCerts(dir: string, name: string): Promise<CertFiles> {
  const p = (f: string) => join(dir, `${name}-${f}`);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
    '-days',
    '2',
    '-subj',
    `/CN=OTA Test CA ${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run('openssl', [
    'req',
    ...ec,
    '-keyout',
    p('server.key'),
    '-out',
    p('server.csr'),
    '-subj',
    '/CN=localhost',
  ]);
  await writeFile(
    p('ext.cnf'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n',
  );
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    p('server.csr'),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-out',
    p('server.pem'),
    '-days',
    '2',
    '-extfile',
    p('ext.cnf'),
  ]);
  const [key, leaf, ca] = await Promise.all([
    readFile(p('server.key')),
    readFile(p('server.pem')),
    readFile(p('ca.pem')),
  ]);
  return { ca: p('ca.pem'), key, cert: Buffer.concat([leaf, ca]) };
}

export interface Forwarder {
  /** `https://localhost:PORT` with certificates, else `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `METHOD /path` of every request forwarded (query dropped). */
  readonly seen: string[];
  /** Rewrites the `Host` of upload tickets (GenerateOTAUploadURL) to this origin + `/oss`. */
  uploadsTo(origin: string | undefined): void;
  close(): Promise<void>;
}

function rewriteHosts(value: unknown, upstream: string, origin: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteHosts(v, upstream, origin));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      (k === 'Host' || k === 'host') && typeof v === 'string' && v.startsWith(upstream)
        ? origin + v.slice(upstream.length)
        : rewriteHosts(v, upstream, origin);
  }
  return out;
}

/**
 * A reverse proxy in front of `upstream` (the sandbox's http:// endpoint), like a cloud gateway:
 * HTTPS terminating TLS when `certs` are given, else plain HTTP on another port. It lets a test send
 * the RPC calls and the upload to different host:ports. Only the upload ticket's `Host` is rewritten
 * (FirmwareUrl stays the sandbox's own, which CreateOTAFirmware must get back unchanged).
 */
export async function startForwarder(upstream: string, certs?: CertFiles): Promise<Forwarder> {
  const seen: string[] = [];
  let uploadOrigin: string | undefined;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    seen.push(`${req.method} ${(req.url ?? '/').split('?')[0]}`);
    const target = new URL(req.url ?? '/', upstream);
    const headers: IncomingHttpHeaders = { ...req.headers, host: target.host };
    const out = httpRequest(target, { method: req.method, headers }, (up) => {
      const json = /json/.test(String(up.headers['content-type'])) && uploadOrigin !== undefined;
      if (!json) {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        const body = Buffer.from(
          JSON.stringify(
            rewriteHosts(JSON.parse(Buffer.concat(chunks).toString('utf8')), upstream, uploadOrigin!),
          ),
        );
        res.writeHead(up.statusCode ?? 502, { ...up.headers, 'content-length': String(body.length) });
        res.end(body);
      });
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  };
  const server = certs
    ? createHttpsServer({ key: certs.key, cert: certs.cert }, handler)
    : createHttpServer(handler);
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: certs ? `https://localhost:${port}` : `http://127.0.0.1:${port}`,
    seen,
    uploadsTo(origin) {
      uploadOrigin = origin;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
