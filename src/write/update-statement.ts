import { is, Column, SQL, sql, type SQLWrapper } from 'drizzle-orm';
import type { QueryDatabase } from '../dialect/query-database.js';
import { bumpSql, wallClockMicros, type Bump } from './bump.js';
import type { RowKey } from '../errors.js';
import { cachedStatement, statementName } from './statement-cache.js';
import type { TableMeta } from '../schema/table-meta.js';

/** What one checked single-row UPDATE looks like, apart from its values. */
export interface UpdateShape {
  changeKeys: readonly string[];
  /** Other columns' `$onUpdate` values, evaluated per write. */
  autoKeys: readonly string[];
  check: boolean;
  bump: Bump;
  /** Ask for the stored row back (`RETURNING`, where the dialect has it); `false`: only the count. */
  returning: boolean;
}

/** The values of one write, by slot name. */
export interface UpdateValues {
  changes: Record<string, unknown>;
  auto: Record<string, unknown>;
  key: RowKey;
  expected: number | undefined;
}

/** Binds a slot: a placeholder in a prepared statement, a parameter in a one-off one. */
export type Slot = (name: string, column: Column) => SQL;

/** A `?`/`$n` parameter filled when the prepared statement runs. */
export const placeholderSlot: Slot = (name, column) => sql`${sql.param(sql.placeholder(name), column)}`;

/** A parameter carrying its value now, for statements that are not prepared. */
export function literalSlot(values: Record<string, unknown>): Slot {
  return (name, column) => sql`${sql.param(values[name], column)}`;
}

/** True for values Drizzle embeds as SQL rather than binds as a parameter. */
export function isSqlValue(value: unknown): value is SQL | Column | SQLWrapper {
  return is(value, SQL) || is(value, Column) || is(value, SQL.Aliased);
}

/** The `k0`, `k1`, … slot values of a primary key, as {@link keyWhere} names them. */
export function keySlotValues(meta: TableMeta, key: RowKey): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  meta.primaryKey.forEach(({ key: field }, i) => (out[`k${i}`] = key[field]));
  return out;
}

/** Slot values of one write, named as {@link assignments} and {@link keyWhere} name them. */
export function slotValues(shape: UpdateShape, values: UpdateValues, meta: TableMeta): Record<string, unknown> {
  const out = keySlotValues(meta, values.key);
  shape.changeKeys.forEach((key, i) => (out[`s${i}`] = values.changes[key]));
  shape.autoKeys.forEach((key, i) => (out[`a${i}`] = values.auto[key]));
  if (shape.check) out['e'] = values.expected;
  if (shape.bump.type === 'timestamp') out['n'] = wallClockMicros();
  return out;
}

/**
 * `key = value` pairs of the SET list. The version comes first where assignments see earlier
 * ones (MySQL), so a conditional bump compares against the old values.
 */
export function assignments(
  meta: TableMeta,
  shape: UpdateShape,
  embedded: Readonly<Record<string, SQL | Column | SQLWrapper>>,
  slot: Slot,
): { key: string; value: SQL }[] {
  const valueOf = (key: string, name: string): SQL => {
    const given = embedded[key];
    return given === undefined ? slot(name, meta.columns[key]!) : sql`${given}`;
  };
  // A conditional bump compares the new values of changed and `$onUpdate` columns alike.
  const slotOf = new Map<string, string>([...shape.changeKeys.map((key, i): [string, string] => [key, `s${i}`]), ...shape.autoKeys.map((key, i): [string, string] => [key, `a${i}`])]);
  const version = {
    key: meta.version.key,
    value: bumpSql(meta, shape.bump, (key) => valueOf(key, slotOf.get(key)!), () => slot('n', meta.version.column)),
  };
  const rest = [
    ...shape.changeKeys.map((key, i) => ({ key, value: valueOf(key, `s${i}`) })),
    ...shape.autoKeys.map((key, i) => ({ key, value: valueOf(key, `a${i}`) })),
  ];
  return meta.adapter.assignmentsSeeEarlierValues ? [version, ...rest] : [...rest, version];
}

/** `pk = $k0 [and …] [and version = $e]`. */
export function keyWhere(meta: TableMeta, check: boolean, slot: Slot): SQL {
  const parts = meta.primaryKey.map(({ column }, i) => sql`${column} = ${slot(`k${i}`, column)}`);
  if (check) parts.push(sql`${meta.version.column} = ${slot('e', meta.version.column)}`);
  return sql.join(parts, sql` and `);
}

/**
 * The UPDATE of one write with its values bound, assignments in {@link assignments}' order (the
 * version first where assignments see earlier ones): for statements that are not prepared.
 *
 * MySQL: `update \`t\` set \`version\` = case when not (\`t\`.\`a\` <=> ?) then … end, \`a\` = ? where \`t\`.\`id\` = ? and \`t\`.\`version\` = ?`
 */
export function literalUpdate(
  meta: TableMeta,
  shape: UpdateShape,
  embedded: Readonly<Record<string, SQL | Column | SQLWrapper>>,
  values: Record<string, unknown>,
): SQL {
  const slot = literalSlot(values);
  const set = sql.join(assignments(meta, shape, embedded, slot).map(({ key, value }) => sql`${meta.columns[key]!} = ${value}`), sql`, `);
  return sql`update ${meta.table} set ${set} where ${keyWhere(meta, shape.check, slot)}`;
}

/** Cache key of a shape: JSON, since column keys may hold any character (`'a,b'` is not `'a'` and `'b'`). */
function shapeKey(shape: UpdateShape): string {
  return JSON.stringify(['u', shape.check, shape.returning, shape.bump, shape.changeKeys, shape.autoKeys]);
}

/**
 * Runs one checked UPDATE and reports rows matched (and the stored row where RETURNING exists
 * and `shape.returning` asks for it). Statements without embedded SQL values are prepared once
 * per database object and shape.
 *
 * PostgreSQL: `update "t" set "a" = $1, "version" = "t"."version" + 1 where "t"."id" = $2 and "t"."version" = $3 returning …`
 * MySQL:      `update \`t\` set \`a\` = ?, \`version\` = \`t\`.\`version\` + 1 where \`t\`.\`id\` = ? and \`t\`.\`version\` = ?`
 * SQLite:     `update "t" set "a" = ?, "version" = "t"."version" + 1 where "t"."id" = ? and "t"."version" = ? returning …`
 */
export async function runUpdate(
  db: QueryDatabase,
  meta: TableMeta,
  shape: UpdateShape,
  embedded: Readonly<Record<string, SQL | Column | SQLWrapper>>,
  values: Record<string, unknown>,
): Promise<{ count: number; row: Record<string, unknown> | undefined }> {
  const { adapter, table } = meta;
  if (adapter.assignmentsSeeEarlierValues && shape.bump.type === 'conditional') {
    // Drizzle's set() orders columns as the table does; this statement needs the version first.
    return { count: await adapter.executeCount(db, literalUpdate(meta, shape, embedded, values)), row: undefined };
  }
  const returning = adapter.supportsReturning && shape.returning;
  const build = () => {
    const set = Object.fromEntries(assignments(meta, shape, embedded, placeholderSlot).map(({ key, value }) => [key, value]));
    const query = db.update(table).set(set).where(keyWhere(meta, shape.check, placeholderSlot));
    return adapter.prepare(returning ? query.returning() : query, statementName());
  };
  const prepared = Object.keys(embedded).length === 0 ? cachedStatement(db, table, shapeKey(shape), build) : build();
  if (returning) {
    const rows = await adapter.runReturning(prepared, values);
    return { count: rows.length, row: rows[0] };
  }
  return { count: await adapter.runCount(prepared, values), row: undefined };
}
