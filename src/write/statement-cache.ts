import type { Table } from 'drizzle-orm';

const MAX_SHAPES_PER_TABLE = 256;
const byDatabase = new WeakMap<object, WeakMap<Table, Map<string, unknown>>>();

/**
 * The prepared statement for (`db`, `table`, `shape`), built once. Kept per database or
 * transaction object, so a statement never runs on a session it was not prepared for.
 */
export function cachedStatement<T>(db: object, table: Table, shape: string, build: () => T): T {
  let tables = byDatabase.get(db);
  if (!tables) byDatabase.set(db, (tables = new WeakMap()));
  let shapes = tables.get(table);
  if (!shapes) tables.set(table, (shapes = new Map<string, unknown>()));
  let statement = shapes.get(shape) as T | undefined;
  if (statement === undefined) {
    if (shapes.size >= MAX_SHAPES_PER_TABLE) shapes.clear();
    statement = build();
    shapes.set(shape, statement);
  }
  return statement;
}

const prefix = `dc${Math.random().toString(36).slice(2, 8)}`;
let counter = 0;

/**
 * A prepared-statement name unique in this process, for the adapters to give Drizzle's
 * `prepare(name)` where a name is safe: PostgreSQL passes it on postgres.js only, where it
 * lets postgres.js's own statement cache apply (see `pgAdapter.prepare`).
 * @example
 * adapter.prepare(db.select().from(table).where(where), statementName())
 */
export function statementName(): string {
  return `${prefix}_${++counter}`;
}
