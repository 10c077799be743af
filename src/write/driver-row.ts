import type { TableMeta } from '../schema/table-meta.js';

/**
 * A row as the driver gave it (keyed by column SQL name, from a raw statement) mapped the way
 * Drizzle maps a selected row: keyed by the table's keys, each non-null value through its
 * column's `mapFromDriverValue` (dates, JSON, booleans, custom types).
 * @example
 * driverRow(meta, { id: 1, owner_name: 'a', version: 2 }) // { id: 1, ownerName: 'a', version: 2 }
 * // the values come from e.g. MySQL `select * from \`t\` where \`t\`.\`id\` = ? for update`
 */
export function driverRow(meta: TableMeta, raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(meta.columns)) {
    const value = raw[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out;
}
