import type { TableMeta } from '../schema/table-meta.js';

/**
 * A row as the driver gave it from a raw statement that selects each column aliased to its table
 * key, mapped the way Drizzle maps a selected row: each non-null value through its column's
 * `mapFromDriverValue` (dates, JSON, booleans, custom types).
 * @example
 * driverRow(meta, { id: 1, ownerName: 'a', version: 2 })
 * // the values come from e.g. MySQL `select \`t\`.\`owner_name\` as \`ownerName\`, … from \`t\` where \`t\`.\`id\` = ? for update`
 */
export function driverRow(meta: TableMeta, raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(meta.columns)) {
    const value = raw[key];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out;
}
