import { sql, type Column, type SQL } from 'drizzle-orm';
import type { TableMeta } from '../schema/table-meta.js';

/** How one write moves the version. */
export type Bump =
  | { type: 'none' }
  | { type: 'increment' }
  | { type: 'timestamp' }
  /** `version + 1` only when one of `keys` really changes value. */
  | { type: 'conditional'; keys: readonly string[] };

/** Wall-clock microseconds since the epoch, the floor of a timestamp version. */
export function wallClockMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/**
 * Decides how a write with these change keys moves the version. Empty changes are a touch:
 * the version moves whatever its kind (force increment).
 */
export function bumpFor(meta: TableMeta, changeKeys: readonly string[], increment: boolean): Bump {
  if (!increment) return { type: 'none' };
  if (meta.version.kind === 'timestamp') return { type: 'timestamp' };
  if (meta.watchedKeys === undefined || changeKeys.length === 0) return { type: 'increment' };
  const keys = changeKeys.filter((key) => meta.watchedKeys!.has(key));
  return keys.length > 0 ? { type: 'conditional', keys } : { type: 'none' };
}

/**
 * `(a or b or …)` parenthesised as a balanced tree, `((a or b) or (c or d))`: its depth grows with
 * the logarithm of the number of terms, so watching a thousand columns stays far inside SQLite's
 * expression depth limit (1000), which a flat chain of `or` (a left-deep tree) exceeds.
 */
function balancedOr(terms: readonly SQL[]): SQL {
  if (terms.length === 1) return sql`(${terms[0]!})`;
  const half = Math.ceil(terms.length / 2);
  return sql`(${balancedOr(terms.slice(0, half))} or ${balancedOr(terms.slice(half))})`;
}

/**
 * The SQL of the new version.
 * - increment: `v + 1`
 * - timestamp: PostgreSQL/MySQL `greatest(v + 1, $now)`, SQLite `max(v + 1, ?)`
 * - conditional: PostgreSQL `case when ((a is distinct from $1) or (b is distinct from $2)) then v + 1 else v end`,
 *   MySQL `not (a <=> ?)`, SQLite `a is not ?`; the `or`s nested as a balanced tree
 * - none: `v` (an explicit self-assignment, so no `$onUpdate` function moves it)
 */
export function bumpSql(meta: TableMeta, bump: Bump, newValue: (key: string) => SQL, now: () => SQL): SQL {
  const version: Column = meta.version.column;
  switch (bump.type) {
    case 'none':
      return sql`${version}`;
    case 'increment':
      return sql`${version} + 1`;
    case 'timestamp':
      return meta.adapter.greatest(sql`${version} + 1`, now());
    case 'conditional': {
      const changed = balancedOr(bump.keys.map((key) => meta.adapter.isDistinct(meta.columns[key]!, newValue(key))));
      return sql`case when ${changed} then ${version} + 1 else ${version} end`;
    }
  }
}
