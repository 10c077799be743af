import type { Table } from 'drizzle-orm';
import type { QueryDatabase } from '../dialect/query-database.js';
import { atItem, batchArray, updateItem } from './batch-input.js';
import { checkBatch, lockBatchRows, partition, readBack, type BatchPolicy } from './batch-rows.js';
import { batchItem, runBatchUpdates, type BatchItem, type IndexedItem } from './batch-update-statements.js';
import { ConcurrencyError, ConfigurationError, formatKey, type RecordModifiedError, type RowKey } from '../errors.js';
import { inTransaction } from '../transaction/in-transaction.js';
import type { TableMeta } from '../schema/table-meta.js';
import { writeTarget, type WriteOptions } from '../write/write-request.js';
import type { ChangesOf, DatabaseFor, RowOf, TargetOf } from '../schema/table-types.js';

/** Options of the batch writes. */
export interface BatchOptions extends WriteOptions {
  /** `abort` (default): all or nothing, the first conflict thrown. `silent`: apply the rest, report conflicts. */
  policy?: BatchPolicy;
}

/** What a batch update applied and what conflicted. */
export interface UpdateManyResult<Row> {
  updated: Row[];
  conflicts: RecordModifiedError[];
}

/**
 * Updates many rows, each checked against its own version, in one transaction. First the
 * rows are locked in primary-key order (one global order, so concurrent overlapping batches
 * never deadlock) and read with the index of the item that names each — the database decides
 * which row a key names (its types, collations, padding), not JavaScript. Then the rows travel
 * as one derived table joined on the key: a uniform batch is one UPDATE whatever its size (one
 * per distinct set of changed columns, split only past the dialect's parameter limit); rows
 * whose changes hold SQL expressions pick them with a CASE on the item index.
 * `policy: 'abort'` applies nothing when any row conflicts and throws its error;
 * `'silent'` applies every other row and returns the conflicts. Two items naming one row are a
 * `ConfigurationError` (before anything is applied).
 * @example
 * const { updated, conflicts } = await versionedUpdateMany(db, accounts, [
 *   { target: a, changes: { balance: 10 } }, { target: b, changes: { balance: 20 } },
 * ], { policy: 'silent' })
 * // PostgreSQL: select "accounts".…, "batch_rows"."c0" from "accounts" left join (values …, ($1, $2), ($3, $4))
 * //     as "batch_rows"("c0", "c1") on "accounts"."id" = "batch_rows"."c1"
 * //     where "accounts"."id" in ($5, $6) order by "accounts"."id" for update of "accounts";
 * //   update "accounts" set "version" = "accounts"."version" + 1, "balance" = "batch_rows"."c3"
 * //   from (values ((select "accounts"."version" from "accounts" where false), …), ($1, $2, $3, $4), …)
 * //     as "batch_rows"("c0", "c1", "c2", "c3")
 * //   where "accounts"."id" = "batch_rows"."c1" and "accounts"."version" = "batch_rows"."c2"
 * //   returning "accounts".…, "batch_rows"."c0"
 * // SQLite: the same without `for update` (the write transaction holds the database), fields
 * //   column1, column2, …, then one `select … join (values …)` reads the rows back.
 * // MySQL: select … left join (select ? as `c0`, ? as `c1` union all …) as `batch_rows` on …
 * //   where `id` in (?, ?) order by `id` for update; update (…) as `batch_rows` straight_join `accounts`
 * //   on … set …; select … join (…) to read the rows back.
 */
export async function versionedUpdateMany<T extends Table>(
  db: DatabaseFor<T>,
  table: T,
  items: readonly { target: TargetOf<T>; changes: ChangesOf<T> }[],
  options: BatchOptions = {},
): Promise<UpdateManyResult<RowOf<T>>> {
  const { db: primary, meta } = writeTarget(db, table);
  const prepared = batchArray(meta, 'versionedUpdateMany', items, '{ target, changes }').map((raw, index) => {
    const { target, changes } = updateItem(meta, raw, index);
    return atItem(meta, index, () => batchItem(meta, target, changes, options));
  });
  const policy = options.policy ?? 'abort';
  checkBatch(meta, policy, prepared.map((i) => i.request));
  prepared.forEach((item, index) => keyAfter(meta, item, index));
  if (prepared.length === 0) return { updated: [], conflicts: [] };
  const result = await inTransaction(primary, (tx) => updateBatch(tx, meta, prepared, policy), meta.adapter, `batch update of "${meta.name}"`);
  return result as UpdateManyResult<RowOf<T>>;
}

/**
 * Locks and checks, updates the matching rows, and maps what the database returned back to
 * the items by their index (RETURNING where it carries the index, else one read back by the
 * key each row has now).
 */
async function updateBatch(tx: QueryDatabase, meta: TableMeta, items: BatchItem[], policy: BatchPolicy): Promise<UpdateManyResult<Record<string, unknown>>> {
  const stored = await lockBatchRows(tx, meta, items.map((i) => i.request));
  const { ok, conflicts } = partition(meta, items.map((i) => i.request), stored);
  if (policy === 'abort' && conflicts[0]) throw conflicts[0];
  if (ok.length === 0) return { updated: [], conflicts };
  const applied: IndexedItem[] = ok.map((index) => ({ index, item: items[index]! }));
  const { rows, count } = await runBatchUpdates(tx, meta, applied);
  const { adapter } = meta;
  // Rows are locked and checked: every one matches. mysql2 with `-FOUND_ROWS` counts only the changed ones.
  if (count > applied.length || (count < applied.length && !adapter.affectedRowsMayMissUnchanged)) throw unexpected(meta, applied.length, count);
  const written = adapter.returningSeesJoinedTables
    ? rows
    : await readBack(tx, meta, applied.map(({ index, item }) => ({ index, key: keyAfter(meta, item, index) })));
  const missing = applied.filter(({ index }) => !written.has(index));
  if (missing.length > 0) throw unexpected(meta, applied.length, applied.length - missing.length);
  return { updated: applied.map(({ index }) => written.get(index)!), conflicts };
}

/**
 * The key a row has after its item's changes: the changed key values, else the target's.
 * Where the rows are read back by key, a key moved by an SQL expression cannot be found:
 * a `ConfigurationError` before any SQL.
 */
function keyAfter(meta: TableMeta, item: BatchItem, index: number): RowKey {
  const key: RowKey = { ...item.request.key };
  for (const { key: field } of meta.primaryKey) {
    if (Object.hasOwn(item.changes.embedded, field) && !meta.adapter.returningSeesJoinedTables) {
      throw new ConfigurationError(
        `batch item ${index} of "${meta.name}" (${formatKey(item.request.key)}) moves primary key "${field}" by an SQL expression: in a batch on ${meta.adapter.dialect}, give the new key as a value`,
      );
    }
    if (Object.hasOwn(item.changes.plain, field)) key[field] = item.changes.plain[field];
  }
  return key;
}

function unexpected(meta: TableMeta, expected: number, got: number): ConcurrencyError {
  return new ConcurrencyError(`batch update of "${meta.name}" matched ${got} of ${expected} locked rows; rolled back`);
}
