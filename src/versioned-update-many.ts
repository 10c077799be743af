import { sql, type SQL, type Table } from 'drizzle-orm';
import { bumpFor, bumpSql, wallClockMicros, type Bump } from './bump.js';
import { checkBatch, keyMatch, keysIn, keyText, partition, versionsMatch, type BatchPolicy } from './batch-rows.js';
import { ConcurrencyError, type RecordModifiedError, type RowKey } from './errors.js';
import type { TableMeta } from './table-meta.js';
import type { ChangesOf, RowOf, TargetOf } from './versioned-update.js';
import { autoValues, metaFor, splitChanges, writeRequest, type SplitChanges, type WriteOptions, type WriteRequest } from './write-request.js';

/** Options of the batch writes. */
export interface BatchOptions extends WriteOptions {
  /** `abort` (default): all or nothing, the first conflict thrown. `silent`: apply the rest, report conflicts. */
  policy?: BatchPolicy;
}

/** What a batch update applied and what conflicted. */
export interface UpdateManyResult<Row> {
  updated: Row[];
  conflicts: RecordModifiedError[];
}

interface Item {
  request: WriteRequest;
  changes: SplitChanges;
  bump: Bump;
}

/**
 * Updates many rows, each checked against its own version, in one transaction and a constant
 * number of statements: a locking read, one UPDATE (and on MySQL one read-back).
 * `policy: 'abort'` applies nothing when any row conflicts and throws its error;
 * `'silent'` applies every other row and returns the conflicts.
 * @example
 * const { updated, conflicts } = await versionedUpdateMany(db, accounts, [
 *   { target: a, changes: { balance: 10 } }, { target: b, changes: { balance: 20 } },
 * ], { policy: 'silent' })
 * // PostgreSQL: select … from "accounts" where "accounts"."id" in ($1, $2) for update
 * //             update "accounts" set "balance" = case when "accounts"."id" = $3 then $4 when … else "accounts"."balance" end,
 * //               "version" = "accounts"."version" + 1
 * //             where "accounts"."id" in ($7, $8) and "accounts"."version" = case when "accounts"."id" = $9 then $10 … end returning …
 * // MySQL: the same with `for update`, `?` and the version assigned first, then one select to read the rows back.
 * // SQLite: the same without `for update` (the write transaction holds the database).
 */
export async function versionedUpdateMany<T extends Table>(
  db: unknown,
  table: T,
  items: readonly { target: TargetOf<T>; changes: ChangesOf<T> }[],
  options: BatchOptions = {},
): Promise<UpdateManyResult<RowOf<T>>> {
  const meta = metaFor(db, table);
  const prepared: Item[] = items.map(({ target, changes }) => {
    const request = writeRequest(meta, target, options);
    const split = splitChanges(meta, changes);
    return { request, changes: split, bump: bumpFor(meta, split.keys, request.increment) };
  });
  const policy = options.policy ?? 'abort';
  checkBatch(meta, policy, prepared.map((i) => i.request));
  if (prepared.length === 0) return { updated: [], conflicts: [] };
  return (db as any).transaction(async (tx: any) => {
    const { ok, conflicts } = await partition(tx, meta, prepared.map((i) => i.request));
    if (policy === 'abort' && conflicts.length > 0) throw conflicts[0];
    if (ok.length === 0) return { updated: [], conflicts };
    const okTexts = new Set(ok.map((r) => keyText(meta, r.key)));
    const applied = prepared.filter((i) => okTexts.has(keyText(meta, i.request.key)));
    const updated = await updateRows(tx, meta, applied);
    return { updated, conflicts };
  });
}

async function updateRows(tx: any, meta: TableMeta, items: Item[]): Promise<any[]> {
  const { adapter, table } = meta;
  const keys = items.map((i) => i.request.key);
  const set = setList(meta, items);
  const where = sql.join([keysIn(meta, keys), versionsMatch(meta, items.map((i) => i.request))].filter((p): p is SQL => !!p), sql` and `);
  let rows: Record<string, unknown>[];
  if (adapter.supportsReturning) {
    rows = await tx.update(table).set(Object.fromEntries(set)).where(where).returning();
    if (rows.length !== items.length) throw unexpected(meta, items.length, rows.length);
  } else {
    const assignments = sql.join(set.map(([key, value]) => sql`${meta.columns[key]!} = ${value}`), sql`, `);
    const count = await adapter.executeCount(tx, sql`update ${table} set ${assignments} where ${where}`);
    if (count !== items.length) throw unexpected(meta, items.length, count);
    rows = await tx.select().from(table).where(keysIn(meta, keys));
  }
  const byKey = new Map(rows.map((row) => [keyText(meta, row as RowKey), row]));
  return items.map((i) => byKey.get(keyText(meta, i.request.key)));
}

/** The SET list: per column a CASE over the rows that change it; the version first. */
function setList(meta: TableMeta, items: Item[]): [string, SQL][] {
  const v = meta.version.column;
  const now = wallClockMicros();
  const bumps = items.map((item) =>
    bumpSql(
      meta,
      item.bump,
      (key) => valueSql(meta, item.changes, key),
      () => sql`${sql.param(now, v)}`,
    ),
  );
  const uniform = items.every((i) => i.bump.type === items[0]!.bump.type && i.bump.type !== 'conditional');
  const version: SQL = uniform
    ? bumps[0]!
    : sql`case ${sql.join(items.map((item, i) => sql`when ${keyMatch(meta, item.request.key)} then ${bumps[i]!}`), sql` `)} else ${v} end`;
  const out: [string, SQL][] = [[meta.version.key, version]];
  const keys = [...new Set(items.flatMap((i) => i.changes.keys))].sort();
  for (const key of keys) {
    const column = meta.columns[key]!;
    const branches = items
      .filter((i) => i.changes.keys.includes(key))
      .map((i) => sql`when ${keyMatch(meta, i.request.key)} then ${valueSql(meta, i.changes, key)}`);
    out.push([key, sql`case ${sql.join(branches, sql` `)} else ${column} end`]);
  }
  const auto = autoValues(meta, keys);
  for (const key of auto.keys) out.push([key, valueSql(meta, auto, key)]);
  return out;
}

function valueSql(meta: TableMeta, changes: SplitChanges, key: string): SQL {
  const embedded = changes.embedded[key];
  return embedded !== undefined ? sql`${embedded}` : sql`${sql.param(changes.plain[key], meta.columns[key]!)}`;
}

function unexpected(meta: TableMeta, expected: number, got: number): ConcurrencyError {
  return new ConcurrencyError(`batch update of "${meta.name}" matched ${got} of ${expected} locked rows; rolled back`);
}
