/**
 * Error classes of drizzle-concurrency. Every one extends {@link ConcurrencyError},
 * sets `name` and keeps `cause`.
 */

/** Primary-key values of one row, e.g. `{ id: 1 }` or `{ orgId: 2, slug: 'a' }`. */
export type RowKey = Record<string, unknown>;

/**
 * Base class of every error this library throws.
 * @example
 * try { await versionedUpdate(db, accounts, row, { balance: 10 }) }
 * catch (e) { if (e instanceof ConcurrencyError) console.warn(e.message) }
 */
export class ConcurrencyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConcurrencyError';
  }
}

/**
 * Formats a key as `id=1` or `org_id=2, slug='a'` for messages; a `Date` as its ISO text, so two
 * keys a few milliseconds apart never read the same (`String(date)` drops the milliseconds).
 * @example
 * formatKey({ at: new Date(100) }) // 'at=1970-01-01T00:00:00.100Z'
 */
export function formatKey(key: RowKey): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? `'${v}'` : keyPartText(v)}`)
    .join(', ');
}

function keyPartText(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  return String(value);
}

/**
 * The stored version differs from the one the caller read: someone else wrote first.
 * No SQL statement of the failed write took effect.
 * @example
 * // record modified: "accounts" (id=1) expected version 3, found 4
 * if (e instanceof RecordModifiedError) console.log(e.current)
 */
export class RecordModifiedError<Row = Record<string, unknown>> extends ConcurrencyError {
  /** SQL name of the table. */
  readonly table: string;
  /** Primary-key values of the row. */
  readonly key: RowKey;
  /** The version the caller expected to find. */
  readonly expectedVersion: number | undefined;
  /** The row as stored now (`null` when it is gone). */
  readonly current: Row | null;
  /** TS key of the table's version column, e.g. `'version'` (set by the library's writes). */
  readonly versionKey?: string;

  constructor(
    details: {
      table: string;
      key: RowKey;
      expectedVersion: number | undefined;
      current: Row | null;
      foundVersion?: number | undefined;
      versionKey?: string | undefined;
      message?: string;
    },
    options?: { cause?: unknown },
  ) {
    super(
      details.message ??
        `record modified: "${details.table}" (${formatKey(details.key)}) expected version ${String(details.expectedVersion)}, found ${String(details.foundVersion)}`,
      options,
    );
    this.name = 'RecordModifiedError';
    this.table = details.table;
    this.key = details.key;
    this.expectedVersion = details.expectedVersion;
    this.current = details.current;
    if (details.versionKey !== undefined) this.versionKey = details.versionKey;
  }
}

/**
 * The row no longer exists; `current` is `null`. Never re-created by the library.
 * @example
 * // record deleted: "accounts" (id=1) expected version 3, the row no longer exists
 */
export class RecordDeletedError extends RecordModifiedError<never> {
  constructor(
    details: { table: string; key: RowKey; expectedVersion: number | undefined; versionKey?: string | undefined },
    options?: { cause?: unknown },
  ) {
    super(
      {
        ...details,
        current: null,
        message: `record deleted: "${details.table}" (${formatKey(details.key)}) expected version ${String(details.expectedVersion)}, the row no longer exists`,
      },
      options,
    );
    this.name = 'RecordDeletedError';
  }
}

/**
 * A version value that cannot be used: missing, not a positive safe integer, a tampered
 * signed token or a malformed `If-Match` header. `value` holds what was given.
 * @example
 * // version of "accounts" (id=1) must be a positive integer, got NaN
 */
export class VersionError extends ConcurrencyError {
  readonly value: unknown;
  constructor(message: string, value: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VersionError';
    this.value = value;
  }
}

/**
 * The schema or a call is set up wrongly: a table without a version column, bad
 * `checkFields`, a version key inside `changes`, an object that is not a Drizzle db.
 * Raised before any SQL is sent.
 * @example
 * // "notes" has no version column: declare one with integerVersion() or applyConcurrencyCheck()
 */
export class ConfigurationError extends ConcurrencyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}
