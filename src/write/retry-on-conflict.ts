import { describeValue } from '../describe-value.js';
import { ConfigurationError, RecordDeletedError, RecordModifiedError } from '../errors.js';
import { isTransientError } from '../transaction/transient-error.js';

/** Options of {@link retryOnConflict}. */
export interface RetryOptions {
  /** How many times `fn` runs at most: a positive integer. Default 3. */
  attempts?: number;
  /**
   * Pause before a retry: a number is the base of an exponential backoff with full jitter
   * (`random(0, base · 2^(attempt-1))` ms); a function gets the attempt that failed (1-based).
   */
  backoffMs?: number | ((attempt: number) => number);
  /**
   * Also retry transient database errors, as {@link isTransientError} classifies them
   * (serialization failure, deadlock, lock wait timeout, `SQLITE_BUSY`). Default `false`:
   * they are rethrown at once, as the driver raised them.
   */
  retryTransient?: boolean;
}

/**
 * Re-runs a read-modify-write `fn` when it throws `RecordModifiedError` (never on
 * `RecordDeletedError`), and with `retryTransient: true` also on a transient database error;
 * rethrows the last error after the last attempt. `fn` gets the attempt number (1-based).
 * It sends no SQL of its own. Bad options are a `ConfigurationError` before `fn` runs.
 *
 * Retry from `error.current` rather than reading the row again: it is the row the conflict
 * was decided on, read from the primary, so a lagging replica cannot make the retry stale.
 * @example
 * let row = (await db.select().from(accounts).where(eq(accounts.id, 1)))[0]!
 * await retryOnConflict(async () => {
 *   try {
 *     return await versionedUpdate(db, accounts, row, { balance: row.balance + 1 })
 *   } catch (e) {
 *     if (e instanceof RecordModifiedError && e.current) row = e.current
 *     throw e
 *   }
 * }, { attempts: 5, backoffMs: 5, retryTransient: true })
 */
export async function retryOnConflict<R>(fn: (attempt: number) => Promise<R>, options: RetryOptions = {}): Promise<R> {
  const { attempts, retryTransient } = checkOptions(options);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const conflict = error instanceof RecordModifiedError && !(error instanceof RecordDeletedError);
      const retryable = conflict || (retryTransient && !(error instanceof RecordModifiedError) && isTransientError(error));
      if (!retryable || attempt >= attempts) throw error;
      const pause = backoff(options.backoffMs, attempt);
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

function checkOptions(options: RetryOptions): { attempts: number; retryTransient: boolean } {
  if (options === null || typeof options !== 'object') {
    throw new ConfigurationError(`retryOnConflict options must be an object, got ${String(options)}`);
  }
  const { attempts = 3, backoffMs, retryTransient = false } = options;
  if (typeof attempts !== 'number' || !Number.isSafeInteger(attempts) || attempts < 1) {
    throw new ConfigurationError(`retryOnConflict attempts must be a positive integer, got ${describeValue(attempts)}`);
  }
  if (backoffMs !== undefined && typeof backoffMs !== 'function' && !(typeof backoffMs === 'number' && Number.isFinite(backoffMs) && backoffMs >= 0)) {
    throw new ConfigurationError(`retryOnConflict backoffMs must be a non-negative number of milliseconds or a function, got ${describeValue(backoffMs)}`);
  }
  if (typeof retryTransient !== 'boolean') {
    throw new ConfigurationError(`retryOnConflict retryTransient must be a boolean, got ${describeValue(retryTransient)}`);
  }
  return { attempts, retryTransient };
}

function backoff(option: RetryOptions['backoffMs'], attempt: number): number {
  if (option === undefined) return 0;
  if (typeof option === 'function') return option(attempt);
  return Math.random() * option * 2 ** Math.min(attempt - 1, 10);
}
