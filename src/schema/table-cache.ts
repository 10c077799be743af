import type { Table } from 'drizzle-orm';
import { processWide } from '../config/process-wide.js';

/** What is computed once per table: its version column (`null`: none) and its write metadata. */
interface TableFacts {
  version?: unknown;
  meta?: unknown;
}

/** The one per-table metadata cache, shared by every copy of the package in the process. */
const facts = processWide('table-cache', () => new WeakMap<Table, TableFacts>());

/**
 * `facts[slot]` of `table`, computed by `compute()` the first time (a throw caches nothing).
 * No SQL involved.
 * @example
 * const info = cachedForTable(table, 'version', () => computeInfo(table) ?? null)
 */
export function cachedForTable<T>(table: Table, slot: keyof TableFacts, compute: () => T): T {
  let entry = facts.get(table);
  if (entry?.[slot] !== undefined) return entry[slot] as T;
  const value = compute();
  if (!entry) facts.set(table, (entry = {}));
  entry[slot] = value;
  return value;
}

/**
 * Forgets everything computed about `table` (after `applyConcurrencyCheck` changed it).
 * @example
 * forgetTable(users) // the next write recomputes the version column and metadata
 */
export function forgetTable(table: Table): void {
  facts.delete(table);
}
