/**
 * Encrypts synthetic members on worker threads (SM4 + HMAC-SM3 + pinyin cost ~45 µs a row; the main thread is
 * busy writing the previous chunk), or in-process when there is a single core.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FieldCipher } from '../../src/server/crypto/sm.js';
import { memberRow, type PlainMember, type Value } from './members.js';

export interface RowPool {
  rows(members: PlainMember[], firstId: number, now: string): Promise<Value[][]>;
  close(): Promise<void>;
}

export function rowPool(cipher: FieldCipher, key: { dataDir: string; fieldKey?: string }, threads?: number): RowPool {
  // one core stays with the main thread, which writes the previous chunk meanwhile
  const n = threads ?? Math.min(4, os.availableParallelism() - 1);
  if (n < 1) {
    return {
      async rows(members, firstId, now) {
        return members.map((m, i) => memberRow(cipher, m, firstId + i, now));
      },
      async close() {},
    };
  }
  const workers = Array.from(
    { length: n },
    () => new Worker(new URL('./rows-worker.mjs', import.meta.url), { workerData: key }),
  );
  const waiting = new Map<number, { resolve: (rows: Value[][]) => void; reject: (e: unknown) => void }>();
  for (const w of workers) {
    w.on('message', (m: { seq: number; rows: Value[][] }) => {
      waiting.get(m.seq)?.resolve(m.rows);
      waiting.delete(m.seq);
    });
    w.on('error', (e) => {
      for (const p of waiting.values()) p.reject(e);
      waiting.clear();
    });
  }
  let seq = 0;
  return {
    async rows(members, firstId, now) {
      // split across the workers, results in order
      const per = Math.ceil(members.length / n);
      const parts = workers.map((w, k) => {
        const slice = members.slice(k * per, (k + 1) * per);
        const s = seq++;
        return new Promise<Value[][]>((resolve, reject) => {
          waiting.set(s, { resolve, reject });
          w.postMessage({ seq: s, members: slice, firstId: firstId + k * per, now });
        });
      });
      return (await Promise.all(parts)).flat();
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
