/** Messages between slot-digest.ts and digest-worker.ts. Types only. */

export type DigestAlgorithm = 'md5' | 'sha256';

/** Lowercase hex. */
export type Digests = Readonly<Partial<Record<DigestAlgorithm, string>>>;

/** Owner → worker. `slot` hands over `length` bytes at `index * slotSize`; `end` asks for the digests. */
export type DigestRequest =
  | {
      readonly type: 'start';
      readonly ring: SharedArrayBuffer;
      readonly slotSize: number;
      readonly algorithms: readonly DigestAlgorithm[];
    }
  | { readonly type: 'slot'; readonly index: number; readonly length: number }
  | { readonly type: 'end' };

/** Worker → owner: the worker is done reading a slot; the digests after `end`. */
export type DigestReply =
  { readonly type: 'free'; readonly index: number } | { readonly type: 'digests'; readonly digests: Digests };
