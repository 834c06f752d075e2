/**
 * npm run seed:synthetic -- --members N --orgs M [--seed S] [--data-dir DIR | --schema NAME] [--force] [--accounts]
 *
 * A province-scale synthetic dataset for benchmarks: a deep tree of M organisations (real city and county names)
 * and N members with valid, unique 身份证号, encrypted exactly as the app does (SM4 ciphertext, HMAC-SM3 blind
 * index, masked copy) with the field key the server uses for that DATA_DIR (or FIELD_KEY).
 *
 * The database is chosen as the server chooses it (DATABASE_URL → PostgreSQL, else SQLite in DATA_DIR). By
 * default a fresh one is created and printed: SQLite in ./data/synthetic-<time>/ (unless DATA_DIR or --data-dir
 * names one), PostgreSQL in a new schema synthetic_<time> (unless DATABASE_SCHEMA or --schema names one). A named
 * database that already holds orgs, members or accounts is refused unless --force, which adds the synthetic tree
 * as a further root next to what is there. --accounts adds the demo-style accounts `province` and `chengdu`
 * (党务管理员 of the root and of 成都; the demo password, exempt from TOTP): for trying the data in the UI only.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/server/config.js';
import { hashPassword, loadFieldCipher } from '../src/server/crypto/sm.js';
import { openDatabase } from '../src/server/db/connect.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { DEMO_PASSWORD } from '../src/server/demo/demo.js';
import * as grants from '../src/server/modules/grants/grants.repository.js';
import * as users from '../src/server/modules/users/users.repository.js';
import { type BulkWriter, postgresWriter, sqliteWriter } from './synthetic/bulk.js';
import { rowPool } from './synthetic/pool.js';
import { defaultOrgCount, seedSynthetic } from './synthetic/seed.js';

interface Args {
  members: number;
  orgs?: number;
  seed: number;
  dataDir?: string;
  schema?: string;
  force: boolean;
  accounts: boolean;
}

const USAGE =
  'usage: npm run seed:synthetic -- --members N [--orgs M] [--seed S] [--data-dir DIR | --schema NAME] [--force] [--accounts]';

function parseArgs(argv: string[]): Args {
  const a: Args = { members: 100_000, seed: 1, force: false, accounts: false };
  const num = (v: string | undefined, name: string) => {
    const n = Number(v?.replaceAll('_', ''));
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--members') a.members = num(argv[++i], k);
    else if (k === '--orgs') a.orgs = num(argv[++i], k);
    else if (k === '--seed') a.seed = num(argv[++i], k);
    else if (k === '--data-dir') a.dataDir = argv[++i];
    else if (k === '--schema') a.schema = argv[++i];
    else if (k === '--force') a.force = true;
    else if (k === '--accounts') a.accounts = true;
    else if (k === '--help' || k === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${k}\n${USAGE}`);
  }
  if (a.schema && !/^[a-z_][a-z0-9_]*$/.test(a.schema)) throw new Error('--schema: lower-case letters, digits, _');
  return a;
}

const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const env = { ...process.env };
  const postgres = Boolean(env.DATABASE_URL);
  let named: boolean;
  if (postgres) {
    if (args.schema) env.DATABASE_SCHEMA = args.schema;
    named = Boolean(env.DATABASE_SCHEMA);
    if (!named) env.DATABASE_SCHEMA = `synthetic_${stamp().replace('-', '_')}`;
    if (args.dataDir) env.DATA_DIR = args.dataDir;
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${env.DATABASE_SCHEMA}`);
    await client.end();
  } else {
    if (args.dataDir) env.DATA_DIR = args.dataDir;
    named = Boolean(env.DATA_DIR);
    if (!named) env.DATA_DIR = path.join('data', `synthetic-${stamp()}`);
  }
  const config = loadConfig(env);
  const database = openDatabase(config);
  await migrateToLatest(database.db, config.databaseSchema);
  const counts = await Promise.all(
    (['orgs', 'members', 'users'] as const).map(async (t) =>
      Number(
        (
          await database.db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ),
  );
  const where = postgres
    ? `PostgreSQL ${config.databaseUrl?.replace(/\/\/[^@/]*@/, '//…@')} schema ${config.databaseSchema}`
    : `SQLite ${database.file}`;
  if (counts.some((n) => n > 0) && !args.force) {
    await database.close();
    throw new Error(
      `${where} already holds ${counts[0]} orgs, ${counts[1]} members, ${counts[2]} accounts: ` +
        'pass --force to add the synthetic data next to them, or leave DATA_DIR / DATABASE_SCHEMA unset for a fresh database',
    );
  }
  const cipher = loadFieldCipher(config.dataDir, config.fieldKey);
  const orgs = args.orgs ?? defaultOrgCount(args.members);
  console.log(
    `Seeding ${args.members.toLocaleString('en')} members in ${orgs.toLocaleString('en')} orgs (seed ${args.seed}) into ${where}`,
  );

  const writer: BulkWriter = postgres
    ? await postgresWriter(config.databaseUrl!, config.databaseSchema)
    : sqliteWriter(database.file!);
  const pool = rowPool(cipher, { dataDir: config.dataDir, fieldKey: config.fieldKey });
  let result: Awaited<ReturnType<typeof seedSynthetic>>;
  try {
    result = await seedSynthetic([writer], pool, {
      members: args.members,
      orgs,
      seed: args.seed,
      log: (l) => console.log(`  ${l}`),
    });
  } finally {
    await pool.close();
    await writer.close();
  }

  if (args.accounts) {
    const now = new Date().toISOString();
    const hash = hashPassword(DEMO_PASSWORD, config.passwordIterations);
    const chengdu = result.tree.cities.get('5101') ?? result.tree.root;
    await database.db.transaction().execute(async (trx) => {
      for (const [username, display, orgId] of [
        ['province', '省厅机关党委党务干部', result.tree.root.id],
        ['chengdu', '成都市科技局党务干部', chengdu.id],
      ] as const) {
        if (await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()) {
          console.log(`  account ${username} exists: left alone`);
          continue;
        }
        const u = await users.insert(trx, {
          username,
          display_name: display,
          password_hash: hash,
          password_changed_at: now,
          must_change_password: 0,
          failed_count: 0,
          locked_until: null,
          disabled: 0,
          totp_secret: null,
          totp_enabled: 0,
          totp_last_step: 0,
          totp_exempt: 1,
          demo: 1,
          last_login_at: null,
          created_at: now,
          updated_at: now,
        });
        await grants.insert(trx, { user_id: u.id, role: 'org_admin', org_id: orgId, created_by: 'seed:synthetic' });
        console.log(`  account ${username} (党务管理员 of org ${orgId}), password ${DEMO_PASSWORD}`);
      }
    });
  }
  await database.close();

  console.log(
    `Done in ${result.seconds.toFixed(1)} s: ${result.orgs.toLocaleString('en')} orgs, ${result.closureRows.toLocaleString('en')} closure rows, ` +
      `${result.members.toLocaleString('en')} members, ${result.posts.toLocaleString('en')} party posts.`,
  );
  if (postgres) {
    console.log(
      `Use it: DATABASE_URL=${config.databaseUrl} DATABASE_SCHEMA=${config.databaseSchema} DATA_DIR=${config.dataDir} DEMO=off npm start`,
    );
  } else {
    const size = fs.statSync(database.file!).size / 1024 / 1024;
    console.log(`Use it: DATA_DIR=${config.dataDir} DEMO=off npm start   (${size.toFixed(0)} MB)`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
