import type { RowKey } from './errors.js';
import { cachedStatement, statementName } from './statement-cache.js';
import type { TableMeta } from './table-meta.js';
import { keySlotValues, keyWhere, placeholderSlot } from './update-statement.js';

/**
 * The row stored under `key`, or `null`. A prepared `select … where pk = ?`, built once per
 * database object and table.
 */
export async function readRow(db: any, meta: TableMeta, key: RowKey): Promise<Record<string, unknown> | null> {
  const prepared = cachedStatement(db, meta.table, 'select-by-key', () =>
    meta.adapter.prepare(db.select().from(meta.table).where(keyWhere(meta, false, placeholderSlot)), statementName()),
  );
  const rows = await meta.adapter.runSelect(prepared, keySlotValues(meta, key));
  return rows[0] ?? null;
}
