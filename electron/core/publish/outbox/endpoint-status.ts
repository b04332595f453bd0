/**
 * Which clouds the runner found unreachable, and when it probes each next: one small file,
 * `<outbox>/endpoints.json`, written by the runner-lock holder only (at most once per failed
 * probe, and once when a cloud answers again) and read by `outbox list` and the app's job
 * summaries. Job records are not touched for this: a hand edit of a job never races with it.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../files/atomic-file.js';
import { array, check, int, number, object, optional, str } from '../../shape/index.js';

export interface EndpointStatus {
  readonly endpoint: string;
  /** The probe's error kind ('network', …). */
  readonly kind: string;
  /** The probe's message, e.g. "reach 127.0.0.1:9 failed — ECONNREFUSED". */
  readonly message: string;
  /** When it was first found unreachable (this time). */
  readonly since: number;
  /** When it is probed next; undefined when no runner schedules it (`outbox run --once`). */
  readonly nextAttemptAt?: number;
}

/** Unreachable endpoints by endpoint URL; an endpoint not in it answered (or was never probed). */
export type EndpointStatuses = ReadonlyMap<string, EndpointStatus>;

export const NO_ENDPOINT_STATUS: EndpointStatuses = new Map();

const FILE = 'endpoints.json';

const shape = object({
  v: int(1, 1),
  unreachable: array(
    object<EndpointStatus>({
      endpoint: str(2048),
      kind: str(64),
      message: str(4096),
      since: number,
      nextAttemptAt: optional(number),
    }),
    1000,
  ),
});

export const endpointStatusPath = (outboxDir: string): string => join(outboxDir, FILE);

/**
 * The statuses as last written. A missing, unreadable or damaged file reads as "nothing known to
 * be unreachable": the file only explains a wait, the runner's next probe writes it again.
 */
export async function readEndpointStatuses(outboxDir: string): Promise<EndpointStatuses> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(endpointStatusPath(outboxDir), 'utf8'));
  } catch {
    return NO_ENDPOINT_STATUS;
  }
  const checked = check(shape, value, { path: FILE });
  if (!checked.ok) return NO_ENDPOINT_STATUS;
  return new Map(checked.value.unreachable.map((s) => [s.endpoint, s]));
}

/** Replaces the file (atomically); no unreachable endpoint left: the file goes. */
export async function writeEndpointStatuses(outboxDir: string, statuses: EndpointStatuses): Promise<void> {
  const path = endpointStatusPath(outboxDir);
  if (statuses.size === 0) {
    await rm(path, { force: true });
    return;
  }
  await writeFileAtomic(path, `${JSON.stringify({ v: 1, unreachable: [...statuses.values()] })}\n`);
}
