import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createSlotDigesters,
  digestAll,
  prestartDigesters,
  spareDigesters,
  type SlotDigester,
} from '../../../electron/core/files/slot-digest.js';
import { SlotRing } from '../../../electron/core/files/slot-ring.js';

/**
 * Feeds `data` through `ring` in uneven pieces, as the uploader does: take a slot, fill it, share
 * it with every digester, and reuse it only once they all let go. Each slot is scribbled over right
 * after its release, so a digester that read a slot after saying it was done would get it wrong.
 */
async function feed(ring: SlotRing, digesters: SlotDigester[], data: Buffer, sizes: number[]) {
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const n = Math.min(sizes[i % sizes.length]!, ring.slotSize, data.length - at);
    const slot = await ring.take();
    data.copy(ring.bytes(slot), 0, at, at + n);
    ring.share(slot, digesters.length);
    let holders = digesters.length;
    for (const d of digesters)
      d.update(slot, n, () => {
        if (--holders === 0) ring.bytes(slot).fill(0xaa);
        ring.release(slot);
      });
    at += n;
  }
}

const expected = (data: Buffer) => ({
  md5: createHash('md5').update(data).digest('hex'),
  sha256: createHash('sha256').update(data).digest('hex'),
});

describe('slot digesters', () => {
  // More than the ring holds many times over, in pieces that do not fill the slots evenly.
  const data = randomBytes(21 * 1024 * 1024 + 5);

  it('digest in workers exactly the bytes handed over, each algorithm in its own thread', async () => {
    const ring = new SlotRing(4, 1024 * 1024);
    const errors: Error[] = [];
    const digesters = createSlotDigesters(['md5', 'sha256'], ring, data.length, (e) => errors.push(e), 0);
    await feed(ring, digesters, data, [1, 65_536, 1_048_576, 777_777, 3]);
    expect(await digestAll(digesters)).toEqual(expected(data));
    expect(errors).toEqual([]);
  }, 30_000);

  it('use workers booted ahead of the stream, and boot none for a small one', async () => {
    prestartDigesters(['md5', 'sha256'], 999, 1000);
    expect(spareDigesters()).toBe(0);
    prestartDigesters(['md5', 'sha256'], data.length, 1000);
    prestartDigesters(['md5'], data.length, 1000); // already there: no more
    expect(spareDigesters()).toBe(2);
    const ring = new SlotRing(4, 1024 * 1024);
    const digesters = createSlotDigesters(['md5', 'sha256'], ring, data.length, () => undefined, 1000);
    expect(spareDigesters()).toBe(0);
    await feed(ring, digesters, data, [1_048_576, 3]);
    expect(await digestAll(digesters)).toEqual(expected(data));
  }, 30_000);

  it('hash small streams inline with the same results, releasing each slot at once', async () => {
    const small = data.subarray(0, 100_000);
    const ring = new SlotRing(1, 64 * 1024);
    const digesters = createSlotDigesters(['md5', 'sha256'], ring, small.length, () => undefined);
    await feed(ring, digesters, small, [40_000]); // one slot: each take() needs the last release
    expect(await digestAll(digesters)).toEqual(expected(small));
  });

  it('digest an empty stream in a worker', async () => {
    const ring = new SlotRing(1, 1024);
    const digesters = createSlotDigesters(['md5'], ring, 0, () => undefined, 0);
    expect(await digestAll(digesters)).toEqual({ md5: createHash('md5').digest('hex') });
  }, 30_000);

  it('report a worker that dies, and fail its digest', async () => {
    const ring = new SlotRing(2, 1024);
    const errors: Error[] = [];
    const [digester] = createSlotDigesters(['md5'], ring, 1, (e) => errors.push(e), 0);
    // Unknown algorithm: the worker throws on start and exits.
    (digester as unknown as { post(m: unknown): void }).post({
      type: 'start',
      ring: ring.memory,
      slotSize: 1024,
      algorithms: ['no-such-hash'],
    });
    await expect.poll(() => errors.length, { timeout: 10_000 }).toBe(1);
    await expect(digester!.digest()).rejects.toThrow();
  }, 30_000);
});

describe('SlotRing', () => {
  it('makes take() wait for the last release of a shared slot, and rejects a waiter when closed', async () => {
    const ring = new SlotRing(1, 16);
    const slot = await ring.take();
    ring.share(slot, 2);
    let got: number | undefined;
    const next = ring.take().then((i) => (got = i));
    ring.release(slot);
    await Promise.resolve();
    expect(got).toBeUndefined();
    ring.release(slot);
    await next;
    expect(got).toBe(slot);
    const waiting = ring.take();
    ring.close(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    await expect(ring.take()).rejects.toThrow('gone');
  });

  it('gives views onto one shared memory, without copies', async () => {
    const ring = new SlotRing(2, 8);
    const slot = await ring.take();
    ring.bytes(slot).fill(7);
    expect(new Uint8Array(ring.memory, slot * 8, 8)).toEqual(new Uint8Array(8).fill(7));
    expect(ring.bytes(slot, 3)).toHaveLength(3);
  });
});
