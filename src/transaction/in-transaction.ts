import type { DialectAdapter } from '../dialect/dialect-adapter.js';
import type { QueryDatabase } from '../dialect/query-database.js';
import { ConcurrencyError } from '../errors.js';
import { inSyncTransaction } from './sync-transaction.js';

/**
 * Runs `fn` in `db.transaction(…)` (a savepoint when `db` is already a transaction) and makes
 * sure the error `fn` threw is the one the caller sees. Drizzle's transactions (node-postgres,
 * mysql2, libSQL, and postgres.js's `begin`) send ROLLBACK in a `catch` and rethrow: when the
 * ROLLBACK fails too (the connection was killed, a Galera node left the cluster), its error
 * replaces ours. Here the original error surfaces, the rollback's attached as its `cause` when
 * it has none. Where the adapter says the driver may turn a COMMIT into a silent ROLLBACK
 * (postgres.js with `prepare` behind a transaction pooler), the commit is confirmed afterwards
 * and a transaction that did not commit is a `ConcurrencyError`, never a success. A driver whose
 * transactions are synchronous (better-sqlite3) takes {@link inSyncTransaction}'s path:
 * `begin immediate` … `commit` through `db.run`, or a savepoint inside the caller's `begin`.
 * @example
 * await inTransaction(db, async (tx) => { … throw conflict })  // rejects with `conflict`, whatever ROLLBACK did
 */
export async function inTransaction<R>(db: QueryDatabase, fn: (tx: QueryDatabase) => Promise<R>, adapter?: DialectAdapter, what = 'batch'): Promise<R> {
  if (adapter?.synchronousTransactions?.(db)) return inSyncTransaction(db, fn, adapter, what);
  let thrown: { error: unknown } | undefined;
  let token: string | undefined;
  try {
    const result = await db.transaction(async (tx: QueryDatabase) => {
      try {
        if (adapter?.commitMayBeLost?.(db)) token = await adapter.transactionToken!(tx);
        return await fn(tx);
      } catch (error) {
        thrown = { error };
        throw error;
      }
    });
    if (token !== undefined && !(await adapter!.committed!(db, token))) {
      throw new ConcurrencyError(
        `${what} was rolled back although the driver reported its COMMIT done (postgres.js with prepare: true behind a transaction pooler? set prepare: false); nothing of it was applied`,
      );
    }
    return result;
  } catch (error) {
    if (thrown === undefined || error === thrown.error) throw error;
    const original = thrown.error;
    if (original instanceof Error && !Object.hasOwn(original, 'cause')) {
      Object.defineProperty(original, 'cause', { value: error, writable: true, configurable: true, enumerable: false });
    }
    throw original;
  }
}
