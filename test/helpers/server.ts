/** Starts the real app over HTTP (serving the built web client) on a temp SQLite database with the demo data. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { seedDemo } from '../../src/server/demo/demo.js';
import { seedLearningDemo } from '../../src/server/demo/learning-demo.js';
import { todayInShanghai } from '../../src/shared/dates.js';

export async function startTestServer(
  opts: { demo?: boolean; learning?: boolean } = {},
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-e2e-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PASSWORD_ITERATIONS: '1000',
    LOGIN_RATE_LIMIT: '10000',
    DEMO: 'off',
    PORT: '0',
  });
  const { app, ctx } = await buildApp(config);
  if (opts.demo !== false) await seedDemo(ctx.db, { passwordIterations: 1000, cipher: ctx.cipher });
  // Until the demo seeds it itself: the learning library, bank, papers and plans (issue 5).
  if (opts.demo !== false && opts.learning) {
    let seed = 5;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    await ctx.db.transaction().execute((trx) => seedLearningDemo(trx, rand, todayInShanghai(), { dataDir }));
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return {
    baseUrl: `http://127.0.0.1:${addr.port}`,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
