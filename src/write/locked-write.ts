import { bumpFor } from './bump.js';
import type { QueryDatabase } from '../dialect/query-database.js';
import { conflictError } from './conflict.js';
import type { TableMeta } from '../schema/table-meta.js';
import { runUpdate, slotValues, type UpdateShape } from './update-statement.js';
import { attemptUpdate } from './versioned-update.js';
import { autoValues, splitChanges, writeRequest, type WriteOptions } from './write-request.js';

/**
 * The checked write of `changes` on `row`, where `row` was read under the row lock of the
 * transaction `db` runs (`versionedModify`'s locked path). Resolves to the stored row or throws
 * the conflict. Without RETURNING (MySQL), when the stored row follows from the locked row
 * exactly, it is not read back: nobody can change the row between the locking read and the
 * write, every changed value is an integer inside its column's range or `null` (stored as
 * given), no `$onUpdate` column or SQL expression is written and the version moves by exactly
 * one (or not at all). Otherwise, and where RETURNING exists, it is `versionedUpdate`'s write.
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
  if (!meta.adapter.supportsReturning && meta.onUpdateKeys.length === 0) {
    const request = writeRequest(meta, row, options);
    const split = splitChanges(meta, changes);
    const auto = autoValues(meta, split.keys);
    const bump = bumpFor(meta, split.keys, request.increment);
    if ((bump.type === 'increment' || bump.type === 'none') && !request.unmatchable && exactValues(meta, split.keys, split.plain, Object.keys(split.embedded).length)) {
      const shape: UpdateShape = { changeKeys: split.keys, autoKeys: auto.keys, check: request.check, bump, returning: false };
      const values = slotValues(shape, { changes: split.plain, auto: auto.plain, key: request.key, expected: request.expected }, meta);
      const { count } = await runUpdate(db, meta, shape, {}, values);
      // Under the lock a checked update of the row just read matches, unless the driver counts changed rows (-FOUND_ROWS).
      if (count > 0) {
        const version = row[meta.version.key] as number;
        return { ...row, ...split.plain, [meta.version.key]: bump.type === 'increment' ? version + 1 : version };
      }
      if (!meta.adapter.affectedRowsMayMissUnchanged) throw conflictError(meta, request.key, request.expected, row);
    }
  }
  const outcome = await attemptUpdate(db, meta.table, row, changes, options);
  if (outcome.ok) return outcome.row;
  throw outcome.error;
}

function exactValues(meta: TableMeta, keys: readonly string[], plain: Record<string, unknown>, embedded: number): boolean {
  if (embedded > 0) return false;
  return keys.every((key) => {
    const value = plain[key];
    if (value === null) return !meta.columns[key]!.notNull;
    const range = meta.adapter.integerRange(meta.columns[key]!);
    return range !== undefined && typeof value === 'number' && Number.isSafeInteger(value) && value >= range.min && value <= range.max && !Object.is(value, -0);
  });
}
