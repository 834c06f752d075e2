/**
 * Group commit (src/server/db/group-commit.ts) on the real database: concurrent units share transactions and are
 * all committed before they are answered; a unit that throws fails alone; a unit whose SQL error aborts the shared
 * transaction fails alone too (the others are run again on their own).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupCommit } from '../../src/server/db/group-commit.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const keys = async (prefix: string) =>
  (await t.ctx.db.selectFrom('settings').select('key').where('key', 'like', `${prefix}%`).execute()).map((r) => r.key);

describe('group commit', () => {
  it('commits every unit of a burst, each answered with its own result', async () => {
    const g = groupCommit(t.ctx.db);
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        g.run(async (trx) => {
          await trx
            .insertInto('settings')
            .values({ key: `gc-a-${i}`, value: String(i) })
            .execute();
          return i * 2;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 300 }, (_, i) => i * 2));
    expect((await keys('gc-a-')).length).toBe(300);
  });

  it('a unit that throws fails alone; the rest of its batch is committed', async () => {
    const g = groupCommit(t.ctx.db);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        g.run(async (trx) => {
          if (i === 3) throw new Error('not this one');
          await trx
            .insertInto('settings')
            .values({ key: `gc-b-${i}`, value: '1' })
            .execute();
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected').length).toBe(1);
    expect((await keys('gc-b-')).sort()).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9].map((i) => `gc-b-${i}`).sort());
  });

  it('a SQL error in one unit (duplicate key) does not cost the others their writes', async () => {
    await t.ctx.db.insertInto('settings').values({ key: 'gc-c-taken', value: '1' }).execute();
    const g = groupCommit(t.ctx.db);
    const outcomes = await Promise.allSettled(
      ['gc-c-1', 'gc-c-taken', 'gc-c-2', 'gc-c-3'].map((key) =>
        g.run((trx) => trx.insertInto('settings').values({ key, value: '2' }).execute()),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((await keys('gc-c-')).sort()).toEqual(['gc-c-1', 'gc-c-2', 'gc-c-3', 'gc-c-taken']);
    const taken = await t.ctx.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'gc-c-taken')
      .executeTakeFirst();
    expect(taken?.value).toBe('1');
  });
});
