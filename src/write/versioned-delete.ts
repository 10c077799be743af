import type { Table } from 'drizzle-orm';
import { conflictError } from './conflict.js';
import { readRow } from './row-reader.js';
import { inTurn } from '../transaction/sync-transaction.js';
import { cachedStatement, statementName } from './statement-cache.js';
import { keySlotValues, keyWhere, placeholderSlot } from './update-statement.js';
import { writeTarget, writeRequest, type WriteOptions } from './write-request.js';
import type { DatabaseFor, TargetOf } from '../schema/table-types.js';

/**
 * Deletes one row if its version is still the one in `target`. Throws `RecordModifiedError`
 * or `RecordDeletedError` when it is not; the current row for the error is read as the delete saw
 * it (a locking read on MySQL, so a REPEATABLE READ snapshot never hides the newer version).
 * A `withReplicas(…)` wrapper deletes and reads on its primary. Success always is that one
 * statement and nothing read back, so `{ returning: false }` changes nothing here.
 * @example
 * await versionedDelete(db, accounts, row)
 * // PostgreSQL: delete from "accounts" where "accounts"."id" = $1 and "accounts"."version" = $2
 * // MySQL:      delete from `accounts` where `accounts`.`id` = ? and `accounts`.`version` = ?
 * // SQLite:     delete from "accounts" where "accounts"."id" = ? and "accounts"."version" = ?
 */
export async function versionedDelete<T extends Table>(
  db: DatabaseFor<T>,
  table: T,
  target: TargetOf<T>,
  options?: WriteOptions,
): Promise<void> {
  const { db: primary, meta } = writeTarget(db, table);
  const request = writeRequest(meta, target, options, 'delete');
  const prepared = cachedStatement(primary, table, `d|${request.check ? 1 : 0}`, () =>
    meta.adapter.prepare(primary.delete(table).where(keyWhere(meta, request.check, placeholderSlot)), statementName()),
  );
  const values = keySlotValues(meta, request.key);
  if (request.check) values['e'] = request.expected;
  // better-sqlite3: wait while another call of ours holds a transaction on this file.
  const current = await inTurn(primary, meta.adapter, async () => {
    if (!request.unmatchable && (await meta.adapter.runCount(prepared, values)) > 0) return undefined;
    return { row: await readRow(primary, meta, request.key) };
  });
  if (current) throw conflictError(meta, request.key, request.expected, current.row);
}
