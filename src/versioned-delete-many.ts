import { sql, type Table } from 'drizzle-orm';
import { checkBatch, keyText, partition, readConflicts } from './batch-rows.js';
import { derivedTableAlias } from './batch-update-statements.js';
import { ConcurrencyError, type RecordModifiedError, type RowKey } from './errors.js';
import type { TableMeta } from './table-meta.js';
import type { BatchOptions } from './versioned-update-many.js';
import type { TargetOf } from './versioned-update.js';
import { metaFor, writeRequest, type WriteRequest } from './write-request.js';

/** What a batch delete removed and what conflicted. */
export interface DeleteManyResult<Target> {
  /** The targets whose rows were deleted, in the order given. */
  deleted: Target[];
  conflicts: RecordModifiedError[];
}

/**
 * Deletes many rows, each checked against its own version, in one transaction: the keys and
 * expected versions travel as one derived table, so a batch is one DELETE whatever its size
 * (two when some rows are unchecked; split only past the dialect's parameter limit).
 * Policies as `versionedUpdateMany`.
 * @example
 * await versionedDeleteMany(db, accounts, [a, b], { policy: 'abort' })
 * // PostgreSQL: delete from "accounts" where ("accounts"."id", "accounts"."version") in
 * //   (select "batch_rows"."c0", "batch_rows"."c1" from (values ((select "accounts"."id" from "accounts" where false), …),
 * //   ($1, $2), ($3, $4)) as "batch_rows"("c0", "c1")) returning "id"   (rows it did not return: one select tells why)
 * // SQLite: the same with `(values (?, ?), …) as "batch_rows"` and its fields column1, column2.
 * // MySQL: select … where `id` in (?, ?) for update; delete from `accounts` where (`id`, `version`) in
 * //   (select `c0`, `c1` from (select ? as `c0`, ? as `c1` union all select ?, ?) as `batch_rows`)
 */
export async function versionedDeleteMany<T extends Table, Target extends TargetOf<T>>(
  db: unknown,
  table: T,
  targets: readonly Target[],
  options: BatchOptions = {},
): Promise<DeleteManyResult<Target>> {
  const meta = metaFor(db, table);
  const requests = targets.map((target) => writeRequest(meta, target, options));
  const policy = options.policy ?? 'abort';
  checkBatch(meta, policy, requests);
  if (requests.length === 0) return { deleted: [], conflicts: [] };
  const deletedIn = (done: Set<string>) => targets.filter((_, i) => done.has(keyText(meta, requests[i]!.key)));
  return (db as any).transaction(async (tx: any) => {
    if (meta.adapter.supportsReturning) {
      // RETURNING says which rows went: no locking read first.
      const done = new Set<string>();
      for (const group of [requests.filter((r) => r.check && !r.unmatchable), requests.filter((r) => !r.check)]) {
        for (const key of (await runDeletes(tx, meta, group)) as RowKey[]) done.add(keyText(meta, key));
      }
      const missing = requests.filter((r) => !done.has(keyText(meta, r.key)));
      const conflicts = missing.length > 0 ? await readConflicts(tx, meta, missing) : [];
      if (policy === 'abort' && conflicts.length > 0) throw conflicts[0];
      return { deleted: deletedIn(done), conflicts };
    }
    const { ok, conflicts } = await partition(tx, meta, requests);
    if (policy === 'abort' && conflicts.length > 0) throw conflicts[0];
    let count = 0;
    for (const group of [ok.filter((r) => r.check), ok.filter((r) => !r.check)]) count += (await runDeletes(tx, meta, group)) as number;
    if (count !== ok.length) {
      throw new ConcurrencyError(`batch delete of "${meta.name}" matched ${count} of ${ok.length} locked rows; rolled back`);
    }
    return { deleted: deletedIn(new Set(ok.map((r) => keyText(meta, r.key)))), conflicts };
  });
}

/**
 * `delete … where (pk, version) in (select … from <rows>)` for requests that all check (or all
 * skip the check), in chunks under the parameter limit: the deleted keys where RETURNING
 * exists, else the number of rows deleted.
 */
async function runDeletes(tx: any, meta: TableMeta, requests: readonly WriteRequest[]): Promise<RowKey[] | number> {
  if (requests.length === 0) return meta.adapter.supportsReturning ? [] : 0;
  const { adapter, table, version } = meta;
  const check = requests[0]!.check;
  const columns = [...meta.primaryKey.map(({ column }) => column), ...(check ? [version.column] : [])];
  const size = Math.max(1, Math.floor(adapter.maxParameters / columns.length) - 1);
  const keys: RowKey[] = [];
  let count = 0;
  for (let i = 0; i < requests.length; i += size) {
    const rows = requests.slice(i, i + size).map((r) => [
      ...meta.primaryKey.map(({ key, column }) => sql.param(r.key[key], column) as never),
      ...(check ? [sql.param(r.expected, version.column) as never] : []),
    ]);
    const values = adapter.valuesTable(table, derivedTableAlias(meta), columns, rows);
    const fields = sql.join(columns.map((_, f) => values.field(f)), sql`, `);
    const where = sql`(${sql.join(columns.map((c) => sql`${c}`), sql`, `)}) in (select ${fields} from ${values.source})`;
    if (adapter.supportsReturning) {
      const returned = Object.fromEntries(meta.primaryKey.map(({ key, column }) => [key, column]));
      keys.push(...((await tx.delete(table).where(where).returning(returned)) as RowKey[]));
    } else count += adapter.affectedRows(await tx.delete(table).where(where));
  }
  return adapter.supportsReturning ? keys : count;
}
