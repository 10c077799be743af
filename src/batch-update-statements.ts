import { sql, type SQL } from 'drizzle-orm';
import { bumpFor, bumpShape, bumpSql, wallClockMicros, type Bump } from './bump.js';
import { keyMatch, keysIn, versionsMatch } from './batch-rows.js';
import type { Assignment } from './dialect-adapter.js';
import type { TableMeta } from './table-meta.js';
import { autoValues, splitChanges, writeRequest, type SplitChanges, type WriteOptions, type WriteRequest } from './write-request.js';

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
  return { request, changes: split, bump: bumpFor(meta, split.keys, request.increment) };
}

/** What the UPDATEs of a batch matched: the stored rows where RETURNING exists, else a count. */
export interface BatchUpdateResult {
  rows: Record<string, unknown>[];
  count: number;
}

/**
 * Runs the UPDATEs of a batch: one statement per group of rows with the same changed columns,
 * bump and check (one for the usual uniform batch), split further only past the dialect's
 * parameter limit. Plain values travel as a derived table of rows joined on the key, so the
 * statement grows linearly with the batch; rows carrying SQL expressions, and conditional bumps
 * where assignments order matters (MySQL), use one CASE per column instead.
 */
export async function runBatchUpdates(tx: any, meta: TableMeta, items: readonly BatchItem[]): Promise<BatchUpdateResult> {
  const out: BatchUpdateResult = { rows: [], count: 0 };
  for (const group of groups(items)) {
    const joined = joinable(meta, group[0]!);
    const perRow = joined ? rowWidth(meta, group[0]!) : caseWidth(meta, group[0]!);
    const size = Math.max(1, Math.floor((meta.adapter.maxParameters - meta.onUpdateKeys.length - 1) / perRow));
    for (let i = 0; i < group.length; i += size) {
      const chunk = group.slice(i, i + size);
      const result = joined ? await joinedUpdate(tx, meta, chunk) : await caseUpdate(tx, meta, chunk);
      if (typeof result === 'number') out.count += result;
      else {
        out.rows.push(...result);
        out.count += result.length;
      }
    }
  }
  return out;
}

function groups(items: readonly BatchItem[]): BatchItem[][] {
  const byShape = new Map<string, BatchItem[]>();
  for (const item of items) {
    const embedded = Object.keys(item.changes.embedded).length > 0;
    const shape = `${item.request.check ? 1 : 0}|${bumpShape(item.bump)}|${embedded ? 'sql' : ''}|${item.changes.keys.join(',')}`;
    const group = byShape.get(shape);
    if (group) group.push(item);
    else byShape.set(shape, [item]);
  }
  return [...byShape.values()];
}

function joinable(meta: TableMeta, sample: BatchItem): boolean {
  if (Object.keys(sample.changes.embedded).length > 0) return false;
  return !(meta.adapter.assignmentsSeeEarlierValues && sample.bump.type === 'conditional');
}

/** Bound values per row of the joined statement: key, expected version, changed columns. */
function rowWidth(meta: TableMeta, sample: BatchItem): number {
  return meta.primaryKey.length + (sample.request.check ? 1 : 0) + sample.changes.keys.length;
}

/** Bound values per row of the CASE statement, at most. */
function caseWidth(meta: TableMeta, sample: BatchItem): number {
  const key = meta.primaryKey.length;
  return key * (3 + sample.changes.keys.length) + sample.changes.keys.length + 3;
}

/**
 * `update t set c = b.c1, version = version + 1 from (<rows>) as b where t.id = b.c0 and t.version = b.c2`
 * (MySQL: `update t join (<rows>) as b on … set …`), the rows bound per the table's columns.
 */
async function joinedUpdate(tx: any, meta: TableMeta, items: readonly BatchItem[]): Promise<Record<string, unknown>[] | number> {
  const { adapter, table, version } = meta;
  const sample = items[0]!;
  const fields = [
    ...meta.primaryKey.map(({ key, column }) => ({ column, value: (item: BatchItem) => item.request.key[key] })),
    ...(sample.request.check ? [{ column: version.column, value: (item: BatchItem) => item.request.expected }] : []),
    ...sample.changes.keys.map((key) => ({ column: meta.columns[key]!, value: (item: BatchItem) => item.changes.plain[key] })),
  ];
  const rows = items.map((item) => fields.map(({ column, value }) => sql.param(value(item), column) as unknown as SQL));
  const values = adapter.valuesTable(table, derivedTableAlias(meta), fields.map((f) => f.column), rows);
  const keyCount = meta.primaryKey.length;
  const where = meta.primaryKey.map(({ column }, i) => sql`${column} = ${values.field(i)}`);
  if (sample.request.check) where.push(sql`${version.column} = ${values.field(keyCount)}`);
  const changeField = new Map(sample.changes.keys.map((key, i) => [key, values.field(keyCount + (sample.request.check ? 1 : 0) + i)]));
  const valueOf = (key: string) => changeField.get(key)!;
  const set = assignmentsOf(meta, versionSql(meta, sample.bump, valueOf), sample.changes.keys, valueOf);
  return adapter.updateJoined(tx, table, set, values.source, sql.join(where, sql` and `));
}

/** A name for the derived table of a batch that cannot be the written table's own. */
export function derivedTableAlias(meta: TableMeta): string {
  return meta.name === 'batch_rows' ? 'batch_rows_' : 'batch_rows';
}

/**
 * The SET list: the version first, then the changed columns, then other columns' `$onUpdate`
 * values (evaluated once for the statement).
 */
function assignmentsOf(meta: TableMeta, version: SQL, changeKeys: readonly string[], valueOf: (key: string) => SQL): Assignment[] {
  const out: Assignment[] = [{ key: meta.version.key, column: meta.version.column, value: version }];
  for (const key of changeKeys) out.push({ key, column: meta.columns[key]!, value: valueOf(key) });
  const auto = autoValues(meta, changeKeys);
  for (const key of auto.keys) out.push({ key, column: meta.columns[key]!, value: valueSql(meta, auto, key) });
  return out;
}

/** The new version of a row whose changed values are `valueOf(key)`. */
function versionSql(meta: TableMeta, bump: Bump, valueOf: (key: string) => SQL): SQL {
  const now = wallClockMicros();
  return bumpSql(meta, bump, valueOf, () => sql`${sql.param(now, meta.version.column)}`);
}

/**
 * `update t set c = case when id = ? then ? … else c end, version = … where id in (…) and
 * version = case when id = ? then ? … end`: any value, SQL expressions included.
 */
async function caseUpdate(tx: any, meta: TableMeta, items: readonly BatchItem[]): Promise<Record<string, unknown>[] | number> {
  const { adapter, table } = meta;
  const sample = items[0]!;
  const where = sql.join(
    [keysIn(meta, items.map((i) => i.request.key)), versionsMatch(meta, items.map((i) => i.request))].filter((p): p is SQL => !!p),
    sql` and `,
  );
  const keys = sample.changes.keys;
  const caseOf = (key: string) =>
    sql`case ${sql.join(
      items.map((i) => sql`when ${keyMatch(meta, i.request.key)} then ${valueSql(meta, i.changes, key)}`),
      sql` `,
    )} else ${meta.columns[key]!} end`;
  // A conditional bump compares each row's own new values: one branch per row.
  const version =
    sample.bump.type === 'conditional'
      ? sql`case ${sql.join(
          items.map((i) => sql`when ${keyMatch(meta, i.request.key)} then ${versionSql(meta, i.bump, (key) => valueSql(meta, i.changes, key))}`),
          sql` `,
        )} else ${meta.version.column} end`
      : versionSql(meta, sample.bump, caseOf);
  const set = assignmentsOf(meta, version, keys, caseOf);
  if (adapter.supportsReturning) {
    return tx.update(table).set(Object.fromEntries(set.map(({ key, value }) => [key, value]))).where(where).returning();
  }
  const list = sql.join(set.map(({ column, value }) => sql`${column} = ${value}`), sql`, `);
  return adapter.executeCount(tx, sql`update ${table} set ${list} where ${where}`);
}

function valueSql(meta: TableMeta, changes: SplitChanges, key: string): SQL {
  const embedded = changes.embedded[key];
  return embedded !== undefined ? sql`${embedded}` : sql`${sql.param(changes.plain[key], meta.columns[key]!)}`;
}
