/** Worker: turns plain synthetic members into members rows (encryption and pinyin are the costly part). */
import { parentPort, workerData } from 'node:worker_threads';
import { loadFieldCipher } from '../../src/server/crypto/sm.js';
import { memberRow, type PlainMember } from './members.js';

const { dataDir, fieldKey } = workerData as { dataDir: string; fieldKey?: string };
const cipher = loadFieldCipher(dataDir, fieldKey);

parentPort!.on('message', (job: { seq: number; members: PlainMember[]; firstId: number; now: string }) => {
  const rows = job.members.map((m, i) => memberRow(cipher, m, job.firstId + i, job.now));
  parentPort!.postMessage({ seq: job.seq, rows });
});
