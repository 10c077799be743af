import { sql, type Column, type SQL, type SQLWrapper, type Table } from 'drizzle-orm';
import type { QueryDatabase } from '../dialect/query-database.js';
import { bumpFor } from './bump.js';
import { conflictError } from './conflict.js';
import { ConfigurationError, type RecordModifiedError, type RowKey } from '../errors.js';
import { readRow } from './row-reader.js';
import type { TableMeta } from '../schema/table-meta.js';
import { driverRow } from './driver-row.js';
import { keySlotValues, keyWhere, literalSlot, literalUpdate, runUpdate, slotValues, type UpdateShape } from './update-statement.js';
import { autoValues, writeTarget, splitChanges, writeRequest, type SplitChanges, type WriteOptions, type WriteRequest } from './write-request.js';
import { inTurn } from '../transaction/sync-transaction.js';
import { inWriteTransaction } from '../transaction/write-transaction.js';
import type { ChangesOf, DatabaseFor, PrimaryKeyOf, RowOf, TargetOf, VersionKeyOf } from '../schema/table-types.js';

export type { ChangesOf, RowOf, TargetOf } from '../schema/table-types.js';

/** A write's outcome without throwing a conflict; `Current` types the conflict's `current` row. */
export type UpdateOutcome<Row, Current = Row> = { ok: true; row: Row } | { ok: false; error: RecordModifiedError<Current> };

/**
 * What an update with `{ returning: false }` resolves to: the row's primary key (as it is after
 * the write) and its new version, `undefined` where that is not known without reading the row:
 * an unchecked write (`check: false`, `disableConcurrency`, no version in the target), or a
 * conditional version (or `triggerVersion({ checkFields })`) whose watched columns are set,
 * where the statement itself decides whether the version moves.
 * @example
 * const { id, version } = await versionedUpdate(db, accounts, row, { balance: 0 }, { returning: false })
 */
export type WrittenOf<T extends Table> = Pick<RowOf<T>, PrimaryKeyOf<T>> & { [K in VersionKeyOf<T>]: RowOf<T>[K] | undefined };

/** Options of a write that resolves to {@link WrittenOf} instead of the stored row. */
export type NoRowOptions = WriteOptions & { returning: false };

/** One checked update, decided before any SQL is sent: what each way of sending it needs. */
interface UpdatePlan {
  meta: TableMeta;
  request: WriteRequest;
  shape: UpdateShape;
  /** SQL values of the changes and `$onUpdate` columns, embedded in the statement. */
  embedded: Readonly<Record<string, SQL | Column | SQLWrapper>>;
  /** Bound values by placeholder slot. */
  values: Record<string, unknown>;
  /** The key the row has after the write. */
  storedKey: RowKey;
}

/** Shared body of `versionedUpdate` and `tryVersionedUpdate`: checks `db`, then {@link updateChecked}. */
export async function attemptUpdate(
  db: unknown,
  table: Table,
  target: unknown,
  changes: unknown,
  options?: WriteOptions,
): Promise<UpdateOutcome<Record<string, unknown>>> {
  const { db: primary, meta } = writeTarget(db, table);
  return updateChecked(primary, meta, target, changes, options);
}

/**
 * The checked update of `target` on a database already checked for `meta`'s table (see
 * `writeTarget`): for callers that write one row several times, as `versionedModify` does.
 */
export async function updateChecked(
  primary: QueryDatabase,
  meta: TableMeta,
  target: unknown,
  changes: unknown,
  options?: WriteOptions,
): Promise<UpdateOutcome<Record<string, unknown>>> {
  const request = writeRequest(meta, target, options);
  const split = splitChanges(meta, changes);
  const auto = autoValues(meta, split.keys);
  const returning = options?.returning !== false;
  const storedKey = keyAfterWrite(meta, request.key, split, returning && meta.adapter.supportsReturning);
  const shape: UpdateShape = {
    changeKeys: split.keys,
    autoKeys: auto.keys,
    check: request.check,
    // `$onUpdate` values are written too: a watched column among them moves the version, as the
    // trigger of a `triggerVersion({ checkFields })` would. Empty changes stay a touch.
    bump: bumpFor(meta, split.keys.length === 0 ? [] : [...split.keys, ...auto.keys], request.increment),
    returning,
  };
  const values = slotValues(shape, { changes: split.plain, auto: auto.plain, key: request.key, expected: request.expected }, meta);
  const embedded = { ...split.embedded, ...auto.embedded };
  const plan: UpdatePlan = { meta, request, shape, embedded, values, storedKey };
  if (!returning) return updateWithoutRow(primary, plan);
  if (meta.adapter.writeThenRead && !request.unmatchable) {
    const outcome = await updateThenRead(primary, plan);
    if (outcome) return outcome;
  }
  return inWriteTransaction(primary, meta, async (db) => {
    const { count, row } = request.unmatchable ? { count: 0, row: undefined } : await runUpdate(db, meta, shape, embedded, values);
    if (count > 0) {
      // Without RETURNING the row is read in the write's transaction, under its lock: exactly this write.
      const stored = row ?? (await readRow(db, meta, storedKey));
      if (stored) return { ok: true, row: stored };
      return { ok: false, error: conflictError(meta, request.key, request.expected, null) };
    }
    const current = await readRow(db, meta, request.key);
    if (matchedUnchanged(meta, request, current)) return { ok: true, row: current! };
    return { ok: false, error: conflictError(meta, request.key, request.expected, current) };
  });
}

/**
 * Without RETURNING, where the server runs it as one statement (MariaDB): the UPDATE, its
 * matched-row count and the locking read of the row in one compound statement and one
 * transaction (the caller's when `db` is one), so the row is exactly this write's. A write that
 * matched nothing and moved no key was read in that same transaction; `undefined` when the
 * server cannot (MySQL), and the statements go one by one.
 */
async function updateThenRead(db: QueryDatabase, plan: UpdatePlan): Promise<UpdateOutcome<Record<string, unknown>> | undefined> {
  const { meta, request, shape, embedded, values, storedKey } = plan;
  const where = keyWhere(meta, false, literalSlot(keySlotValues(meta, storedKey)));
  // Each column aliased to its table key: Drizzle's `casing` may make SQL names differ from `column.name`.
  const fields = sql.join(Object.entries(meta.columns).map(([key, column]) => sql`${column} as ${sql.identifier(key)}`), sql`, `);
  const read = sql`select ${fields} from ${meta.table} where ${where}${meta.adapter.conflictReadMustLock ? sql` for update` : sql``}`;
  const result = await meta.adapter.writeThenRead!(db, literalUpdate(meta, shape, embedded, values), read, !meta.adapter.isTransaction(db));
  if (!result) return undefined;
  const row = result.rows[0] ? driverRow(meta, result.rows[0]) : null;
  if (result.count > 0) return row ? { ok: true, row } : { ok: false, error: conflictError(meta, request.key, request.expected, null) };
  const current = storedKey === request.key ? row : await readRow(db, meta, request.key);
  if (matchedUnchanged(meta, request, current)) return { ok: true, row: current! };
  return { ok: false, error: conflictError(meta, request.key, request.expected, current) };
}

/**
 * True when a write that counted 0 rows did match: the driver counts changed rows (mysql2 with
 * `-FOUND_ROWS`) and `current`, read under the write's lock, still holds the expected version.
 */
function matchedUnchanged(meta: TableMeta, request: WriteRequest, current: Record<string, unknown> | null): boolean {
  return (
    current !== null &&
    meta.adapter.affectedRowsMayMissUnchanged &&
    (!request.check || current[meta.version.key] === request.expected)
  );
}

/**
 * `{ returning: false }`: the one UPDATE, nothing read back on success; the key and the version
 * known without a read. A conflict reads the current row for its error. Where the driver counts
 * changed rows (mysql2 with `-FOUND_ROWS`) and the write may leave the row as it was (no bump,
 * or a conditional one), the update and that read share a transaction, so a matched write that
 * changed nothing is told from a conflict under the write's own lock.
 */
async function updateWithoutRow(db: QueryDatabase, plan: UpdatePlan): Promise<UpdateOutcome<Record<string, unknown>>> {
  const { meta, request, shape, embedded, values, storedKey } = plan;
  const written = (version: unknown) => ({ ...storedKey, [meta.version.key]: version });
  const mayCountZero = (shape.bump.type === 'none' || shape.bump.type === 'conditional') && meta.adapter.countsChangedRows?.(db) === true;
  const run = async (db: QueryDatabase): Promise<UpdateOutcome<Record<string, unknown>>> => {
    const count = request.unmatchable ? 0 : (await runUpdate(db, meta, shape, embedded, values)).count;
    if (count > 0) return { ok: true, row: written(knownVersion(request, shape, values)) };
    const current = await readRow(db, meta, request.key);
    if (matchedUnchanged(meta, request, current)) return { ok: true, row: written(current![meta.version.key]) };
    return { ok: false, error: conflictError(meta, request.key, request.expected, current) };
  };
  return mayCountZero ? inWriteTransaction(db, meta, run) : inTurn(db, meta.adapter, () => run(db));
}

/**
 * The version a matched write left, known without a read: the expected one moved as the bump
 * says (`+ 1`, `max(expected + 1, now)` with the `now` sent, unchanged for no bump); `undefined`
 * for an unchecked write (the stored version was not known) or a conditional bump (the
 * statement decides).
 */
function knownVersion(request: WriteRequest, shape: UpdateShape, values: Record<string, unknown>): number | undefined {
  if (!request.check || request.expected === undefined) return undefined;
  switch (shape.bump.type) {
    case 'none':
      return request.expected;
    case 'increment':
      return request.expected + 1;
    case 'timestamp':
      return Math.max(request.expected + 1, values['n'] as number);
    case 'conditional':
      return undefined;
  }
}

/**
 * The primary key the row has after the write: `changes` may move it. Without RETURNING the
 * row is read back by key (MySQL) or the key is resolved as written (`returning: false`), so a
 * key set to an SQL expression could not be known.
 */
function keyAfterWrite(meta: TableMeta, key: RowKey, split: SplitChanges, returnsRow: boolean): RowKey {
  let moved: RowKey | undefined;
  for (const { key: field } of meta.primaryKey) {
    if (Object.hasOwn(split.embedded, field)) {
      if (returnsRow) continue;
      throw new ConfigurationError(
        `changes for "${meta.name}" set primary key "${field}" to an SQL expression: without RETURNING (MySQL, or returning: false) the written row's key is not known; pass the new key's value`,
      );
    }
    if (Object.hasOwn(split.plain, field)) (moved ??= { ...key })[field] = split.plain[field];
  }
  return moved ?? key;
}

/**
 * Updates one row if its version is still the one in `target`, moving the version in the same
 * statement. Resolves to the row as stored after the update: on MySQL, which has no RETURNING,
 * the row is read back inside the write's transaction (MariaDB: in the same compound statement),
 * so it is exactly the row this write left,
 * and a write that matched is never reported as a conflict. `db` may be a `withReplicas(…)`
 * wrapper: everything goes to its primary. Throws `RecordModifiedError`
 * (carrying the current row) or `RecordDeletedError`; only that failure path reads once more.
 * Empty `changes` is a touch: checked, and the version moves.
 *
 * With `{ returning: false }` it sends that one UPDATE on every dialect and reads nothing back
 * (no `RETURNING`, no MySQL transaction), resolving to {@link WrittenOf}: the key and the new
 * version where it is known without a read. Conflicts are still told from the matched-row count.
 * @example
 * const [row] = await db.select().from(accounts).where(eq(accounts.id, 1))
 * const saved = await versionedUpdate(db, accounts, row, { balance: row.balance - 10 })
 * // PostgreSQL: update "accounts" set "balance" = $1, "version" = "accounts"."version" + 1
 * //             where "accounts"."id" = $2 and "accounts"."version" = $3 returning …
 * // MariaDB:    begin not atomic declare exit handler for sqlexception begin rollback; resignal; end;
 * //             start transaction; update `accounts` set `version` = `accounts`.`version` + 1, `balance` = ?
 * //             where `accounts`.`id` = ? and `accounts`.`version` = ?; select row_count() as `~dc_matched`;
 * //             select `id` as `id`, … from `accounts` where `accounts`.`id` = ? for update; commit; end   (one statement)
 * // MySQL:      begin; update … (as above); select … where `accounts`.`id` = ? for update; commit
 * //             (in the caller's transaction when `db` is one: no transaction of its own)
 * // SQLite:     update "accounts" set "balance" = ?, "version" = "accounts"."version" + 1
 * //             where "accounts"."id" = ? and "accounts"."version" = ? returning …
 * const { version } = await versionedUpdate(db, accounts, saved, { balance: 0 }, { returning: false }) // saved.version + 1
 * // every dialect: the same update without `returning …`, and nothing else
 */
export function versionedUpdate<T extends Table>(
  db: DatabaseFor<T>,
  table: T,
  target: TargetOf<T>,
  changes: ChangesOf<T>,
  options: NoRowOptions,
): Promise<WrittenOf<T>>;
export function versionedUpdate<T extends Table>(
  db: DatabaseFor<T>,
  table: T,
  target: TargetOf<T>,
  changes: ChangesOf<T>,
  options?: WriteOptions & { returning?: true },
): Promise<RowOf<T>>;
export function versionedUpdate<T extends Table>(
  db: DatabaseFor<T>,
  table: T,
  target: TargetOf<T>,
  changes: ChangesOf<T>,
  options?: WriteOptions,
): Promise<RowOf<T> | WrittenOf<T>>;
export async function versionedUpdate<T extends Table>(
  db: DatabaseFor<T>,
  table: T,
  target: TargetOf<T>,
  changes: ChangesOf<T>,
  options?: WriteOptions,
): Promise<RowOf<T> | WrittenOf<T>> {
  const outcome = await attemptUpdate(db, table, target, changes, options);
  if (outcome.ok) return outcome.row as RowOf<T>;
  throw outcome.error;
}

/**
 * `versionedUpdate` that resolves `{ ok: false, error }` on a conflict instead of throwing
 * (Ecto's `stale_error_field`). Other errors still throw. Emits the same SQL; with
 * `{ returning: false }` a success carries {@link WrittenOf} as `row`.
 * @example
 * const result = await tryVersionedUpdate(db, accounts, row, { balance: 0 })
 * if (!result.ok) return conflictResponse(result.error)
 */
export function tryVersionedUpdate<T extends Table>(
  db: DatabaseFor<T>,
  table: T,
  target: TargetOf<T>,
  changes: ChangesOf<T>,
  options: NoRowOptions,
): Promise<UpdateOutcome<WrittenOf<T>, RowOf<T>>>;
export function tryVersionedUpdate<T extends Table>(
  db: DatabaseFor<T>,
  table: T,
  target: TargetOf<T>,
  changes: ChangesOf<T>,
  options?: WriteOptions & { returning?: true },
): Promise<UpdateOutcome<RowOf<T>>>;
export function tryVersionedUpdate<T extends Table>(
  db: DatabaseFor<T>,
  table: T,
  target: TargetOf<T>,
  changes: ChangesOf<T>,
  options?: WriteOptions,
): Promise<UpdateOutcome<RowOf<T> | WrittenOf<T>, RowOf<T>>>;
export async function tryVersionedUpdate<T extends Table>(
  db: DatabaseFor<T>,
  table: T,
  target: TargetOf<T>,
  changes: ChangesOf<T>,
  options?: WriteOptions,
): Promise<UpdateOutcome<RowOf<T> | WrittenOf<T>, RowOf<T>>> {
  return (await attemptUpdate(db, table, target, changes, options)) as UpdateOutcome<RowOf<T>>;
}
