import { getTableColumns, type Column, type Table } from 'drizzle-orm';
import type { CodegenDialect } from '../dialects/index.js';

/** A foreign key of a table: local column keys → the parent table and its column names. */
export interface ForeignKey {
  columns: Column[];
  parent: Table;
  parentColumns: Column[];
}

/** The foreign keys of `table`, read through its dialect's `getTableConfig`. */
export function foreignKeys(table: Table, dialect: CodegenDialect): ForeignKey[] {
  return dialect.tableConfig(table).foreignKeys.map((fk) => {
    const ref = fk.reference();
    return { columns: ref.columns, parent: ref.foreignTable, parentColumns: ref.foreignColumns };
  });
}

/** SQL names of the columns whose values must be distinct per row: `.unique()` and one-column unique constraints / indexes. */
export function uniqueColumns(table: Table, dialect: CodegenDialect): Set<string> {
  const out = new Set<string>();
  for (const column of Object.values(getTableColumns(table)) as Column[]) if (column.isUnique) out.add(column.name);
  const config = dialect.tableConfig(table);
  for (const u of config.uniqueConstraints ?? []) if (u.columns.length === 1) out.add(u.columns[0]!.name);
  for (const i of config.indexes ?? []) {
    const only = i.config.columns.length === 1 ? (i.config.columns[0] as { name?: unknown }) : undefined;
    if (i.config.unique && typeof only?.name === 'string') out.add(only.name);
  }
  return out;
}

/** The TS key of a column in its table. */
export function keyOf(table: Table, column: Column): string {
  const entry = Object.entries(getTableColumns(table)).find(([, c]) => c.name === column.name);
  return entry?.[0] ?? column.name;
}

/** The runtime facts Drizzle keeps on a column beyond `Column`'s own fields. */
interface ColumnFacts {
  length?: number;
  enumValues?: readonly string[];
  precision?: number;
  scale?: number;
  fields?: string;
  dimensions?: number;
  withTimezone?: boolean;
  baseColumn?: Column;
}

function facts(column: Column): ColumnFacts {
  return column as unknown as ColumnFacts;
}

/** The two values of a column: one for the inserted row, a different one for the change. */
interface Pair {
  insert: string;
  change: string | undefined;
}

const pair = (insert: string, change: string | undefined): Pair => ({ insert, change });
const DAY = 86_400_000;

/** Numbers: small and positive (CHECK constraints such as `> 0` hold), `id` itself when unique. */
function numberPair(column: Column, unique: boolean, wrap: (n: string) => string): Pair {
  const range: Record<string, number> = { MySqlTinyInt: 100, PgSmallInt: 30_000, PgSmallSerial: 30_000, MySqlSmallInt: 30_000, MySqlMediumInt: 8_000_000 };
  if (column.columnType === 'MySqlYear') return pair(`1901 + (id % 250)`, `1901 + ((id + 1) % 250)`);
  const bound = range[column.columnType];
  if (bound !== undefined) return pair(wrap(`(id % ${bound}) + 1`), wrap(`((id + 1) % ${bound}) + 1`));
  const { precision, scale = 0 } = facts(column);
  const digits = precision === undefined ? 10 : precision - scale;
  if (digits < 1) return pair(wrap('((id % 9) + 1) / 10'), wrap('(((id + 1) % 9) + 1) / 10'));
  if (digits < 4) return pair(wrap('(id % 9) + 1'), wrap('((id + 1) % 9) + 1'));
  if (unique && digits >= 10) return pair(wrap('id'), wrap('id + 1_000_000'));
  return pair(wrap('(id % 1000) + 1'), wrap('(id % 1000) + 1001'));
}

/** Text of at most `length` characters, distinct per `id`; the change starts with `c`. */
function textPair(length: number | undefined): Pair {
  if (length !== undefined && length < 11) return pair(`\`\${id}\`.slice(-${length})`, `\`\${id + 1}\`.slice(-${length})`);
  return pair('`${id}`', '`c${id}`');
}

/** A date (`YYYY-MM-DD`), a timestamp or a `Date`, distinct per id when unique. */
function datePair(unique: boolean, render: (ms: string) => string): Pair {
  const base = 'Date.UTC(2024, 0, 1)';
  return unique ? pair(render(`${base} + id * ${DAY}`), render(`${base} - id * ${DAY}`)) : pair(render(base), render(`${base} + ${DAY}`));
}

/** A by-type pair for column types Drizzle gives a `columnType` of their own. */
function byColumnType(column: Column, unique: boolean): Pair | undefined {
  const f = facts(column);
  const dims = f.dimensions ?? 1;
  const seconds = (tz: boolean) => (ms: string) => `new Date(${ms}).toISOString().replace('T', ' ').slice(0, 19)${tz ? " + '+00'" : ''}`;
  switch (column.columnType) {
    case 'PgUUID':
      return pair('`00000000-0000-4000-8000-${String(id).padStart(12, \'0\')}`', '`00000000-0000-4000-9000-${String(id).padStart(12, \'0\')}`');
    case 'PgDateString':
    case 'MySqlDateString':
      return datePair(unique, (ms) => `new Date(${ms}).toISOString().slice(0, 10)`);
    case 'PgTimestampString':
      return datePair(unique, seconds(f.withTimezone === true));
    case 'MySqlDateTimeString':
    case 'MySqlTimestampString':
      return datePair(unique, seconds(false));
    case 'PgTime':
    case 'MySqlTime': {
      const tz = f.withTimezone === true ? '+00' : '';
      return unique
        ? pair(`\`\${String(id % 24).padStart(2, '0')}:\${String(Math.floor(id / 24) % 60).padStart(2, '0')}:00${tz}\``, `\`\${String((id + 1) % 24).padStart(2, '0')}:30:30${tz}\``)
        : pair(`'12:00:00${tz}'`, `'13:30:00${tz}'`);
    }
    case 'PgInterval': {
      const unit = (f.fields ?? 'day').split(' ')[0];
      return pair(`'1 ${unit}'`, `'2 ${unit}s'`);
    }
    case 'PgInet':
      return pair('`10.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`', '`11.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`');
    case 'PgCidr':
      return pair('`10.${(id >> 8) & 255}.${id & 255}.0/24`', '`11.${(id >> 8) & 255}.${id & 255}.0/24`');
    case 'PgMacaddr':
    case 'PgMacaddr8': {
      const hex = '${((id >> 8) & 255).toString(16).padStart(2, \'0\')}:${(id & 255).toString(16).padStart(2, \'0\')}';
      const pad = column.columnType === 'PgMacaddr8' ? '00:00:' : '';
      return pair(`\`08:00:2b:${pad}00:${hex}\``, `\`0a:00:2b:${pad}00:${hex}\``);
    }
    case 'PgPointTuple':
    case 'PgGeometry':
      return pair('[1, 2] as [number, number]', '[3, 4] as [number, number]');
    case 'PgPointObject':
    case 'PgGeometryObject':
      return pair('{ x: 1, y: 2 }', '{ x: 3, y: 4 }');
    case 'PgLine':
      return pair('[1, -1, 0] as [number, number, number]', '[1, -1, 1] as [number, number, number]');
    case 'PgLineABC':
      return pair('{ a: 1, b: -1, c: 0 }', '{ a: 1, b: -1, c: 1 }');
    case 'PgVector':
    case 'PgHalfVector':
      return pair(`Array.from({ length: ${dims} }, () => 1)`, `Array.from({ length: ${dims} }, () => 2)`);
    case 'PgBinaryVector':
      return pair(`'${'0'.repeat(dims)}'`, `'1${'0'.repeat(dims - 1)}'`);
    case 'PgSparseVector':
      return pair(`'{1:1}/${dims}'`, `'{1:2}/${dims}'`);
    case 'PgArray': {
      const base = f.baseColumn ? sample(f.baseColumn, false) : undefined;
      return base ? pair(`[${base.insert}]`, base.change === undefined ? undefined : `[${base.change}]`) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The TS expressions of a sample value of `column` for the inserted row and for the change (a
 * valid value of the same type, different from the inserted one; `undefined` when the type has
 * only one value), both using `id`, a number unique to the row in the generated code; distinct
 * per row when `unique`. `undefined` for types the codegen cannot invent (custom types; the
 * user's factory supplies those). Derived from the column's Drizzle `columnType` first (uuid,
 * date and timestamp string modes, intervals, network and geometric types, vectors, arrays),
 * then its `dataType` (numbers in every mode, text with its length, enums as literal types,
 * booleans, dates, bigint, JSON, buffers).
 */
export function sample(column: Column, unique: boolean): Pair | undefined {
  const { enumValues } = facts(column);
  if (enumValues && enumValues.length > 0) {
    const literal = (v: string | undefined) => (v === undefined ? undefined : `${JSON.stringify(v)} as const`);
    return pair(literal(enumValues[0])!, literal(enumValues[1]));
  }
  const special = byColumnType(column, unique);
  if (special) return special;
  switch (column.dataType) {
    case 'number':
      return numberPair(column, unique, (n) => n);
    case 'string':
      // Decimals in string mode, binary strings and text.
      if (/Numeric|Decimal/.test(column.columnType)) return numberPair(column, unique, (n) => `String(${n})`);
      return textPair(facts(column).length);
    case 'bigint':
      return numberPair(column, unique, (n) => `BigInt(${n})`);
    case 'boolean':
      return pair('true', 'false');
    case 'date':
      return datePair(unique, (ms) => `new Date(${ms})`);
    case 'json':
      // Untyped JSON takes any value; a `$type<T>()` column's value comes from the factory (typed).
      return pair('{}', '{ changed: true }');
    case 'buffer':
      return pair('Buffer.from(`${id}`)', 'Buffer.from(`c${id}`)');
    default:
      return undefined;
  }
}

/** True for JSON columns: a `$type<T>()` leaves no trace at run time, so the factory type decides. */
export function isJson(column: Column): boolean {
  return column.dataType === 'json' && !/Point|Geometry|LineABC/.test(column.columnType);
}

/**
 * A TS expression for a sample value of `column` (see {@link sample}); `undefined` for types
 * the codegen cannot invent.
 */
export function sampleValue(column: Column, variant: 'insert' | 'change', unique = column.isUnique): string | undefined {
  const values = sample(column, unique);
  return variant === 'insert' ? values?.insert : values?.change;
}

/** True for a column whose values the generated tests can make up, both inserted and changed. */
export function canSample(column: Column): boolean {
  return sampleValue(column, 'insert') !== undefined && sampleValue(column, 'change') !== undefined;
}

/** What the factory of a table must supply: columns the codegen cannot fill, and NOT NULL JSON (typed or not). */
export function factoryNeeds(table: Table, skip: ReadonlySet<string>): { required: [string, Column][]; json: [string, Column][] } {
  const required: [string, Column][] = [];
  const json: [string, Column][] = [];
  for (const [key, column] of Object.entries(getTableColumns(table)) as [string, Column][]) {
    if (skip.has(column.name) || !column.notNull || column.hasDefault || column.generated) continue;
    if (isJson(column)) json.push([key, column]);
    else if (sampleValue(column, 'insert') === undefined) required.push([key, column]);
  }
  return { required, json };
}
