/**
 * Worker thread behind digest-offload.ts: digests bytes that the owning thread copied into slots
 * of a SharedArrayBuffer, and hands each slot back once hashed. Bundled to out/cli/digest-worker.mjs;
 * imports only Node built-ins, the CRC and the protocol, so it boots small.
 */
import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { Crc64 } from './crc64.js';
import type { DigestAlgorithm, DigestReply, DigestRequest } from './digest-protocol.js';

const port = parentPort;
if (!port) throw new Error('digest-worker.ts must run in a worker thread.');

let ring: SharedArrayBuffer | undefined;
let slotSize = 0;
let digesters: { readonly algorithm: DigestAlgorithm; readonly hash: Hash | Crc64 }[] = [];

function post(reply: DigestReply): void {
  port?.postMessage(reply);
}

port.on('message', (request: DigestRequest) => {
  switch (request.type) {
    case 'start':
      ring = request.ring;
      slotSize = request.slotSize;
      digesters = request.algorithms.map((algorithm) => ({
        algorithm,
        hash: algorithm === 'crc64' ? new Crc64() : createHash(algorithm),
      }));
      return;
    case 'slot': {
      if (!ring) return;
      const view = new Uint8Array(ring, request.index * slotSize, request.length);
      for (const d of digesters) d.hash.update(view);
      post({ type: 'free', index: request.index });
      return;
    }
    case 'end': {
      const digests: Partial<Record<DigestAlgorithm, string>> = {};
      for (const d of digesters)
        digests[d.algorithm] = d.hash instanceof Crc64 ? d.hash.digest() : d.hash.digest('hex');
      post({ type: 'digests', digests });
      return;
    }
  }
});
