import { sql, type SQL } from 'drizzle-orm';
import type { QueryDatabase } from '../dialect/query-database.js';
import { bumpFor, bumpSql, wallClockMicros, type Bump } from '../write/bump.js';
import { chunkSize, indexKey, indexedRows, keyMatch, keysIn, keyValues } from './batch-rows.js';
import type { Assignment } from '../dialect/dialect-adapter.js';
import type { TableMeta } from '../schema/table-meta.js';
import { autoValues, splitChanges, writeRequest, type SplitChanges, type WriteOptions, type WriteRequest } from '../write/write-request.js';

/** One row of a batch update, decided before any SQL is sent. */
export interface BatchItem {
  request: WriteRequest;
  changes: SplitChanges;
  bump: Bump;
}

/** Reads and checks one `{ target, changes }` of a batch. */
export function batchItem(meta: TableMeta, target: unknown, changes: unknown, options: WriteOptions): BatchItem {
  const request = writeRequest(meta, target, options);
  const split = splitChanges(meta, changes);
  // Other columns' `$onUpdate` values are written too, so a version watching them moves as the
  // trigger would (empty changes stay a touch), as in the single-row write.
  const written = split.keys.length === 0 ? [] : [...split.keys, ...meta.onUpdateKeys.filter((key) => !split.keys.includes(key))];
  return { request, changes: split, bump: bumpFor(meta, written, request.increment) };
}

/** A batch item and its position in the batch. */
export interface IndexedItem {
  index: number;
  item: BatchItem;
}

/** What the UPDATEs of a batch matched. */
export interface BatchUpdateResult {
  /** The stored rows by item index, where RETURNING can carry the index (PostgreSQL); else empty. */
  rows: Map<number, Record<string, unknown>>;
  /** Rows matched (MySQL with `-FOUND_ROWS`: rows changed). */
  count: number;
}

/**
 * Runs the UPDATEs of a batch: one statement per group of rows with the same changed columns,
 * bump and check (one for the usual uniform batch), split further only past the dialect's
 * parameter limit. The rows travel as a derived table `(index, key, expected version, values…)`
 * joined on the key (MySQL drives the join from it, so only the batch's rows are read for
 * update); rows carrying SQL expressions pick their value with `case <index> when …`.
 * Conditional bumps where assignments see earlier ones (MySQL) use a single-table UPDATE with
 * one CASE branch per row instead.
 */
export async function runBatchUpdates(tx: QueryDatabase, meta: TableMeta, items: readonly IndexedItem[]): Promise<BatchUpdateResult> {
  const out: BatchUpdateResult = { rows: new Map(), count: 0 };
  for (const group of groups(items)) {
    const sample = group[0]!.item;
    const single = meta.adapter.assignmentsSeeEarlierValues && sample.bump.type === 'conditional';
    const size = chunkSize(meta, single ? caseWidth(meta, sample) : joinedWidth(meta, sample), meta.onUpdateKeys.length + 1);
    for (let i = 0; i < group.length; i += size) {
      const chunk = group.slice(i, i + size);
      if (single) {
        out.count += await caseUpdate(tx, meta, chunk);
        continue;
      }
      const result = await joinedUpdate(tx, meta, chunk);
      if (typeof result === 'number') out.count += result;
      else {
        out.count += result.length;
        if (meta.adapter.returningSeesJoinedTables) {
          const at = indexKey(meta);
          for (const row of result) {
            const index = row[at] as number;
            delete row[at];
            out.rows.set(index, row);
          }
        }
      }
    }
  }
  return out;
}

function groups(items: readonly IndexedItem[]): IndexedItem[][] {
  const byShape = new Map<string, IndexedItem[]>();
  for (const entry of items) {
    const { request, changes, bump } = entry.item;
    // JSON: keys may hold any character (a key 'a,b' is not the keys 'a' and 'b').
    const shape = JSON.stringify([request.check, bump, hasEmbedded(changes), changes.keys]);
    const group = byShape.get(shape);
    if (group) group.push(entry);
    else byShape.set(shape, [entry]);
  }
  return [...byShape.values()];
}

function hasEmbedded(changes: SplitChanges): boolean {
  return Object.keys(changes.embedded).length > 0;
}

/** Bound values per row of the joined statement: index, key, expected version, values. */
function joinedWidth(meta: TableMeta, sample: BatchItem): number {
  return 1 + meta.primaryKey.length + (sample.request.check ? 1 : 0) + sample.changes.keys.length;
}

/** Bound values per row of the single-table CASE statement, at most. */
function caseWidth(meta: TableMeta, sample: BatchItem): number {
  const key = meta.primaryKey.length;
  return key * (3 + sample.changes.keys.length) + sample.changes.keys.length + 3;
}

/**
 * PostgreSQL: `update t set c = b.c2, version = version + 1 from (values …) as b(c0, c1, c2, c3)
 * where t.id = b.c1 and t.version = b.c2 returning t.*, b.c0` (MySQL: `update (select … union
 * all …) as b straight_join t on … set …`), the rows bound per the table's columns.
 */
async function joinedUpdate(tx: QueryDatabase, meta: TableMeta, items: readonly IndexedItem[]): Promise<Record<string, unknown>[] | number> {
  const { adapter, table, version, primaryKey } = meta;
  const sample = items[0]!.item;
  const check = sample.request.check;
  const embedded = hasEmbedded(sample.changes);
  const plainKeys = embedded ? [] : sample.changes.keys;
  const columns = [
    ...primaryKey.map(({ column }) => column),
    ...(check ? [version.column] : []),
    ...plainKeys.map((key) => meta.columns[key]!),
  ];
  const rows = indexedRows(
    meta,
    columns,
    items.map(({ index, item }) => ({
      index,
      values: [
        ...keyValues(meta, item.request.key),
        ...(check ? [sql.param(item.request.expected, version.column) as unknown as SQL] : []),
        ...plainKeys.map((key) => sql.param(item.changes.plain[key], meta.columns[key]) as unknown as SQL),
      ],
    })),
  );
  const where = [rows.keyOn];
  if (check) where.push(sql`${version.column} = ${rows.field(primaryKey.length)}`);
  const first = primaryKey.length + (check ? 1 : 0);
  const plainField = new Map(plainKeys.map((key, i) => [key, rows.field(first + i)]));
  // The index is ours, an integer: inlined rather than bound.
  const byIndex = (key: string) =>
    sql`case ${rows.index} ${sql.join(
      items.map(({ index, item }) => sql`when ${sql.raw(String(index))} then ${valueSql(meta, item.changes, key)}`),
      sql` `,
    )} end`;
  const auto = autoValues(meta, sample.changes.keys);
  const valueOf = (key: string) =>
    auto.keys.includes(key) ? valueSql(meta, auto, key) : embedded ? byIndex(key) : plainField.get(key)!;
  const set = assignmentsOf(meta, versionSql(meta, sample.bump, valueOf), sample.changes.keys, auto, valueOf);
  const returning = adapter.returningSeesJoinedTables ? { ...meta.columns, [indexKey(meta)]: rows.index } : undefined;
  return adapter.updateJoined(tx, table, set, rows.source, sql.join(where, sql` and `), returning);
}

/**
 * The SET list: the version first, then the changed columns, other columns' `$onUpdate`
 * values (evaluated once for the statement), and the primary key last, so that where
 * assignments see earlier ones (MySQL) every CASE still finds its row by the old key.
 */
function assignmentsOf(
  meta: TableMeta,
  version: SQL,
  changeKeys: readonly string[],
  auto: SplitChanges,
  valueOf: (key: string) => SQL,
): Assignment[] {
  const isKey = (key: string) => meta.primaryKey.some((k) => k.key === key);
  const out: Assignment[] = [{ key: meta.version.key, column: meta.version.column, value: version }];
  for (const key of changeKeys) if (!isKey(key)) out.push({ key, column: meta.columns[key]!, value: valueOf(key) });
  for (const key of auto.keys) out.push({ key, column: meta.columns[key]!, value: valueSql(meta, auto, key) });
  for (const key of changeKeys) if (isKey(key)) out.push({ key, column: meta.columns[key]!, value: valueOf(key) });
  return out;
}

/** The new version of a row whose changed values are `valueOf(key)`. */
function versionSql(meta: TableMeta, bump: Bump, valueOf: (key: string) => SQL): SQL {
  const now = wallClockMicros();
  return bumpSql(meta, bump, valueOf, () => sql`${sql.param(now, meta.version.column)}`);
}

/**
 * MySQL conditional bumps: `update t set version = case when id = ? then <bump of its row> …
 * else version end, c = case when id = ? then ? … else c end where id in (…) and version =
 * case when id = ? then ? … end`, assigned left to right so each bump compares the old values.
 */
async function caseUpdate(tx: QueryDatabase, meta: TableMeta, entries: readonly IndexedItem[]): Promise<number> {
  const items = entries.map((e) => e.item);
  const where = sql.join(
    [keysIn(meta, items.map((i) => i.request.key)), versionsMatch(meta, items.map((i) => i.request))].filter((p): p is SQL => !!p),
    sql` and `,
  );
  const caseOf = (key: string) =>
    sql`case ${sql.join(
      items.map((i) => sql`when ${keyMatch(meta, i.request.key)} then ${valueSql(meta, i.changes, key)}`),
      sql` `,
    )} else ${meta.columns[key]!} end`;
  const auto = autoValues(meta, items[0]!.changes.keys);
  const version = sql`case ${sql.join(
    items.map(
      (i) =>
        sql`when ${keyMatch(meta, i.request.key)} then ${versionSql(meta, i.bump, (key) => valueSql(meta, auto.keys.includes(key) ? auto : i.changes, key))}`,
    ),
    sql` `,
  )} else ${meta.version.column} end`;
  return meta.adapter.updateInOrder(tx, meta.table, assignmentsOf(meta, version, items[0]!.changes.keys, auto, caseOf), where);
}

/** `version = case when <key 1> then e1 … else version end`: each checked row's expected version. */
function versionsMatch(meta: TableMeta, requests: readonly WriteRequest[]): SQL | undefined {
  const checked = requests.filter((r) => r.check);
  if (checked.length === 0) return undefined;
  const v = meta.version.column;
  const branches = checked.map((r) => sql`when ${keyMatch(meta, r.key)} then ${sql.param(r.expected, v)}`);
  return sql`${v} = case ${sql.join(branches, sql` `)} else ${v} end`;
}

function valueSql(meta: TableMeta, changes: SplitChanges, key: string): SQL {
  const embedded = changes.embedded[key];
  return embedded !== undefined ? sql`${embedded}` : sql`${sql.param(changes.plain[key], meta.columns[key])}`;
}
