import { AsyncLocalStorage } from 'node:async_hooks';
import { is, Table } from 'drizzle-orm';
import { describeValue } from '../describe-value.js';
import { ConfigurationError } from '../errors.js';
import { processWide } from './process-wide.js';

/** Tables a scope applies to: every table, or the listed ones. */
type TableSet = 'all' | ReadonlySet<Table>;

/**
 * One `disableConcurrency` / `disableIncrement` call. It is open until `fn()` returns, or until
 * the promise it returns settles; callbacks that inherit it through AsyncLocalStorage (timers,
 * listeners, a shared flusher's queue) and run later find it closed and ignore it.
 */
interface Scope {
  field: 'noCheck' | 'noIncrement';
  tables: TableSet;
  open: boolean;
  parent: Scope | undefined;
}

/** Shared by the ESM and CommonJS copies of the package, so a scope opened through one covers writes of the other. */
const storage = processWide('scopes', () => new AsyncLocalStorage<Scope>());

function covers(set: TableSet, table: Table): boolean {
  return set === 'all' || set.has(table);
}

/** True when an open scope of `field` around the current call covers `table`. */
function active(field: Scope['field'], table: Table): boolean {
  for (let scope = storage.getStore(); scope; scope = scope.parent) {
    if (scope.open && scope.field === field && covers(scope.tables, table)) return true;
  }
  return false;
}

function tableSet(name: string, tables: unknown): TableSet {
  const list = Array.isArray(tables) ? (tables as unknown[]) : [tables];
  list.forEach((table, i) => {
    if (!is(table, Table)) {
      const where = Array.isArray(tables) ? `tables[${i}]` : 'the first argument';
      throw new ConfigurationError(`${name}(tables, fn): ${where} must be a Drizzle table, got ${describeValue(table)}`);
    }
  });
  return new Set(list as Table[]);
}

function runScoped<R>(name: string, field: Scope['field'], args: unknown[]): R {
  if (args.length !== 1 && args.length !== 2) {
    throw new ConfigurationError(`${name} takes (fn) or (tables, fn), got ${args.length} arguments`);
  }
  const fn = args[args.length - 1];
  if (typeof fn !== 'function') throw new ConfigurationError(`${name}: fn must be a function, got ${describeValue(fn)}`);
  const tables = args.length === 1 ? 'all' : tableSet(name, args[0]);
  const scope: Scope = { field, tables, open: true, parent: storage.getStore() };
  const close = () => void (scope.open = false);
  let result: R;
  try {
    result = storage.run(scope, fn as () => R);
  } catch (error) {
    close();
    throw error;
  }
  if (isThenable(result)) {
    result.then(close, close);
  } else {
    close();
  }
  return result;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * Runs `fn` with version checks off, for every table or the listed ones; versions still move.
 * Scoped with AsyncLocalStorage: concurrent requests never see each other's scope. Returns `fn()`'s result.
 * The scope lasts until `fn()` returns or, when it returns a promise, until that promise settles:
 * a timer, listener or queued callback created inside that runs later is checked again.
 * Anything but `(fn)` or `(table | table[], fn)` is a `ConfigurationError`.
 * @example
 * await disableConcurrency(accounts, () => versionedUpdate(db, accounts, row, { balance: 0 }))
 * // PostgreSQL: update "accounts" set "balance" = $1, "version" = "accounts"."version" + 1 where "id" = $2 returning …
 */
export function disableConcurrency<R>(fn: () => R): R;
export function disableConcurrency<R>(tables: Table | readonly Table[], fn: () => R): R;
export function disableConcurrency<R>(...args: [() => R] | [Table | readonly Table[], () => R]): R {
  return runScoped('disableConcurrency', 'noCheck', args);
}

/**
 * Runs `fn` with version increments off ("shadow writes"): checks still apply, versions stay.
 * Trigger versions are unaffected: their trigger moves them whoever writes.
 * Same lifetime and argument rules as {@link disableConcurrency}.
 * @example
 * await disableIncrement(() => versionedUpdate(db, accounts, row, { lastSeen: now }))
 * // PostgreSQL: update "accounts" set "last_seen" = $1, "version" = "accounts"."version" where "id" = $2 and "version" = $3 returning …
 */
export function disableIncrement<R>(fn: () => R): R;
export function disableIncrement<R>(tables: Table | readonly Table[], fn: () => R): R;
export function disableIncrement<R>(...args: [() => R] | [Table | readonly Table[], () => R]): R {
  return runScoped('disableIncrement', 'noIncrement', args);
}

/** True when an open `disableConcurrency` scope covers `table` here. */
export function checksDisabledFor(table: Table): boolean {
  return active('noCheck', table);
}

/** True when an open `disableIncrement` scope covers `table` here. */
export function incrementsDisabledFor(table: Table): boolean {
  return active('noIncrement', table);
}
