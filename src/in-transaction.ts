/**
 * Runs `fn` in `db.transaction(…)` (a savepoint when `db` is already a transaction) and makes
 * sure the error `fn` threw is the one the caller sees. Drizzle's transactions (node-postgres,
 * mysql2, libSQL, and postgres.js's `begin`) send ROLLBACK in a `catch` and rethrow: when the
 * ROLLBACK fails too (the connection was killed, a Galera node left the cluster), its error
 * replaces ours. Here the original error surfaces, the rollback's attached as its `cause` when
 * it has none.
 * @example
 * await inTransaction(db, async (tx) => { … throw conflict })  // rejects with `conflict`, whatever ROLLBACK did
 */
export async function inTransaction<R>(db: any, fn: (tx: any) => Promise<R>): Promise<R> {
  let thrown: { error: unknown } | undefined;
  try {
    return await db.transaction(async (tx: any) => {
      try {
        return await fn(tx);
      } catch (error) {
        thrown = { error };
        throw error;
      }
    });
  } catch (error) {
    if (thrown === undefined || error === thrown.error) throw error;
    const original = thrown.error;
    if (original instanceof Error && !Object.hasOwn(original, 'cause')) {
      Object.defineProperty(original, 'cause', { value: error, writable: true, configurable: true, enumerable: false });
    }
    throw original;
  }
}
