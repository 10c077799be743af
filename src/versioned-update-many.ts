import type { Table } from 'drizzle-orm';
import { checkBatch, keyText, partition, readConflicts, readRows, type BatchPolicy } from './batch-rows.js';
import { batchItem, runBatchUpdates, type BatchItem } from './batch-update-statements.js';
import { ConcurrencyError, type RecordModifiedError, type RowKey } from './errors.js';
import type { TableMeta } from './table-meta.js';
import type { ChangesOf, RowOf, TargetOf } from './versioned-update.js';
import { metaFor, type WriteOptions } from './write-request.js';

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
 * Updates many rows, each checked against its own version, in one transaction. The rows travel
 * as one derived table joined on the key, so a uniform batch is one UPDATE whatever its size
 * (one per distinct set of changed columns, split only past the dialect's parameter limit);
 * rows whose changes hold SQL expressions use a CASE per column instead.
 * `policy: 'abort'` applies nothing when any row conflicts and throws its error;
 * `'silent'` applies every other row and returns the conflicts.
 * @example
 * const { updated, conflicts } = await versionedUpdateMany(db, accounts, [
 *   { target: a, changes: { balance: 10 } }, { target: b, changes: { balance: 20 } },
 * ], { policy: 'silent' })
 * // PostgreSQL: update "accounts" set "version" = "accounts"."version" + 1, "balance" = "batch_rows"."c2"
 * //   from (values ((select "accounts"."id" from "accounts" where false), …), ($1, $2, $3), ($4, $5, $6))
 * //     as "batch_rows"("c0", "c1", "c2")
 * //   where "accounts"."id" = "batch_rows"."c0" and "accounts"."version" = "batch_rows"."c1" returning …
 * //   (rows it did not return: one select by key tells modified from deleted)
 * // SQLite: the same with `(values (?, ?, ?), …) as "batch_rows"` and its fields column1, column2, …
 * // MySQL: select … where `id` in (?, ?) for update; update `accounts` join (select ? as `c0`, ? as `c1`, ? as `c2`
 * //   union all select ?, ?, ?) as `batch_rows` on … set …; select … where `id` in (?, ?) to read the rows back.
 */
export async function versionedUpdateMany<T extends Table>(
  db: unknown,
  table: T,
  items: readonly { target: TargetOf<T>; changes: ChangesOf<T> }[],
  options: BatchOptions = {},
): Promise<UpdateManyResult<RowOf<T>>> {
  const meta = metaFor(db, table);
  const prepared = items.map(({ target, changes }) => batchItem(meta, target, changes, options));
  const policy = options.policy ?? 'abort';
  checkBatch(meta, policy, prepared.map((i) => i.request));
  if (prepared.length === 0) return { updated: [], conflicts: [] };
  const run = meta.adapter.supportsReturning ? updateReturning : updateLocked;
  return (db as any).transaction((tx: any) => run(tx, meta, prepared, policy));
}

/**
 * With RETURNING the UPDATE itself says which rows matched: no locking read first. The rows it
 * did not return are read once to tell modified from deleted.
 */
async function updateReturning(tx: any, meta: TableMeta, items: BatchItem[], policy: BatchPolicy): Promise<UpdateManyResult<any>> {
  const { rows } = await runBatchUpdates(tx, meta, items.filter((i) => !i.request.unmatchable));
  const byKey = new Map(rows.map((row) => [keyText(meta, row as RowKey), row]));
  const missing = items.filter((i) => !byKey.has(keyText(meta, i.request.key))).map((i) => i.request);
  const conflicts = missing.length > 0 ? await readConflicts(tx, meta, missing) : [];
  if (policy === 'abort' && conflicts.length > 0) throw conflicts[0];
  return { updated: items.flatMap((i) => byKey.get(keyText(meta, i.request.key)) ?? []), conflicts };
}

/**
 * Without RETURNING the rows are locked and read first (`select … for update`) to know which
 * match, the matching ones updated, then read back.
 */
async function updateLocked(tx: any, meta: TableMeta, items: BatchItem[], policy: BatchPolicy): Promise<UpdateManyResult<any>> {
  const { ok, conflicts } = await partition(tx, meta, items.map((i) => i.request));
  if (policy === 'abort' && conflicts.length > 0) throw conflicts[0];
  if (ok.length === 0) return { updated: [], conflicts };
  const okTexts = new Set(ok.map((r) => keyText(meta, r.key)));
  const applied = items.filter((i) => okTexts.has(keyText(meta, i.request.key)));
  const { count } = await runBatchUpdates(tx, meta, applied);
  if (count !== applied.length) throw unexpected(meta, applied.length, count);
  const byKey = new Map((await readRows(tx, meta, ok.map((r) => r.key))).map((row) => [keyText(meta, row as RowKey), row]));
  return { updated: applied.map((i) => byKey.get(keyText(meta, i.request.key))), conflicts };
}

function unexpected(meta: TableMeta, expected: number, got: number): ConcurrencyError {
  return new ConcurrencyError(`batch update of "${meta.name}" matched ${got} of ${expected} locked rows; rolled back`);
}
