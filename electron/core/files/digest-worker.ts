/**
 * Worker thread behind slot-digest.ts: digests, in place, bytes that the owning thread read into
 * slots of a SharedArrayBuffer, and says when it is done with each slot. Bundled to
 * out/cli/digest-worker.mjs; imports only Node built-ins and the protocol, so it boots small.
 */
import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { DigestAlgorithm, DigestReply, DigestRequest } from './digest-protocol.js';

const port = parentPort;
if (!port) throw new Error('digest-worker.ts must run in a worker thread.');

let ring: SharedArrayBuffer | undefined;
let slotSize = 0;
let hashes: { readonly algorithm: DigestAlgorithm; readonly hash: Hash }[] = [];

function post(reply: DigestReply): void {
  port?.postMessage(reply);
}

port.on('message', (request: DigestRequest) => {
  switch (request.type) {
    case 'start':
      ring = request.ring;
      slotSize = request.slotSize;
      hashes = request.algorithms.map((algorithm) => ({ algorithm, hash: createHash(algorithm) }));
      return;
    case 'slot': {
      if (!ring) return;
      const view = new Uint8Array(ring, request.index * slotSize, request.length);
      for (const h of hashes) h.hash.update(view);
      post({ type: 'free', index: request.index });
      return;
    }
    case 'end': {
      const digests: Partial<Record<DigestAlgorithm, string>> = {};
      for (const h of hashes) digests[h.algorithm] = h.hash.digest('hex');
      post({ type: 'digests', digests });
      return;
    }
  }
});
