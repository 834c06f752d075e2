/**
 * Operator commands: `npm run cli -- <command>`.
 *   migrate                              apply database migrations
 *   create-security-admin <username>     the first 安全管理员 (password from INITIAL_PASSWORD or generated)
 *   create-user <username> [name]        an account without roles (the 安全管理员 grants them)
 *   verify-audit                         check the audit log's SM3 chain; exit 1 at the first broken link
 *   seed-demo                            create the demo data on an empty database
 *   backup <dir>                         write a backup (tables as JSON lines with SM3 digests, uploaded files) to <dir>
 *   restore <dir>                        check a backup and restore it into this empty database (all or nothing)
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { record, verifyChain } from '../audit/audit.service.js';
import { loadConfig } from '../config.js';
import { loadFieldCipher } from '../crypto/sm.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { seedIfEmpty } from '../demo/demo.js';
import { createBackup, restoreBackup } from '../modules/backup/backup.service.js';
import * as grants from '../modules/grants/grants.service.js';
import * as users from '../modules/users/users.service.js';

function generatedPassword(): string {
  // 3+ character classes guaranteed: upper, lower, digit, symbol.
  return `Dj-${crypto.randomBytes(6).toString('base64url')}7a`;
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const config = loadConfig();
  const database = openDatabase(config);
  const { db } = database;
  try {
    await migrateToLatest(db, config.databaseSchema);
    switch (command) {
      case 'migrate':
        console.log('Migrations applied.');
        return 0;
      case 'create-security-admin':
      case 'create-user': {
        const username = args[0];
        if (!username) throw new Error(`usage: ${command} <username> [display name]`);
        const password = process.env.INITIAL_PASSWORD ?? generatedPassword();
        const admin = command === 'create-security-admin';
        const id = await db.transaction().execute(async (trx) => {
          const uid = await users.create(
            trx,
            { username, displayName: args[1] ?? (admin ? '安全管理员' : username), password },
            config.passwordIterations,
          );
          if (admin) await grants.create(trx, { userId: uid, role: 'secadmin' }, 'cli');
          return uid;
        });
        await record(db, {
          actor: 'cli',
          action: admin ? 'user.create_security_admin' : 'user.create',
          target: `user:${id} ${username}`,
          result: 'success',
        });
        console.log(`Created ${admin ? '安全管理员 ' : 'account '}${username} (id ${id}).`);
        if (!process.env.INITIAL_PASSWORD)
          console.log(`One-time password: ${password}  (must be changed at first login)`);
        return 0;
      }
      case 'verify-audit': {
        const r = await verifyChain(db);
        console.log(r.message);
        return r.ok ? 0 : 1;
      }
      case 'seed-demo': {
        const r = await seedIfEmpty(db, {
          passwordIterations: config.passwordIterations,
          cipher: loadFieldCipher(config.dataDir, config.fieldKey),
          dataDir: config.dataDir,
        });
        console.log(
          r
            ? `Demo data created: ${r.orgs} organisations, ${r.meetings} meetings.`
            : 'Database not empty; nothing done.',
        );
        return 0;
      }
      case 'backup':
      case 'restore': {
        const dir = args[0];
        if (!dir) throw new Error(`usage: ${command} <dir>`);
        const cipher = loadFieldCipher(config.dataDir, config.fieldKey);
        const opts = { dataDir: config.dataDir, cipher, dir: path.resolve(dir) };
        if (command === 'backup') {
          const r = await createBackup(db, opts);
          console.log(`Backup written to ${r.dir}: ${r.tables} tables, ${r.rows} rows, ${r.files} files.`);
          console.log('The field-encryption key is not in it: keep DATA_DIR/keys (or FIELD_KEY) safe separately.');
          return 0;
        }
        const r = await restoreBackup(db, opts);
        const bad = r.checks.filter((c) => !c.ok);
        for (const c of bad) console.error(`  ${c.table}: ${c.rows} rows (backup ${c.expectedRows}), digest differs`);
        console.log(
          `Restored ${r.rows} rows into ${r.tables} tables and ${r.files} files; ${r.checks.length - bad.length}/${r.checks.length} tables match the backup.`,
        );
        return bad.length === 0 ? 0 : 1;
      }
      default:
        console.error(
          'commands: migrate | create-security-admin <username> | create-user <username> [name] | verify-audit | seed-demo | backup <dir> | restore <dir>',
        );
        return 2;
    }
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
