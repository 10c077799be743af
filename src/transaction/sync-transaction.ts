import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type SQL } from 'drizzle-orm';
import { processWide } from '../config/process-wide.js';
import type { DialectAdapter } from '../dialect/dialect-adapter.js';
import { driverField } from '../dialect/driver-field.js';
import type { QueryDatabase } from '../dialect/query-database.js';
import { ConfigurationError } from '../errors.js';
import { inQueueTurn } from './queue-turn.js';

/**
 * Transactions on a driver whose Drizzle session is synchronous (better-sqlite3, and SQLite
 * drivers built like it): `db.transaction(fn)` runs `fn` synchronously and throws when it returns
 * a promise ("Transaction function cannot return a promise"), so the library's own transactions,
 * whose statements are awaited one after the other, are opened and closed with statements of
 * their own through `db.run`: `begin immediate` … `commit` (or `rollback`), or a savepoint when
 * the connection is already inside a transaction (the caller's `begin`).
 *
 * One connection is one `Database` object and the thread never waits for another: while a
 * transaction of ours holds the write lock across an `await`, a write from another connection of
 * this process would block the whole thread in SQLite's busy handler until `busy_timeout` and
 * fail with SQLITE_BUSY. So the library's transactions and updates on such connections take turns
 * per database file (an async lock, re-entrant for nested calls), and a statement never lands in
 * a transaction of ours that another call opened on the same connection.
 */

/**
 * One per process, shared by the ESM and CommonJS copies of the package (see `processWide`): a
 * turn taken through one copy makes the other wait too, and savepoint names never collide.
 */
const turns = processWide('sqlite-turns', () => ({
  /** Keys of the locks the current async context holds. */
  held: new AsyncLocalStorage<ReadonlySet<unknown>>(),
  /** Per database file (or connection): the tail of the queue of calls waiting for it. */
  queues: new Map<unknown, Promise<void>>(),
  savepoints: 0,
}));
const { held, queues } = turns;

interface SyncClient {
  name?: unknown;
  memory?: unknown;
  inTransaction?: unknown;
}

function clientOf(db: QueryDatabase): SyncClient | undefined {
  const client = driverField(db, 'session', 'client') ?? driverField(db, '$client');
  return client !== null && typeof client === 'object' ? client : undefined;
}

/** What the lock is taken on: the database file where connections share one, else the connection. */
function lockKey(db: QueryDatabase): unknown {
  const client = clientOf(db);
  const name = client?.name;
  if (typeof name === 'string' && name !== '' && name !== ':memory:' && client?.memory !== true) return `file:${name}`;
  return client ?? driverField(db, 'session') ?? db;
}

/** Runs `query` on a synchronous SQLite database (Drizzle's `db.run`, which returns at once there). */
function run(db: QueryDatabase, query: SQL): void {
  (db as unknown as { run(query: SQL): unknown }).run(query);
}

/** The connection of `db` is inside a transaction (the caller's `begin`, or ours). */
function connectionInTransaction(db: QueryDatabase, adapter: DialectAdapter): boolean {
  const state = clientOf(db)?.inTransaction;
  return typeof state === 'boolean' ? state : adapter.isTransaction(db);
}

/**
 * Runs `fn` when no other call of the library uses the database file of `db` (at once when it is
 * free or already held by this async context), holding it until `fn` settles.
 * @example
 * await withConnectionTurn(db, () => runUpdate(db, …)) // no SQL of its own
 */
export async function withConnectionTurn<R>(db: QueryDatabase, fn: () => Promise<R>): Promise<R> {
  const key = lockKey(db);
  const mine = held.getStore();
  if (mine?.has(key)) return fn();
  return inQueueTurn(queues, key, () => held.run(new Set([...(mine ?? []), key]), fn));
}

/**
 * True when the library's writes on `db` must take turns ({@link withConnectionTurn}): a database
 * object (not a transaction object) of a driver with synchronous transactions.
 */
export function takesTurns(db: QueryDatabase, adapter: DialectAdapter): boolean {
  return adapter.synchronousTransactions?.(db) === true && !adapter.isTransaction(db);
}

/**
 * `fn()` in its turn on a driver whose writes take turns ({@link takesTurns}), else at once: for
 * the one-statement writes (`versionedDelete`, `returning: false`), which open no transaction.
 * @example
 * await inTurn(db, meta.adapter, () => adapter.runCount(prepared, values)) // no SQL of its own
 */
export function inTurn<R>(db: QueryDatabase, adapter: DialectAdapter, fn: () => Promise<R>): Promise<R> {
  return takesTurns(db, adapter) ? withConnectionTurn(db, fn) : fn();
}

/**
 * {@link inTransaction}'s path for synchronous drivers: `fn(db)` between `begin immediate` and
 * `commit` (a savepoint inside the caller's transaction), rolled back when it throws; the error of
 * `fn` surfaces even when the rollback fails (the rollback's attached as its `cause`).
 *
 * SQLite (better-sqlite3): `begin immediate; …; commit` — or `savepoint "dc_sp1"; …; release "dc_sp1"`
 * @example
 * await inSyncTransaction(db, async (tx) => updateBatch(tx, …), sqliteAdapter, 'batch update of "accounts"')
 */
export async function inSyncTransaction<R>(db: QueryDatabase, fn: (tx: QueryDatabase) => Promise<R>, adapter: DialectAdapter, what: string): Promise<R> {
  if (adapter.isTransaction(db)) {
    // The callback of a synchronous `db.transaction(tx => …)` commits when it returns, before any
    // awaited statement of ours after the first: they would run outside it, half of them applied.
    throw new ConfigurationError(
      `${what} cannot run on a transaction object of a synchronous driver (better-sqlite3): its db.transaction callback commits before the batch's awaited statements run; call it with the database object, inside db.run(sql\`begin\`) … db.run(sql\`commit\`) when it must join other writes`,
    );
  }
  return withConnectionTurn(db, async () => {
    const savepoint = connectionInTransaction(db, adapter) ? `dc_sp${++turns.savepoints}` : undefined;
    const name = savepoint && sql.identifier(savepoint);
    run(db, name ? sql`savepoint ${name}` : sql`begin immediate`);
    let result: R;
    try {
      result = await fn(db);
    } catch (error) {
      try {
        if (name) {
          run(db, sql`rollback to ${name}`);
          run(db, sql`release ${name}`);
        } else {
          run(db, sql`rollback`);
        }
      } catch (rollbackError) {
        if (error instanceof Error && !Object.hasOwn(error, 'cause')) {
          Object.defineProperty(error, 'cause', { value: rollbackError, writable: true, configurable: true, enumerable: false });
        }
      }
      throw error;
    }
    try {
      run(db, name ? sql`release ${name}` : sql`commit`);
    } catch (error) {
      // A failed COMMIT leaves the transaction open (SQLITE_BUSY): undo it, report the commit's error.
      try {
        if (name) {
          run(db, sql`rollback to ${name}`);
          run(db, sql`release ${name}`);
        } else if (connectionInTransaction(db, adapter)) {
          run(db, sql`rollback`);
        }
      } catch {
        // the commit's error is the one to report
      }
      throw error;
    }
    return result;
  });
}
