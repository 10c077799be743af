import { sql, type SQL, type Table } from 'drizzle-orm';
import { checkBatch, keysIn, keyText, partition, versionsMatch } from './batch-rows.js';
import { ConcurrencyError, type RecordModifiedError } from './errors.js';
import type { BatchOptions } from './versioned-update-many.js';
import type { TargetOf } from './versioned-update.js';
import { metaFor, writeRequest } from './write-request.js';

/** What a batch delete removed and what conflicted. */
export interface DeleteManyResult<Target> {
  /** The targets whose rows were deleted, in the order given. */
  deleted: Target[];
  conflicts: RecordModifiedError[];
}

/**
 * Deletes many rows, each checked against its own version, in one transaction and a constant
 * number of statements (a locking read, one DELETE). Policies as `versionedUpdateMany`.
 * @example
 * await versionedDeleteMany(db, accounts, [a, b], { policy: 'abort' })
 * // PostgreSQL: select … from "accounts" where "accounts"."id" in ($1, $2) for update
 * //             delete from "accounts" where "accounts"."id" in ($3, $4)
 * //               and "accounts"."version" = case when "accounts"."id" = $5 then $6 … else "accounts"."version" end
 * // MySQL: the same with `?`; SQLite: without `for update`.
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
  return (db as any).transaction(async (tx: any) => {
    const { ok, conflicts } = await partition(tx, meta, requests);
    if (policy === 'abort' && conflicts.length > 0) throw conflicts[0];
    if (ok.length === 0) return { deleted: [], conflicts };
    const where = sql.join([keysIn(meta, ok.map((r) => r.key)), versionsMatch(meta, ok)].filter((p): p is SQL => !!p), sql` and `);
    const count = meta.adapter.affectedRows(await tx.delete(table).where(where));
    if (count !== ok.length) {
      throw new ConcurrencyError(`batch delete of "${meta.name}" matched ${count} of ${ok.length} locked rows; rolled back`);
    }
    const okTexts = new Set(ok.map((r) => keyText(meta, r.key)));
    return { deleted: targets.filter((_, i) => okTexts.has(keyText(meta, requests[i]!.key))), conflicts };
  });
}
