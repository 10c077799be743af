import { RecordDeletedError, RecordModifiedError } from './errors.js';

/** Options of {@link retryOnConflict}. */
export interface RetryOptions {
  /** How many times `fn` runs at most. Default 3. */
  attempts?: number;
  /**
   * Pause before a retry: a number is the base of an exponential backoff with full jitter
   * (`random(0, base · 2^(attempt-1))` ms); a function gets the attempt that failed (1-based).
   */
  backoffMs?: number | ((attempt: number) => number);
}

/**
 * Re-runs a read-modify-write `fn` when it throws `RecordModifiedError` (never on
 * `RecordDeletedError`); rethrows after the last attempt. `fn` gets the attempt number (1-based).
 * It sends no SQL of its own.
 * @example
 * await retryOnConflict(async () => {
 *   const [row] = await db.select().from(accounts).where(eq(accounts.id, 1))
 *   await versionedUpdate(db, accounts, row!, { balance: row!.balance + 1 })
 * }, { attempts: 5, backoffMs: 5 })
 */
export async function retryOnConflict<R>(fn: (attempt: number) => Promise<R>, options: RetryOptions = {}): Promise<R> {
  const attempts = options.attempts ?? 3;
  if (!(attempts >= 1)) throw new RangeError(`retryOnConflict attempts must be at least 1, got ${attempts}`);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const retryable = error instanceof RecordModifiedError && !(error instanceof RecordDeletedError);
      if (!retryable || attempt >= attempts) throw error;
      const pause = backoff(options.backoffMs, attempt);
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

function backoff(option: RetryOptions['backoffMs'], attempt: number): number {
  if (option === undefined) return 0;
  if (typeof option === 'function') return option(attempt);
  return Math.random() * option * 2 ** Math.min(attempt - 1, 10);
}
