/** Entry point: reads config, builds the app, seeds the demo on an empty database, listens. */
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedIfEmpty } from './demo/demo.js';
import * as users from './modules/users/users.repository.js';

async function main() {
  const config = loadConfig();
  const { app, ctx } = await buildApp(config);
  if (config.demo) {
    const seeded = await seedIfEmpty(ctx.db, {
      passwordIterations: config.passwordIterations,
      cipher: ctx.cipher,
      dataDir: config.dataDir,
    });
    if (seeded) {
      console.log(
        `Demo data created: ${seeded.orgs} organisations, ${seeded.members} members, ${seeded.meetings} meetings, ${seeded.learning} learning items.`,
      );
    }
  }
  await app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  console.log(`\n党建平台 ${config.version} on ${url}  (database: ${ctx.database.dialect})`);
  if (config.demo) {
    console.log(`Demo accounts (password ${DEMO_PASSWORD}; exempt from TOTP so they can be tried at once):`);
    for (const a of DEMO_ACCOUNTS) console.log(`  ${a.username.padEnd(9)} ${a.describe}`);
  } else if ((await users.count(ctx.db)) === 0) {
    console.log('No accounts yet: create the first 安全管理员 with `npm run cli -- create-security-admin <username>`.');
  }
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      void app.close().then(() => process.exit(0));
    });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
