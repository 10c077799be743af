import { concurrencyConfig } from '../config/config.js';
import { RecordDeletedError, RecordModifiedError, type RowKey } from '../errors.js';
import type { TableMeta } from '../schema/table-meta.js';

/**
 * The error for a write that matched no row: deleted when `current` is `null`, modified
 * otherwise. `onConflict` observes it before the caller sees it.
 */
export function conflictError(
  meta: TableMeta,
  key: RowKey,
  expectedVersion: number | undefined,
  current: Record<string, unknown> | null,
): RecordModifiedError {
  const error = current
    ? new RecordModifiedError({
        table: meta.name,
        key,
        expectedVersion,
        current,
        foundVersion: current[meta.version.key] as number | undefined,
        versionKey: meta.version.key,
      })
    : new RecordDeletedError({ table: meta.name, key, expectedVersion, versionKey: meta.version.key });
  concurrencyConfig().onConflict?.(error);
  return error;
}
