/**
 * Group commit for small, frequent writes (learning heartbeats): units of work that arrive while a transaction is
 * being written wait and then share the next one, so a burst of N requests costs one BEGIN/COMMIT (and, on SQLite
 * with synchronous=FULL, one fsync) instead of N. Each caller still gets its answer only after its work is
 * committed: nothing is acknowledged before it is durable.
 *
 * The units of one batch run one after another in the same transaction. A unit that throws an AppError (a 404, a
 * validation error: refusals come before writes) is answered with its error and the others go on; if the transaction itself fails (a database error that
 * aborts it), every unit of the batch is run again in a transaction of its own, so one bad unit cannot fail the rest:
 * a unit must therefore only touch the database (it may run twice, the first time rolled back).
 */
import { AppError } from '../errors.js';
import type { Db, Executor } from './database.js';

type Work<T> = (trx: Executor) => Promise<T>;
interface Pending {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Largest batch: keeps one transaction short when a queue has built up. */
const MAX_BATCH = 256;

class GroupCommit {
  private queue: Pending[] = [];
  private running = false;

  constructor(private readonly db: Db) {}

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
      try {
        await this.db.transaction().execute(async (trx) => {
          outcomes.length = 0;
          for (const p of batch) {
            try {
              outcomes.push({ ok: true, value: await p.work(trx) });
            } catch (error) {
              // a refusal of ours (404, validation) is thrown before the unit writes: the batch goes on; any other
              // error may have aborted the transaction (PostgreSQL), so the batch is run again unit by unit
              if (!(error instanceof AppError)) throw error;
              outcomes.push({ ok: false, error });
            }
          }
        });
      } catch {
        // the shared transaction failed as a whole: each unit alone, so that only the faulty one fails
        outcomes.length = 0;
        for (const p of batch) {
          try {
            outcomes.push({ ok: true, value: await this.db.transaction().execute((trx) => p.work(trx)) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      }
      batch.forEach((p, i) => {
        const o = outcomes[i]!;
        if (o.ok) p.resolve(o.value);
        else p.reject(o.error);
      });
    }
    this.running = false;
  }
}

const instances = new WeakMap<Db, GroupCommit>();

/** The group-commit queue of a database handle. */
export function groupCommit(db: Db): GroupCommit {
  let g = instances.get(db);
  if (!g) {
    g = new GroupCommit(db);
    instances.set(db, g);
  }
  return g;
}
