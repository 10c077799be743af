import type { RecordModifiedError, RowKey } from '../errors.js';
import { diffRecords, opaqueText, type FieldDiff } from './diff-records.js';
import { versionETag } from './etag.js';
import { isVersion } from '../schema/version-number.js';

/** The JSON body of {@link conflictResponse}. */
export interface ConflictBody {
  error: 'conflict';
  /** `deleted` when the row is gone (`RecordDeletedError`), else `modified`. */
  reason: 'modified' | 'deleted';
  /** The error's one-sentence message. */
  message: string;
  /** SQL name of the table. */
  table: string;
  /** Primary-key values of the row. */
  key: RowKey;
  /** The version the client sent. */
  expectedVersion: number | null;
  /** The version stored now; `null` when the row is gone. */
  currentVersion: number | null;
  /** The row stored now; `null` when it is gone. */
  current: Record<string, unknown> | null;
  /** Fields where the submitted values (`mine`) differ from `current`; `[]` without `mine`. */
  diff: FieldDiff[];
}

/** Options of {@link conflictBody}. */
export interface ConflictBodyOptions {
  /** What the client submitted (the changes, or its whole edited row): the diff is computed against it. */
  mine?: object;
  /** More fields to leave out of the diff (the version is always left out). */
  ignore?: readonly string[];
}

/** Options of {@link conflictResponse}. */
export interface ConflictResponseOptions extends ConflictBodyOptions {
  /** 409 (default, a form or JSON API conflict) or 412 (a failed `If-Match`). A deleted row is always 410. */
  status?: number;
  /** Extra response headers. */
  headers?: HeadersInit;
}

/**
 * The plain-object report of a conflict (what {@link conflictResponse} sends), for bodies that
 * gather several, such as a list-editable batch's conflicts.
 * @example
 * const { conflicts } = await versionedUpdateMany(db, products, items, { policy: 'silent' })
 * return c.json({ conflicts: conflicts.map((e) => conflictBody(e)) })
 */
export function conflictBody(error: RecordModifiedError, options: ConflictBodyOptions = {}): ConflictBody {
  const current = error.current ?? null;
  const versionKey = error.versionKey ?? 'version';
  const stored = current?.[versionKey];
  return {
    error: 'conflict',
    reason: current === null ? 'deleted' : 'modified',
    message: error.message,
    table: error.table,
    key: error.key,
    expectedVersion: error.expectedVersion ?? null,
    currentVersion: isVersion(stored) ? stored : null,
    current,
    diff: options.mine && current ? diffRecords(options.mine, current, { versionKey, ignore: options.ignore ?? [] }) : [],
  };
}

/**
 * A Fetch API `Response` for a `RecordModifiedError` (works in Hono, Next.js route handlers,
 * Bun, Deno, workers): `content-type: application/json`, body
 * `{ error: 'conflict', reason, message, table, key, expectedVersion, currentVersion, current, diff }`,
 * and an `ETag` of the current version so the client can merge and retry with it.
 * Status: `status` (default 409; pass 412 for a failed `If-Match`), but always 410 Gone for a
 * `RecordDeletedError` (no current row, no `ETag`). `diff` compares `mine` (what the client
 * submitted; the error only knows the stored row) with `current`, version left out; without
 * `mine` it is `[]`. Bigint values are sent as decimal strings; Drizzle `sql` values and columns
 * in `mine` are left out of the diff (and would be sent as `"[sql]"` / `"[column \"name\"]"`).
 * @example
 * try { return c.json(await versionedUpdate(db, products, { id, version }, changes)) }
 * catch (e) { if (e instanceof RecordModifiedError) return conflictResponse(e, { status: 412, mine: changes }); throw e }
 * // 412 ETag: "4" {"error":"conflict","table":"products","key":{"id":7},"expectedVersion":3,"currentVersion":4,…}
 */
export function conflictResponse(error: RecordModifiedError, options: ConflictResponseOptions = {}): Response {
  const body = conflictBody(error, options);
  const headers = new Headers(options.headers);
  headers.set('content-type', 'application/json');
  if (body.currentVersion !== null) headers.set('etag', versionETag(body.currentVersion));
  const status = body.reason === 'deleted' ? 410 : (options.status ?? 409);
  return new Response(JSON.stringify(jsonSafe(body, [])), { status, headers });
}

/**
 * `value` ready for `JSON.stringify`: bigints as decimal text; Drizzle SQL, columns and circular
 * references as a short text (`[sql]`, `[column "balance"]`, `[circular]`) instead of a stack
 * overflow or a TypeError.
 */
function jsonSafe(value: unknown, ancestors: object[]): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  const opaque = opaqueText(value);
  if (opaque !== undefined) return opaque;
  if (ancestors.includes(value)) return '[circular]';
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return jsonSafe(toJSON.call(value), ancestors);
  const inner = [...ancestors, value];
  if (Array.isArray(value)) return value.map((item) => jsonSafe(item, inner));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = jsonSafe(v, inner);
  return out;
}
