import { allAdapters } from '../dialect/adapters.js';

/**
 * True when `error`, or any error in its `cause` chain (Drizzle wraps driver errors in
 * `DrizzleQueryError` with the driver's error as `cause`), is a transient failure: running the
 * whole read-modify-write again may succeed. Those are PostgreSQL serialization failure
 * `40001` and deadlock `40P01`; MySQL/MariaDB `ER_LOCK_DEADLOCK` 1213 (Galera certification
 * failures included) and lock wait timeout `ER_LOCK_WAIT_TIMEOUT` 1205; SQLite `SQLITE_BUSY`
 * (and its extended codes). Conflicts (`RecordModifiedError`) are not transient: they are
 * answered from `error.current`, see `retryOnConflict`.
 * @example
 * try { await versionedUpdate(db, accounts, row, { balance: 0 }) }
 * catch (e) { if (isTransientError(e)) return retryLater(); throw e }
 */
export function isTransientError(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e = error; e !== null && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    if (allAdapters.some((adapter) => adapter.isTransientError(e))) return true;
  }
  return false;
}
