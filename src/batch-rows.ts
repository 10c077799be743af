import { sql, type SQL } from 'drizzle-orm';
import { conflictError } from './conflict.js';
import { ConfigurationError, formatKey, type RecordModifiedError, type RowKey } from './errors.js';
import type { TableMeta } from './table-meta.js';
import type { WriteRequest } from './write-request.js';

/** What to do when some rows of a batch conflict. */
export type BatchPolicy = 'abort' | 'silent';

/** A text identifying a key inside one batch. */
export function keyText(meta: TableMeta, key: RowKey): string {
  return meta.primaryKey.map(({ key: field }) => String(key[field])).join('\u0000');
}

/** `ConfigurationError` for a policy other than `abort` / `silent` or a row named twice. */
export function checkBatch(meta: TableMeta, policy: unknown, requests: readonly WriteRequest[]): void {
  if (policy !== 'abort' && policy !== 'silent') {
    throw new ConfigurationError(`batch policy for "${meta.name}" must be 'abort' or 'silent', got ${String(policy)}`);
  }
  const seen = new Set<string>();
  for (const { key } of requests) {
    const text = keyText(meta, key);
    if (seen.has(text)) throw new ConfigurationError(`batch for "${meta.name}" names (${formatKey(key)}) twice`);
    seen.add(text);
  }
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

/** Stored rows under `keys` (in as many selects as the dialect's parameter limit needs), optionally locked. */
export async function readRows(tx: any, meta: TableMeta, keys: readonly RowKey[], lock = false): Promise<Record<string, unknown>[]> {
  const size = Math.max(1, Math.floor(meta.adapter.maxParameters / meta.primaryKey.length));
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += size) {
    let query = tx.select().from(meta.table).where(keysIn(meta, keys.slice(i, i + size)));
    if (lock && meta.adapter.supportsSelectForUpdate) query = query.for('update');
    out.push(...(await query));
  }
  return out;
}

/**
 * Locks and reads the rows of a batch (`for update` where the dialect has it; SQLite's write
 * transaction already holds the database), then splits the requests into those whose stored
 * version matches and the conflicts.
 */
export async function partition(
  tx: any,
  meta: TableMeta,
  requests: readonly WriteRequest[],
): Promise<{ ok: WriteRequest[]; conflicts: RecordModifiedError[] }> {
  const stored = byKeyText(meta, await readRows(tx, meta, requests.map((r) => r.key), true));
  const ok: WriteRequest[] = [];
  const conflicts: RecordModifiedError[] = [];
  for (const request of requests) {
    const current = stored.get(keyText(meta, request.key)) ?? null;
    if (current && (!request.check || current[meta.version.key] === request.expected)) ok.push(request);
    else conflicts.push(conflictError(meta, request.key, request.expected, current));
  }
  return { ok, conflicts };
}

/** The conflict errors of requests a write did not match, from their rows as stored now. */
export async function readConflicts(tx: any, meta: TableMeta, requests: readonly WriteRequest[]): Promise<RecordModifiedError[]> {
  const stored = byKeyText(meta, await readRows(tx, meta, requests.map((r) => r.key)));
  return requests.map((r) => conflictError(meta, r.key, r.expected, stored.get(keyText(meta, r.key)) ?? null));
}

function byKeyText(meta: TableMeta, rows: readonly Record<string, unknown>[]): Map<string, Record<string, unknown>> {
  return new Map(rows.map((row) => [keyText(meta, row as RowKey), row]));
}

/** `version = case when <key 1> then e1 … else version end`: each checked row's expected version. */
export function versionsMatch(meta: TableMeta, requests: readonly WriteRequest[]): SQL | undefined {
  const checked = requests.filter((r) => r.check);
  if (checked.length === 0) return undefined;
  const v = meta.version.column;
  const branches = checked.map((r) => sql`when ${keyMatch(meta, r.key)} then ${sql.param(r.expected, v)}`);
  return sql`${v} = case ${sql.join(branches, sql` `)} else ${v} end`;
}
