import type { TriggerSpec } from '../../src/triggers/trigger-spec.js';
import type { LiveDatabase } from './live-database.js';

/** One line of `triggers list`. */
export interface TriggerStatus {
  name: string;
  table: string;
  schema?: string | undefined;
  /** `ok`: installed and in the schema; `missing`: in the schema only; `orphan`: in the database only. */
  status: 'ok' | 'missing' | 'orphan';
}

const key = (schema: string | undefined, name: string) => `${schema ?? ''}\u0000${name}`;

/** Compares the triggers in the database with the ones the schema wants. */
export async function listTriggers(db: LiveDatabase, desired: readonly TriggerSpec[]): Promise<TriggerStatus[]> {
  const rows = await db.rows(db.dialect.triggers.list());
  const wanted = new Map(desired.map((s) => [key(db.dialect.listedSchema(s), s.name), s]));
  const out: TriggerStatus[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const schema = row['schema'] === undefined ? undefined : String(row['schema']);
    const k = key(schema, String(row['name']));
    seen.add(k);
    out.push({ name: String(row['name']), table: String(row['table']), schema, status: wanted.has(k) ? 'ok' : 'orphan' });
  }
  for (const [k, spec] of wanted) {
    if (!seen.has(k)) out.push({ name: spec.name, table: spec.table, schema: spec.schema, status: 'missing' });
  }
  return out;
}

/** (Re)creates every trigger of the schema; idempotent. Returns the names. */
export async function createTriggers(db: LiveDatabase, desired: readonly TriggerSpec[]): Promise<string[]> {
  for (const spec of desired) for (const statement of db.dialect.triggers.create(spec)) await db.run(statement);
  return desired.map((s) => s.name);
}

/** Drops every trigger of the schema (and PostgreSQL function); idempotent. Returns the names. */
export async function dropTriggers(db: LiveDatabase, desired: readonly TriggerSpec[]): Promise<string[]> {
  for (const spec of desired) for (const statement of db.dialect.triggers.drop(spec)) await db.run(statement);
  return desired.map((s) => s.name);
}
