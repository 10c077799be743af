import type { TableMeta } from '../schema/table-meta.js';
import type { QueryDatabase } from '../dialect/query-database.js';
import { takesTurns, withConnectionTurn } from './sync-transaction.js';

/**
 * Runs `fn` so that a write and the read of its row back happen in one transaction, where the
 * dialect has no `RETURNING` (MySQL): the write's row lock then holds until the read, and the
 * row read is exactly the row this write left, whatever other connections do meanwhile. A `db`
 * that already is a transaction is used as it is (its lock is held until the caller commits);
 * dialects with `RETURNING` run `fn(db)` directly, one statement.
 *
 * The original error always surfaces: when `fn` throws and Drizzle's `rollback` fails too
 * (a dropped connection), the error of `fn` is thrown, never the rollback's.
 *
 * MySQL: `begin; update …; select … for update; commit`
 * @example
 * const row = await inWriteTransaction(db, meta, async (tx) => {
 *   await runUpdate(tx, meta, shape, {}, values)
 *   return readRow(tx, meta, key)
 * })
 */
export async function inWriteTransaction<R>(db: QueryDatabase, meta: TableMeta, fn: (db: QueryDatabase) => Promise<R>): Promise<R> {
  // A synchronous driver (better-sqlite3): wait while another call of ours holds a transaction on this file.
  if (takesTurns(db, meta.adapter)) return withConnectionTurn(db, () => fn(db));
  if (meta.adapter.supportsReturning || meta.adapter.isTransaction(db)) return fn(db);
  let failure: { error: unknown } | undefined;
  try {
    return await db.transaction(async (tx: QueryDatabase) => {
      try {
        return await fn(tx);
      } catch (error) {
        failure = { error };
        throw error;
      }
    });
  } catch (error) {
    throw failure ? failure.error : error;
  }
}
