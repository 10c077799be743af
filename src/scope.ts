import { AsyncLocalStorage } from 'node:async_hooks';
import type { Table } from 'drizzle-orm';

/** Tables a scope applies to: every table, or the listed ones. */
type TableSet = 'all' | ReadonlySet<Table>;

interface Scope {
  noCheck?: TableSet;
  noIncrement?: TableSet;
}

const storage = new AsyncLocalStorage<Scope>();

function covers(set: TableSet | undefined, table: Table): boolean {
  return set === 'all' || (set !== undefined && set.has(table));
}

function union(outer: TableSet | undefined, inner: TableSet): TableSet {
  if (outer === 'all' || inner === 'all') return 'all';
  return outer ? new Set([...outer, ...inner]) : inner;
}

function runScoped<R>(field: keyof Scope, args: [() => R] | [Table | readonly Table[], () => R]): R {
  const [tables, fn] = args.length === 1 ? ['all' as const, args[0]] : [args[0], args[1]];
  const set: TableSet = tables === 'all' ? 'all' : new Set(Array.isArray(tables) ? tables : [tables as Table]);
  const outer = storage.getStore() ?? {};
  return storage.run({ ...outer, [field]: union(outer[field], set) }, fn);
}

/**
 * Runs `fn` with version checks off, for every table or the listed ones; versions still move.
 * Scoped with AsyncLocalStorage: concurrent requests never see each other's scope. Returns `fn()`'s result.
 * @example
 * await disableConcurrency(accounts, () => versionedUpdate(db, accounts, row, { balance: 0 }))
 * // PostgreSQL: update "accounts" set "balance" = $1, "version" = "accounts"."version" + 1 where "id" = $2 returning …
 */
export function disableConcurrency<R>(fn: () => R): R;
export function disableConcurrency<R>(tables: Table | readonly Table[], fn: () => R): R;
export function disableConcurrency<R>(...args: [() => R] | [Table | readonly Table[], () => R]): R {
  return runScoped('noCheck', args);
}

/**
 * Runs `fn` with version increments off ("shadow writes"): checks still apply, versions stay.
 * Trigger versions are unaffected: their trigger moves them whoever writes.
 * @example
 * await disableIncrement(() => versionedUpdate(db, accounts, row, { lastSeen: now }))
 * // PostgreSQL: update "accounts" set "last_seen" = $1, "version" = "accounts"."version" where "id" = $2 and "version" = $3 returning …
 */
export function disableIncrement<R>(fn: () => R): R;
export function disableIncrement<R>(tables: Table | readonly Table[], fn: () => R): R;
export function disableIncrement<R>(...args: [() => R] | [Table | readonly Table[], () => R]): R {
  return runScoped('noIncrement', args);
}

/** True when a `disableConcurrency` scope covers `table` here. */
export function checksDisabledFor(table: Table): boolean {
  return covers(storage.getStore()?.noCheck, table);
}

/** True when a `disableIncrement` scope covers `table` here. */
export function incrementsDisabledFor(table: Table): boolean {
  return covers(storage.getStore()?.noIncrement, table);
}
