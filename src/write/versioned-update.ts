import type { Table } from 'drizzle-orm';
import { primaryDatabase } from '../dialect/adapters.js';
import { bumpFor } from './bump.js';
import { conflictError } from './conflict.js';
import { ConfigurationError, type RecordModifiedError, type RowKey } from '../errors.js';
import { readRow } from './row-reader.js';
import type { TableMeta } from '../schema/table-meta.js';
import { runUpdate, slotValues, type UpdateShape } from './update-statement.js';
import { autoValues, metaFor, splitChanges, writeRequest, type SplitChanges, type WriteOptions } from './write-request.js';
import { inWriteTransaction } from '../transaction/write-transaction.js';
import type { ChangesOf, DatabaseFor, RowOf, TargetOf } from '../schema/table-types.js';

export type { ChangesOf, RowOf, TargetOf } from '../schema/table-types.js';

/** A write's outcome without throwing a conflict. */
export type UpdateOutcome<Row> = { ok: true; row: Row } | { ok: false; error: RecordModifiedError<Row> };

/** Shared body of `versionedUpdate` and `tryVersionedUpdate`. */
export async function attemptUpdate(
  db: unknown,
  table: Table,
  target: unknown,
  changes: unknown,
  options?: WriteOptions,
): Promise<UpdateOutcome<Record<string, unknown>>> {
  db = primaryDatabase(db);
  const meta = metaFor(db, table);
  const request = writeRequest(meta, target, options);
  const split = splitChanges(meta, changes);
  const auto = autoValues(meta, split.keys);
  const storedKey = keyAfterWrite(meta, request.key, split);
  const shape: UpdateShape = {
    changeKeys: split.keys,
    autoKeys: auto.keys,
    check: request.check,
    // `$onUpdate` values are written too: a watched column among them moves the version, as the
    // trigger of a `triggerVersion({ checkFields })` would. Empty changes stay a touch.
    bump: bumpFor(meta, split.keys.length === 0 ? [] : [...split.keys, ...auto.keys], request.increment),
  };
  const values = slotValues(shape, { changes: split.plain, auto: auto.plain, key: request.key, expected: request.expected }, meta);
  return inWriteTransaction(db, meta, async (db) => {
    const { count, row } = request.unmatchable
      ? { count: 0, row: undefined }
      : await runUpdate(db, meta, shape, { ...split.embedded, ...auto.embedded }, values);
    if (count > 0) {
      // Without RETURNING the row is read in the write's transaction, under its lock: exactly this write.
      const stored = row ?? (await readRow(db, meta, storedKey));
      if (stored) return { ok: true, row: stored };
      return { ok: false, error: conflictError(meta, request.key, request.expected, null) };
    }
    const current = await readRow(db, meta, request.key);
    if (
      current &&
      meta.adapter.affectedRowsMayMissUnchanged &&
      (!request.check || current[meta.version.key] === request.expected)
    ) {
      // mysql2 with -FOUND_ROWS counts changed rows: the row matched and already held these values.
      return { ok: true, row: current };
    }
    return { ok: false, error: conflictError(meta, request.key, request.expected, current) };
  });
}

/**
 * The primary key the row has after the write: `changes` may move it. Without RETURNING the
 * row is read back by key, so a key set to an SQL expression could not be found again.
 */
function keyAfterWrite(meta: TableMeta, key: RowKey, split: SplitChanges): RowKey {
  let moved: RowKey | undefined;
  for (const { key: field } of meta.primaryKey) {
    if (Object.hasOwn(split.embedded, field)) {
      if (meta.adapter.supportsReturning) continue;
      throw new ConfigurationError(
        `changes for "${meta.name}" set primary key "${field}" to an SQL expression: without RETURNING the written row cannot be read back; pass the new key's value`,
      );
    }
    if (Object.hasOwn(split.plain, field)) (moved ??= { ...key })[field] = split.plain[field];
  }
  return moved ?? key;
}

/**
 * Updates one row if its version is still the one in `target`, moving the version in the same
 * statement. Resolves to the row as stored after the update: on MySQL, which has no RETURNING,
 * the row is read back inside the write's transaction, so it is exactly the row this write left,
 * and a write that matched is never reported as a conflict. `db` may be a `withReplicas(…)`
 * wrapper: everything goes to its primary. Throws `RecordModifiedError`
 * (carrying the current row) or `RecordDeletedError`; only that failure path reads once more.
 * Empty `changes` is a touch: checked, and the version moves.
 * @example
 * const [row] = await db.select().from(accounts).where(eq(accounts.id, 1))
 * const saved = await versionedUpdate(db, accounts, row, { balance: row.balance - 10 })
 * // PostgreSQL: update "accounts" set "balance" = $1, "version" = "accounts"."version" + 1
 * //             where "accounts"."id" = $2 and "accounts"."version" = $3 returning …
 * // MySQL:      begin; update `accounts` set `version` = `accounts`.`version` + 1, `balance` = ?
 * //             where `accounts`.`id` = ? and `accounts`.`version` = ?;
 * //             select … where `accounts`.`id` = ? for update; commit
 * //             (in the caller's transaction when `db` is one: no begin / commit of its own)
 * // SQLite:     update "accounts" set "balance" = ?, "version" = "accounts"."version" + 1
 * //             where "accounts"."id" = ? and "accounts"."version" = ? returning …
 */
export async function versionedUpdate<T extends Table>(
  db: DatabaseFor<T>,
  table: T,
  target: TargetOf<T>,
  changes: ChangesOf<T>,
  options?: WriteOptions,
): Promise<RowOf<T>> {
  const outcome = await attemptUpdate(db, table, target, changes, options);
  if (outcome.ok) return outcome.row as RowOf<T>;
  throw outcome.error;
}

/**
 * `versionedUpdate` that resolves `{ ok: false, error }` on a conflict instead of throwing
 * (Ecto's `stale_error_field`). Other errors still throw. Emits the same SQL.
 * @example
 * const result = await tryVersionedUpdate(db, accounts, row, { balance: 0 })
 * if (!result.ok) return conflictResponse(result.error)
 */
export async function tryVersionedUpdate<T extends Table>(
  db: DatabaseFor<T>,
  table: T,
  target: TargetOf<T>,
  changes: ChangesOf<T>,
  options?: WriteOptions,
): Promise<UpdateOutcome<RowOf<T>>> {
  return (await attemptUpdate(db, table, target, changes, options)) as UpdateOutcome<RowOf<T>>;
}
