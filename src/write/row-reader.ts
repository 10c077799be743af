import type { RowKey } from '../errors.js';
import type { QueryDatabase } from '../dialect/query-database.js';
import { cachedStatement, statementName } from './statement-cache.js';
import type { TableMeta } from '../schema/table-meta.js';
import { keySlotValues, keyWhere, placeholderSlot } from './update-statement.js';

/**
 * The row stored under `key` as the next write would see it, or `null`. A prepared
 * `select … where pk = ?`, built once per database object and table. Where a transaction's
 * plain reads show its snapshot rather than the latest committed row (InnoDB REPEATABLE READ)
 * it is a locking read, so a conflict is told from what the write itself matched against.
 *
 * PostgreSQL: `select … from "t" where "t"."id" = $1`
 * MySQL:      `select … from \`t\` where \`t\`.\`id\` = ? for update`
 * SQLite:     `select … from "t" where "t"."id" = ?`
 */
export async function readRow(db: QueryDatabase, meta: TableMeta, key: RowKey): Promise<Record<string, unknown> | null> {
  const prepared = cachedStatement(db, meta.table, 'select-by-key', () => {
    let query = db.select().from(meta.table).where(keyWhere(meta, false, placeholderSlot));
    // MariaDB has no `for share`, only `lock in share mode`, which Drizzle's builder cannot spell.
    if (meta.adapter.conflictReadMustLock) query = query.for('update');
    return meta.adapter.prepare(query, statementName());
  });
  const rows = await meta.adapter.runSelect(prepared, keySlotValues(meta, key));
  return rows[0] ?? null;
}
