import { sql, type Table } from 'drizzle-orm';
import type { QueryDatabase } from '../dialect/query-database.js';
import { atItem, batchArray } from './batch-input.js';
import { checkBatch, chunkSize, indexedRows, keyValues, lockBatchRows, partition } from './batch-rows.js';
import { ConcurrencyError, type RecordModifiedError } from '../errors.js';
import { inTransaction } from '../transaction/in-transaction.js';
import type { TableMeta } from '../schema/table-meta.js';
import type { BatchOptions } from './versioned-update-many.js';
import { writeTarget, writeRequest, type WriteRequest } from '../write/write-request.js';
import type { DatabaseFor, TargetOf } from '../schema/table-types.js';

/** What a batch delete removed and what conflicted. */
export interface DeleteManyResult<Target> {
  /** The targets whose rows were deleted, in the order given. */
  deleted: Target[];
  conflicts: RecordModifiedError[];
}

/**
 * Deletes many rows, each checked against its own version, in one transaction. The rows are
 * first locked in primary-key order and read with the index of the item naming each (the
 * database matching the keys), as `versionedUpdateMany` does; then the matching ones go in one
 * DELETE whatever the batch size (two when some rows are unchecked; split only past the
 * dialect's parameter limit). Policies as `versionedUpdateMany`.
 * @example
 * await versionedDeleteMany(db, accounts, [a, b], { policy: 'abort' })
 * // PostgreSQL: select … left join (values …) as "batch_rows"("c0", "c1") on … where "accounts"."id" in ($1, $2)
 * //   order by "accounts"."id" for update of "accounts";
 * //   delete from "accounts" where exists (select 1 from (values ((select "accounts"."version" from "accounts" where false), …),
 * //   ($1, $2, $3), …) as "batch_rows"("c0", "c1", "c2") where "accounts"."id" = "batch_rows"."c1"
 * //   and "accounts"."version" = "batch_rows"."c2")
 * // SQLite: the same without `for update`, fields column1, column2, ….
 * // MySQL: select … from `accounts` force index (`PRIMARY`) left join (…) … for update; delete `accounts` from
 * //   (select ? as `c0`, ? as `c1`, ? as `c2` union all …) as `batch_rows` straight_join `accounts` on …
 */
export async function versionedDeleteMany<T extends Table, Target extends TargetOf<T>>(
  db: DatabaseFor<T>,
  table: T,
  targets: readonly Target[],
  options: BatchOptions = {},
): Promise<DeleteManyResult<Target>> {
  const { db: primary, meta } = writeTarget(db, table);
  const list = batchArray(meta, 'versionedDeleteMany', targets, 'targets') as readonly Target[];
  const requests = list.map((target, index) => atItem(meta, index, () => writeRequest(meta, target, options, 'delete')));
  const policy = options.policy ?? 'abort';
  checkBatch(meta, policy, requests);
  if (requests.length === 0) return { deleted: [], conflicts: [] };
  return inTransaction(primary, async (tx) => {
    const { ok, conflicts } = partition(meta, requests, await lockBatchRows(tx, meta, requests));
    if (policy === 'abort' && conflicts[0]) throw conflicts[0];
    const gone = ok.map((index) => requests[index]!);
    let count = 0;
    for (const group of [gone.filter((r) => r.check), gone.filter((r) => !r.check)]) count += await runDeletes(tx, meta, group);
    if (count !== gone.length) {
      throw new ConcurrencyError(`batch delete of "${meta.name}" matched ${count} of ${gone.length} locked rows; rolled back`);
    }
    return { deleted: ok.map((index) => list[index]!), conflicts };
  }, meta.adapter, `batch delete of "${meta.name}"`);
}

/**
 * `delete from t where exists (select 1 from <rows> b where t.pk = b.pk and t.version = b.version)`
 * (MySQL: `delete t from <rows> b straight_join t on …`) for requests that all
 * check (or all skip the check), in chunks under the parameter limit: the number of rows deleted.
 */
async function runDeletes(tx: QueryDatabase, meta: TableMeta, requests: readonly WriteRequest[]): Promise<number> {
  if (requests.length === 0) return 0;
  const { adapter, table, version, primaryKey } = meta;
  const check = requests[0]!.check;
  const columns = [...primaryKey.map(({ column }) => column), ...(check ? [version.column] : [])];
  const size = chunkSize(meta, 1 + columns.length);
  let count = 0;
  for (let i = 0; i < requests.length; i += size) {
    const chunk = requests.slice(i, i + size);
    const rows = indexedRows(
      meta,
      columns,
      chunk.map((r, index) => ({
        index,
        values: [...keyValues(meta, r.key), ...(check ? [sql.param(r.expected, version.column) as never] : [])],
      })),
    );
    const on = [rows.keyOn];
    if (check) on.push(sql`${version.column} = ${rows.field(primaryKey.length)}`);
    count += await adapter.deleteJoined(tx, table, rows.source, sql.join(on, sql` and `));
  }
  return count;
}
