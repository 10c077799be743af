import type { Dialect } from './databases.js';

/**
 * How many of the logged statements are `versionedModify`'s locking reads by primary key:
 * PostgreSQL `select … for update of`, MySQL `select … force index (primary) … for update` (a
 * write's own read-back is a `for update` without the index hint). SQLite has no row lock: 0.
 */
export function lockingReads(dialect: Dialect, log: readonly string[]): number {
  if (dialect === 'sqlite') return 0;
  const locking = dialect === 'pg' ? /^select .* for update/ : /^select .*force index \(primary\).* for update/i;
  return log.filter((q) => locking.test(q)).length;
}
