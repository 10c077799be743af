import type { Table } from 'drizzle-orm';
import { readRow } from './row-reader.js';
import { readKey, readVersion, requireVersion } from './target.js';
import { writeTarget } from './write-request.js';
import type { DatabaseFor, TargetOf } from '../schema/table-types.js';

/**
 * True when the stored version differs from the target's, or the row is gone (django's
 * `is_changed`). For early form validation only: it never replaces the checked write. It reads
 * the latest committed row (MySQL: a locking read, so a REPEATABLE READ transaction's snapshot
 * does not hide a newer version) from the primary of a `withReplicas(…)` wrapper.
 * @example
 * if (await isChanged(db, accounts, formRow)) return showConflict()
 * // PostgreSQL: select … from "accounts" where "accounts"."id" = $1
 * // MySQL:      select … from `accounts` where `accounts`.`id` = ? for update
 * // SQLite:     select … from "accounts" where "accounts"."id" = ?
 */
export async function isChanged<T extends Table>(db: DatabaseFor<T>, table: T, target: TargetOf<T>): Promise<boolean> {
  const { db: primary, meta } = writeTarget(db, table);
  const key = readKey(meta, target);
  const version = readVersion(meta, target, key) ?? requireVersion(meta, key);
  const current = await readRow(primary, meta, key);
  return current === null || current[meta.version.key] !== version;
}
