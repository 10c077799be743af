import type { Table } from 'drizzle-orm';
import type { QueryDatabase } from '../dialect/query-database.js';
import { ConfigurationError, RecordDeletedError, RecordModifiedError, type RowKey } from '../errors.js';
import type { TableMeta } from '../schema/table-meta.js';
import type { ChangesOf, DatabaseFor, KeyOf, RowOf } from '../schema/table-types.js';
import { inTransaction } from '../transaction/in-transaction.js';
import { isTransientError } from '../transaction/transient-error.js';
import { describeValue } from '../describe-value.js';
import { enterKey, enterTurn, hotKeyId, isHot, isHotElsewhere, noteStored, recordConflict, storedHere, type KeyTurn } from './hot-keys.js';
import { cachedStatement, statementName } from './statement-cache.js';
import { readKey } from './target.js';
import { keySlotValues, keyWhere, placeholderSlot } from './update-statement.js';
import { updateChecked } from './versioned-update.js';
import { writeTarget, type WriteOptions } from './write-request.js';
import { writeUnderLock } from './locked-write.js';
import { writeKnownRow } from './known-row-write.js';

/** Options of {@link versionedModify}: the write's own options plus the retry policy. */
export interface ModifyOptions extends WriteOptions {
  /** How many times `fn` runs at most: a positive integer. Default 10. */
  attempts?: number;
  /**
   * Pause before an optimistic retry: a number is the base of an exponential backoff with full
   * jitter (`random(0, base · 2^(attempt-2))` ms from the second retry on; the first retry from
   * `error.current` goes at once); a function gets the attempt that failed (1-based). A retry
   * that reads with a lock never pauses: the lock does the waiting. Default 1.
   */
  backoffMs?: number | ((attempt: number) => number);
  /**
   * Also retry transient database errors (see `isTransientError`: serialization failure,
   * deadlock, lock wait timeout, `SQLITE_BUSY`) by running the whole read-modify-write again.
   * Default `false`. Never inside a caller's transaction, which such an error has aborted.
   */
  retryTransient?: boolean;
  /**
   * When to read the row with a lock: `'auto'` (default) once the key conflicted recently,
   * `'always'` on every call (pessimistic), `'never'` (optimistic only).
   */
  lock?: 'auto' | 'always' | 'never';
}

/** What `fn` may return: the changes to write, as `versionedUpdate` takes them. */
export type ModifyFn<T extends Table> = (row: RowOf<T>, attempt: number) => ChangesOf<T> | Promise<ChangesOf<T>>;

interface Policy {
  attempts: number;
  backoffMs: ModifyOptions['backoffMs'];
  retryTransient: boolean;
  lock: 'auto' | 'always' | 'never';
  write: WriteOptions;
}

/**
 * Read-modify-write of one row: reads it by primary key, calls `fn(row)` (sync or async) for the
 * changes, writes them with the version check and resolves to the stored row (as
 * `versionedUpdate` does). On a conflict it calls `fn` again with `error.current`, the row the
 * conflict was decided on (no second read). Cold keys stay one plain read and one checked write
 * on every dialect. Keys that conflicted recently in this process are hot: the process's calls on
 * a hot key take turns (FIFO), and each turn hands the row it stored to the next queued one, which
 * writes from it without a read. A turn with nothing handed reads the row: plainly while the key's
 * conflicts were lost to this process's own calls (the turns keep those apart), with a lock, in a
 * transaction of its own (`SELECT … FOR UPDATE`; SQLite, without row locks, reads plainly in its
 * turn), once writers elsewhere win them. The write still checks the version: a row another
 * process changed meanwhile is a conflict, retried in the same turn from a locked read. So a hot
 * row queues instead of spinning, at one checked write per call. At most `attempts` runs of `fn`
 * (then the last `RecordModifiedError` is thrown); a `RecordDeletedError` (the row is
 * gone, also when it is missing at the first read) is never retried. `onConflict` observes every
 * conflict. `fn` throwing rejects with its error and writes nothing (the lock's transaction rolls
 * back). Inside a caller's transaction (`db` is a transaction) no transaction, savepoint or turn
 * of its own: a hot key's locking read runs in the caller's transaction and its lock is held until the
 * caller commits; SQLite reads plainly there. MySQL / MariaDB read every key with a lock inside a
 * caller's transaction: InnoDB's plain read shows the transaction's snapshot (REPEATABLE READ)
 * while the write matches the latest row, so a plain read would conflict on any row committed
 * since the snapshot; the locking read sees the latest row, costs no extra statement there, and
 * takes the lock the write would hold until the caller commits anyway. On MySQL (no compound
 * statements) the checked write needs `begin; update; select … for update; commit` anyway, so
 * there every key is read under that transaction's lock: four statements instead of five.
 * Without RETURNING (MySQL), a row just read (or handed over) whose stored row follows from it
 * is written with one plain UPDATE (see `writeKnownRow`).
 * @example
 * const saved = await versionedModify(db, accounts, { id: 1 }, (row) => ({ balance: row.balance + 10 }))
 * // cold key, PostgreSQL: select … from "accounts" where "accounts"."id" = $1
 * //   update "accounts" set "balance" = $1, "version" = "accounts"."version" + 1
 * //     where "accounts"."id" = $2 and "accounts"."version" = $3 returning …
 * // hot key, a turn's read, conflicts only with this process's calls: as cold
 * // hot key, a turn's read, conflicts from elsewhere, PostgreSQL: begin; select … from "accounts" where "accounts"."id" = $1 for update of "accounts";
 * //   update … returning …; commit
 * // hot key, later turns, PostgreSQL and SQLite: update … returning … (from the row the previous turn stored)
 * // cold key, MySQL / MariaDB, an integer change: select … from `accounts` where `accounts`.`id` = ?;
 * //   update `accounts` set `balance` = ?, `version` = `accounts`.`version` + 1 where `accounts`.`id` = ? and `accounts`.`version` = ?
 * //   (a hot key's later turns: only the update)
 * // cold key, MariaDB, a change the row does not follow from (text, say): the read, then versionedUpdate's one compound
 * //   statement: begin not atomic … start transaction; update …; select row_count(); select … for update; commit; end
 * // hot key, every key in a caller's transaction, and on MySQL (no compound statements: its write
 * // takes a transaction of its own anyway) every key once the server refused one, MySQL / MariaDB:
 * //   begin; select … from `accounts` force index (primary) where `accounts`.`id` = ? for update;
 * //   update …; commit   (integer or null changes: the row is known; else `select … for update` reads it back)
 * // SQLite: cold as PostgreSQL (`?` parameters); hot: a turn's select (the first turn only), update … returning
 */
export async function versionedModify<T extends Table>(
  db: DatabaseFor<T>,
  table: T,
  key: KeyOf<T>,
  fn: ModifyFn<T>,
  options?: ModifyOptions,
): Promise<RowOf<T>> {
  const { db: primary, meta } = writeTarget(db, table);
  const rowKey = readKey(meta, key);
  if (typeof fn !== 'function') throw new ConfigurationError(`versionedModify needs a function returning the changes, got ${describeValue(fn)}`);
  const policy = checkOptions(options ?? {});
  const modify = fn as unknown as (row: Record<string, unknown>, attempt: number) => unknown;
  return (await modifyRow(primary, meta, rowKey, modify, policy)) as RowOf<T>;
}

async function modifyRow(
  db: QueryDatabase,
  meta: TableMeta,
  key: RowKey,
  fn: (row: Record<string, unknown>, attempt: number) => unknown,
  policy: Policy,
): Promise<Record<string, unknown>> {
  const id = hotKeyId(meta.table, key);
  const inCallersTransaction = meta.adapter.isTransaction(db);
  // In a caller's InnoDB transaction a plain read shows its snapshot while the write matches the
  // latest row: a cold read there would conflict on every row committed since the snapshot. The
  // locking read sees the latest row, costs no more statements there (no transaction of its own)
  // and takes the row lock the write would take until the caller commits anyway.
  // Where the write takes a transaction of its own anyway (MySQL without compound statements),
  // reading the row under its lock in that transaction costs no more than a plain read first.
  const lockAlways =
    policy.lock === 'always' ||
    (policy.lock === 'auto' && ((inCallersTransaction && meta.adapter.conflictReadMustLock) || meta.adapter.writeTakesTransaction?.(db) === true));
  const adaptive = policy.lock === 'auto' && !lockAlways;
  const lockNow = () => lockAlways || (adaptive && isHot(id));
  // Where a turn is taken: a hot key (auto), and SQLite's locked reads (no row locks: the
  // process's calls on the key queue instead). Never in a caller's transaction.
  const queues = !inCallersTransaction && (adaptive || (lockAlways && !meta.adapter.locksRows));
  const leave = enterKey(id, adaptive && isHot(id));
  const versionKey = meta.version.key;
  const stored = (row: Record<string, unknown>) => (noteStored(id, row[versionKey]), row);
  let turn: KeyTurn | undefined;
  let turnFrom = 0;
  try {
    let current: Record<string, unknown> | undefined;
    for (let attempt = 1; ; attempt++) {
      const locked = lockNow();
      try {
        if (locked && queues) {
          // Once a call has its turn, the rest of its attempts run in it.
          if (!turn) {
            turn = await enterTurn(id, adaptive);
            turnFrom = attempt;
          }
          const handed = turn.takeHanded();
          let row: Record<string, unknown>;
          if (handed) {
            row = await write(db, meta, handed, await fn(handed, attempt), policy.write);
          } else if (!adaptive || attempt > turnFrom || isHotElsewhere(id)) {
            row = await lockedAttempt(db, meta, key, fn, attempt, policy.write);
          } else {
            // Hot only through this process's own calls, which the turn keeps apart: a plain
            // read; a conflict now comes from elsewhere and is retried in the turn under the lock.
            const fresh = await readPlain(db, meta, key);
            row = await write(db, meta, fresh, await fn(fresh, attempt), policy.write);
          }
          turn.pass(row);
          return stored(row);
        }
        if (locked) return stored(await lockedAttempt(db, meta, key, fn, attempt, policy.write, inCallersTransaction));
        const row = current ?? (await readPlain(db, meta, key));
        current = undefined;
        return stored(await write(db, meta, row, await fn(row, attempt), policy.write));
      } catch (error) {
        current = undefined;
        if (error instanceof RecordModifiedError) {
          if (error instanceof RecordDeletedError || error.current === null) throw error;
          if (policy.lock === 'auto') recordConflict(id, storedHere(id, (error.current as Record<string, unknown>)[versionKey]));
          if (attempt >= policy.attempts) throw error;
          current = error.current as Record<string, unknown>;
        } else if (!(policy.retryTransient && !inCallersTransaction && attempt < policy.attempts && isTransientError(error))) {
          throw error;
        }
      }
      const pause = turn || lockNow() ? 0 : backoff(policy.backoffMs, attempt);
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
  } finally {
    turn?.end();
    leave();
  }
}

/**
 * One attempt with a locking read. In the caller's transaction: its locking read there (the
 * lock lasts until the caller commits). Else, where rows can be locked, a transaction of its
 * own with a locking read; SQLite reads plainly, in the key's turn (the write still checks the
 * version against other processes): a write transaction held across `await fn(row)` would make
 * every other connection of the process wait synchronously for the database lock (embedded
 * drivers block the event loop until `busy_timeout`, then `SQLITE_BUSY`), and an in-memory
 * database's only connection would be taken from concurrent calls.
 */
async function lockedAttempt(
  db: QueryDatabase,
  meta: TableMeta,
  key: RowKey,
  fn: (row: Record<string, unknown>, attempt: number) => unknown,
  attempt: number,
  options: WriteOptions,
  inCallersTransaction = false,
): Promise<Record<string, unknown>> {
  const underLock = async (tx: QueryDatabase) => {
    const row = await readLocked(tx, meta, key);
    return writeUnderLock(tx, meta, row, await fn(row, attempt), options);
  };
  if (inCallersTransaction || !meta.adapter.locksRows) return underLock(db);
  return inTransaction(db, underLock, meta.adapter, 'versionedModify');
}

/**
 * The checked write of `changes` on `row`, a row read plainly or handed over by the previous
 * turn: the stored row, or the conflict thrown. Without RETURNING (MySQL) and where the stored
 * row follows from `row` (see `writeKnownRow`), one plain UPDATE instead of the write with its
 * read-back.
 */
async function write(db: QueryDatabase, meta: TableMeta, row: Record<string, unknown>, changes: unknown, options: WriteOptions): Promise<Record<string, unknown>> {
  const known = await writeKnownRow(db, meta, row, changes, options, false);
  if (known) return known;
  const outcome = await updateChecked(db, meta, row, changes, options);
  if (outcome.ok) return outcome.row;
  throw outcome.error;
}

/** `select … where pk = ?` (no lock, even on MySQL: a cold key's read); a missing row is a `RecordDeletedError`. */
async function readPlain(db: QueryDatabase, meta: TableMeta, key: RowKey): Promise<Record<string, unknown>> {
  const prepared = cachedStatement(db, meta.table, 'modify-read', () =>
    meta.adapter.prepare(db.select().from(meta.table).where(keyWhere(meta, false, placeholderSlot)), statementName()),
  );
  return found(meta, key, await meta.adapter.runSelect(prepared, keySlotValues(meta, key)));
}

/**
 * The adapter's locking read by primary key (PostgreSQL `for update of`, MySQL `force index
 * (primary) … for update`, SQLite a plain select inside the write transaction).
 */
async function readLocked(db: QueryDatabase, meta: TableMeta, key: RowKey): Promise<Record<string, unknown>> {
  const prepared = cachedStatement(db, meta.table, 'modify-read-locked', () =>
    meta.adapter.prepare(
      meta.adapter.selectForUpdate(db, meta.table, meta.columns).where(keyWhere(meta, false, placeholderSlot)),
      statementName(),
    ),
  );
  return found(meta, key, await meta.adapter.runSelect(prepared, keySlotValues(meta, key)));
}

function found(meta: TableMeta, key: RowKey, rows: Record<string, unknown>[]): Record<string, unknown> {
  const row = rows[0];
  if (row) return row;
  // Missing at the read: no version was expected, and no write was refused (onConflict is not called).
  throw new RecordDeletedError({ table: meta.name, key, expectedVersion: undefined, versionKey: meta.version.key });
}

function checkOptions(options: ModifyOptions): Policy {
  if (options === null || typeof options !== 'object') {
    throw new ConfigurationError(`versionedModify options must be an object, got ${describeValue(options)}`);
  }
  const { attempts = 10, backoffMs = 1, retryTransient = false, lock = 'auto', check, increment } = options;
  if (typeof attempts !== 'number' || !Number.isSafeInteger(attempts) || attempts < 1) {
    throw new ConfigurationError(`versionedModify attempts must be a positive integer, got ${describeValue(attempts)}`);
  }
  if (typeof backoffMs !== 'function' && !(typeof backoffMs === 'number' && Number.isFinite(backoffMs) && backoffMs >= 0)) {
    throw new ConfigurationError(`versionedModify backoffMs must be a non-negative number of milliseconds or a function, got ${describeValue(backoffMs)}`);
  }
  if (typeof retryTransient !== 'boolean') {
    throw new ConfigurationError(`versionedModify retryTransient must be a boolean, got ${describeValue(retryTransient)}`);
  }
  if (lock !== 'auto' && lock !== 'always' && lock !== 'never') {
    throw new ConfigurationError(`versionedModify lock must be 'auto', 'always' or 'never', got ${describeValue(lock)}`);
  }
  const write: WriteOptions = {};
  if (check !== undefined) write.check = check;
  if (increment !== undefined) write.increment = increment;
  return { attempts, backoffMs, retryTransient, lock, write };
}

/** Pause after failed `attempt`: none after the first (the retry starts from `error.current`). */
function backoff(option: ModifyOptions['backoffMs'], attempt: number): number {
  if (typeof option === 'function') return option(attempt);
  if (!option || attempt < 2) return 0;
  return Math.random() * option * 2 ** Math.min(attempt - 2, 10);
}
