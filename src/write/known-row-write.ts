import { bumpFor } from './bump.js';
import type { QueryDatabase } from '../dialect/query-database.js';
import { conflictError } from './conflict.js';
import { readRow } from './row-reader.js';
import type { TableMeta } from '../schema/table-meta.js';
import { runUpdate, slotValues, type UpdateShape } from './update-statement.js';
import { autoValues, splitChanges, writeRequest, type WriteOptions } from './write-request.js';

/**
 * The checked write of `changes` on `row`, a row just read, without reading the row back where
 * the dialect has no RETURNING (MySQL) and the stored row follows from `row` exactly: every
 * changed value is an integer inside its column's range or `null` (stored as given), no
 * `$onUpdate`, generated or `on update now()` column, no SQL expression, and the version moves
 * by exactly one. Which rows that proves:
 * - `locked`: `row` was read under the row lock of the transaction `db` runs, so nobody changed
 *   it since (`versionedModify`'s locked path). A write that does not move the version is known too.
 * - unlocked: the version check proves the row still holds `row`'s version, and a version that
 *   moves on every write (integer, or a trigger version without `checkFields`: not a timestamp,
 *   which two writes can share, nor a conditional version) then proves nothing else changed;
 *   every write moves it, plain Drizzle updates and, with the triggers, SQL from outside too.
 *   A conflict costs one read for its error, as `versionedUpdate`'s does.
 * Resolves `undefined`, having sent nothing (or, `locked`, a write that counted no row where the
 * driver counts changed rows), when the stored row does not follow: then the caller writes with
 * the read-back.
 *
 * MySQL: `update … set …, version = version + 1 where id = ? and version = ?`, and nothing else
 * on success (a conflict: `select … where id = ?`)
 * @example
 * const stored = (await writeKnownRow(db, meta, row, { n: row.n + 1 }, {}, false)) ?? (await writeWithReadBack())
 */
export async function writeKnownRow(
  db: QueryDatabase,
  meta: TableMeta,
  row: Record<string, unknown>,
  changes: unknown,
  options: WriteOptions,
  locked: boolean,
): Promise<Record<string, unknown> | undefined> {
  if (meta.adapter.supportsReturning || meta.onUpdateKeys.length > 0 || meta.computedKeys.length > 0) return undefined;
  if (!locked && (meta.version.kind === 'timestamp' || meta.watchedKeys !== undefined)) return undefined;
  const request = writeRequest(meta, row, options);
  const split = splitChanges(meta, changes);
  const bump = bumpFor(meta, split.keys, request.increment);
  const known = locked ? bump.type === 'increment' || bump.type === 'none' : bump.type === 'increment' && request.check;
  if (!known || request.unmatchable || !exactValues(meta, split.keys, split.plain, Object.keys(split.embedded).length)) return undefined;
  const auto = autoValues(meta, split.keys);
  const shape: UpdateShape = { changeKeys: split.keys, autoKeys: auto.keys, check: request.check, bump, returning: false };
  const values = slotValues(shape, { changes: split.plain, auto: auto.plain, key: request.key, expected: request.expected }, meta);
  const { count } = await runUpdate(db, meta, shape, {}, values);
  if (count > 0) {
    const version = row[meta.version.key] as number;
    return { ...row, ...split.plain, [meta.version.key]: bump.type === 'increment' ? version + 1 : version };
  }
  if (locked) {
    // Under the lock a checked update of the row just read matches, unless the driver counts changed rows (-FOUND_ROWS).
    if (!meta.adapter.affectedRowsMayMissUnchanged) throw conflictError(meta, request.key, request.expected, row);
    return undefined;
  }
  // The version moves: a changed row is always counted, so no row counted is a conflict.
  throw conflictError(meta, request.key, request.expected, await readRow(db, meta, request.key));
}

function exactValues(meta: TableMeta, keys: readonly string[], plain: Record<string, unknown>, embedded: number): boolean {
  if (embedded > 0) return false;
  return keys.every((key) => {
    const value = plain[key];
    if (value === null) return !meta.columns[key]!.notNull;
    const range = meta.adapter.integerRange(meta.columns[key]!);
    return range !== undefined && typeof value === 'number' && Number.isSafeInteger(value) && value >= range.min && value <= range.max && !Object.is(value, -0);
  });
}
