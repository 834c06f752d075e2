/** Runs Kysely's Migrator over the migrations listed here (static list: works from source and bundles). */
import { type Kysely, type Migration, Migrator } from 'kysely';
import type { DB } from './database.js';
import * as m001 from './migrations/001-foundation.js';
import * as m002 from './migrations/002-members.js';
import * as m004 from './migrations/004-staffing-transfers.js';
import * as m005 from './migrations/005-roster-search.js';
import * as m006 from './migrations/006-meetings.js';
import * as m008 from './migrations/008-compliance.js';
import * as m009 from './migrations/009-learning.js';

const migrations: Record<string, Migration> = {
  '001-foundation': m001,
  '002-members': m002,
  '004-staffing-transfers': m004,
  '005-roster-search': m005,
  '006-meetings': m006,
  '008-compliance': m008,
  '009-learning': m009,
};

/** `schema`: the PostgreSQL schema in use (its migration bookkeeping lives there too, not in public). */
export async function migrateToLatest(db: Kysely<DB>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // a database that already ran a later-numbered migration (developed in parallel) still takes an earlier one
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
