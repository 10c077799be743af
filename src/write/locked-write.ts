import type { QueryDatabase } from '../dialect/query-database.js';
import type { TableMeta } from '../schema/table-meta.js';
import { writeKnownRow } from './known-row-write.js';
import { attemptUpdate } from './versioned-update.js';
import type { WriteOptions } from './write-request.js';

/**
 * The checked write of `changes` on `row`, where `row` was read under the row lock of the
 * transaction `db` runs (`versionedModify`'s locked path). Resolves to the stored row or throws
 * the conflict. Without RETURNING (MySQL), when the stored row follows from the locked row
 * exactly (see `writeKnownRow`), it is not read back: nobody can change the row between the
 * locking read and the write. Otherwise, and where RETURNING exists, it is `versionedUpdate`'s write.
 *
 * MySQL (known row): `update … set …, version = version + 1 where id = ? and version = ?` (no read-back)
 * @example
 * const row = await writeUnderLock(tx, meta, locked, { n: locked.n + 1 }, {})
 */
export async function writeUnderLock(
  db: QueryDatabase,
  meta: TableMeta,
  row: Record<string, unknown>,
  changes: unknown,
  options: WriteOptions,
): Promise<Record<string, unknown>> {
  const known = await writeKnownRow(db, meta, row, changes, options, true);
  if (known) return known;
  const outcome = await attemptUpdate(db, meta.table, row, changes, options);
  if (outcome.ok) return outcome.row;
  throw outcome.error;
}
