/** Starts the real app over HTTP (serving the built web client) on a temp SQLite database with the demo data. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { seedDemo } from '../../src/server/demo/demo.js';

type AppDb = Awaited<ReturnType<typeof buildApp>>['ctx']['db'];

export async function startTestServer(
  opts: { demo?: boolean } = {},
): Promise<{ baseUrl: string; db: AppDb; close(): Promise<void> }> {
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
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return {
    baseUrl: `http://127.0.0.1:${addr.port}`,
    /** the app's database, for tests that seed more than the base demo */
    db: ctx.db,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
