import { sql, type Column, type SQL } from 'drizzle-orm';
import type { QueryDatabase } from '../dialect/query-database.js';
import { conflictError } from '../write/conflict.js';
import { ConfigurationError, formatKey, type RecordModifiedError, type RowKey } from '../errors.js';
import type { TableMeta } from '../schema/table-meta.js';
import type { WriteRequest } from '../write/write-request.js';

/** What to do when some rows of a batch conflict. */
export type BatchPolicy = 'abort' | 'silent';

/**
 * `ConfigurationError` for a policy other than `abort` / `silent`, or two items naming the same
 * key with identical primitive values (certainly one row, refused before any SQL). Keys the
 * database alone can call equal (`'ABC'` and `'abc'` under a case-insensitive collation, an
 * uppercase uuid) are caught by {@link lockBatchRows}, which lets the database match them.
 */
export function checkBatch(meta: TableMeta, policy: unknown, requests: readonly WriteRequest[]): void {
  if (policy !== 'abort' && policy !== 'silent') {
    throw new ConfigurationError(`batch policy for "${meta.name}" must be 'abort' or 'silent', got ${String(policy)}`);
  }
  const seen = new Map<string, number>();
  requests.forEach(({ key }, index) => {
    const text = identicalKeyText(meta, key);
    if (text === undefined) return;
    const first = seen.get(text);
    if (first !== undefined) throw twice(meta, key, first, index);
    seen.set(text, index);
  });
}

function twice(meta: TableMeta, key: RowKey, first: number, second: number): ConfigurationError {
  return new ConfigurationError(`batch for "${meta.name}" names (${formatKey(key)}) twice: items ${first} and ${second} are the same row`);
}

/** The key as exact typed text when every value is a primitive, else `undefined`. */
function identicalKeyText(meta: TableMeta, key: RowKey): string | undefined {
  const parts: string[] = [];
  for (const { key: field } of meta.primaryKey) {
    const value = key[field];
    if (!['string', 'number', 'bigint', 'boolean'].includes(typeof value)) return undefined;
    parts.push(`${typeof value}:${String(value)}`);
  }
  return JSON.stringify(parts);
}

/** `(pk) in ((…), (…))` for the given keys, values bound through the key columns' encoders. */
export function keysIn(meta: TableMeta, keys: readonly RowKey[]): SQL {
  const cols = meta.primaryKey;
  const tuple = (key: RowKey) => sql.join(cols.map(({ key: f, column }) => sql.param(key[f], column)), sql`, `);
  if (cols.length === 1) {
    return sql`${cols[0]!.column} in (${sql.join(keys.map(tuple), sql`, `)})`;
  }
  return sql`(${sql.join(cols.map(({ column }) => sql`${column}`), sql`, `)}) in (${sql.join(
    keys.map((key) => sql`(${tuple(key)})`),
    sql`, `,
  )})`;
}

/** `pk = ? [and …]` for one key, for CASE branches. */
export function keyMatch(meta: TableMeta, key: RowKey): SQL {
  return sql.join(
    meta.primaryKey.map(({ key: f, column }) => sql`${column} = ${sql.param(key[f], column)}`),
    sql` and `,
  );
}

/** A name for the derived table of a batch that cannot be the written table's own. */
export function derivedTableAlias(meta: TableMeta): string {
  return meta.name === 'batch_rows' ? 'batch_rows_' : 'batch_rows';
}

/** A derived table whose first field is the batch item's index. */
export interface IndexedRows {
  source: SQL;
  /** The item index of the joined row, read back as a number. */
  index: SQL<number>;
  /** The i-th of the given columns' fields. */
  field(i: number): SQL;
  /** `t.pk = <key fields>` (the key being the first columns), so the database decides which row each item names. */
  keyOn: SQL;
}

/**
 * The derived table `(index, …columns)` of some batch items: every row is bound through its
 * column's encoder; the index is typed like the version column (an integer). The first
 * `primaryKey.length` columns must be the key.
 */
export function indexedRows(meta: TableMeta, columns: readonly Column[], rows: readonly { index: number; values: readonly SQL[] }[]): IndexedRows {
  const v = meta.version.column;
  const values = meta.adapter.valuesTable(
    meta.table,
    derivedTableAlias(meta),
    [v, ...columns],
    rows.map((r) => [sql.param(r.index, v) as unknown as SQL, ...r.values]),
  );
  const field = (i: number) => values.field(i + 1);
  return {
    source: values.source,
    index: sql`${values.field(0)}`.mapWith(Number),
    field,
    keyOn: sql.join(meta.primaryKey.map(({ column }, i) => sql`${column} = ${field(i)}`), sql` and `),
  };
}

/** A result field name for the item index that is none of the table's keys. */
export function indexKey(meta: TableMeta): string {
  let key = '__batchItem';
  while (Object.hasOwn(meta.columns, key)) key += '_';
  return key;
}

/** Bound values of a key, in primary-key order. */
export function keyValues(meta: TableMeta, key: RowKey): SQL[] {
  return meta.primaryKey.map(({ key: f, column }) => sql.param(key[f], column) as unknown as SQL);
}

/** Items per statement when each carries `perItem` bound values. */
export function chunkSize(meta: TableMeta, perItem: number, fixed = 0): number {
  return Math.max(1, Math.floor((meta.adapter.maxParameters - fixed) / perItem) - 1);
}

/**
 * Numeric keys sorted ascending (the order every batch locks in, also across statements when
 * a batch is split); other keys keep the caller's order, each statement still locking in key order.
 */
function lockOrder(meta: TableMeta, requests: readonly WriteRequest[]): number[] {
  const indexes = requests.map((_, i) => i);
  const numeric = requests.every((r) => meta.primaryKey.every(({ key }) => typeof r.key[key] === 'number'));
  if (!numeric) return indexes;
  return indexes.sort((a, b) => {
    for (const { key } of meta.primaryKey) {
      const d = (requests[a]!.key[key] as number) - (requests[b]!.key[key] as number);
      if (d !== 0) return d;
    }
    return 0;
  });
}

/**
 * Locks and reads the stored row each item names, the database matching keys (its types,
 * collations, padding): `select t.*, b.index from t left join (<index, key>) b on t.pk = b.key
 * where t.pk in (…) order by t.pk for update [of t]` (MySQL: `force index (primary)`). The table
 * is read first, by key and in key order, so every batch locks in one global order and no row
 * outside the batch. Two items that name one
 * row are a `ConfigurationError`.
 * @returns per item, its stored row or `null` when there is none
 */
export async function lockBatchRows(tx: QueryDatabase, meta: TableMeta, requests: readonly WriteRequest[]): Promise<(Record<string, unknown> | null)[]> {
  const { adapter, table, primaryKey } = meta;
  const at = indexKey(meta);
  const stored: (Record<string, unknown> | null)[] = requests.map(() => null);
  const owners = new Map<string, number>();
  const order = lockOrder(meta, requests);
  const size = chunkSize(meta, 2 * primaryKey.length + 1);
  for (let c = 0; c < order.length; c += size) {
    const chunk = order.slice(c, c + size);
    const rows = indexedRows(meta, primaryKey.map(({ column }) => column), chunk.map((i) => ({ index: i, values: keyValues(meta, requests[i]!.key) })));
    const query = adapter
      .selectForUpdate(tx, table, { ...meta.columns, [at]: rows.index })
      .leftJoin(rows.source, rows.keyOn)
      .where(keysIn(meta, chunk.map((i) => requests[i]!.key)))
      .orderBy(...primaryKey.map(({ column }) => column));
    for (const row of await query) {
      const index = row[at] as number | null;
      if (index === null || index === undefined) continue;
      delete row[at];
      const text = storedKeyText(meta, row);
      const first = owners.get(text);
      if (first !== undefined) throw twice(meta, requests[first]!.key, Math.min(first, index), Math.max(first, index));
      owners.set(text, index);
      stored[index] = row;
    }
  }
  return stored;
}

/** The key of a row as the driver read it back: equal texts are the same stored value. */
function storedKeyText(meta: TableMeta, row: Record<string, unknown>): string {
  return JSON.stringify(
    meta.primaryKey.map(({ key }) => {
      const value = row[key];
      if (value instanceof Date) return `date:${value.getTime()}`;
      if (value instanceof Uint8Array) return `bytes:${Array.from(value).join(',')}`;
      return `${typeof value}:${String(value)}`;
    }),
  );
}

/**
 * Splits the items by their locked rows into the indexes whose stored version matches (or
 * that skip the check) and the conflicts, in item order.
 */
export function partition(
  meta: TableMeta,
  requests: readonly WriteRequest[],
  stored: readonly (Record<string, unknown> | null)[],
): { ok: number[]; conflicts: RecordModifiedError[] } {
  const ok: number[] = [];
  const conflicts: RecordModifiedError[] = [];
  requests.forEach((request, i) => {
    const current = stored[i] ?? null;
    if (current && (!request.check || current[meta.version.key] === request.expected)) ok.push(i);
    else conflicts.push(conflictError(meta, request.key, request.expected, current));
  });
  return { ok, conflicts };
}

/**
 * Reads back rows after a batch wrote them, by the key each item left its row under, matched
 * by the database: `select t.*, b.index from t join (<index, key>) b on t.pk = b.key`.
 * @returns the rows by item index
 */
export async function readBack(tx: QueryDatabase, meta: TableMeta, entries: readonly { index: number; key: RowKey }[]): Promise<Map<number, Record<string, unknown>>> {
  const at = indexKey(meta);
  const out = new Map<number, Record<string, unknown>>();
  const size = chunkSize(meta, meta.primaryKey.length + 1);
  for (let c = 0; c < entries.length; c += size) {
    const chunk = entries.slice(c, c + size);
    const rows = indexedRows(meta, meta.primaryKey.map(({ column }) => column), chunk.map((e) => ({ index: e.index, values: keyValues(meta, e.key) })));
    const found = await tx.select({ ...meta.columns, [at]: rows.index }).from(meta.table).innerJoin(rows.source, rows.keyOn);
    for (const row of found) {
      const index = row[at] as number;
      delete row[at];
      out.set(index, row);
    }
  }
  return out;
}
