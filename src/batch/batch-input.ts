import { describeValue } from '../describe-value.js';
import { ConcurrencyError, ConfigurationError } from '../errors.js';
import type { TableMeta } from '../schema/table-meta.js';

/** `items` as an array; a `ConfigurationError` naming the table and the call when it is not one. */
export function batchArray(meta: TableMeta, call: string, items: unknown, shape: string): readonly unknown[] {
  if (Array.isArray(items)) return items;
  throw new ConfigurationError(`${call} on "${meta.name}" takes an array of ${shape}, got ${describeValue(items)}`);
}

/**
 * The `{ target, changes }` of item `index` of a batch update: a `ConfigurationError` naming
 * the table and the index for anything else (`null`, no target, no changes).
 */
export function updateItem(meta: TableMeta, item: unknown, index: number): { target: unknown; changes: unknown } {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new ConfigurationError(`versionedUpdateMany on "${meta.name}": item ${index} must be { target, changes }, got ${describeValue(item)}`);
  }
  const { target, changes } = item as { target?: unknown; changes?: unknown };
  if (target === undefined) throw new ConfigurationError(`versionedUpdateMany on "${meta.name}": item ${index} has no target`);
  if (changes === undefined) {
    throw new ConfigurationError(`versionedUpdateMany on "${meta.name}": item ${index} has no changes (pass {} to touch the row)`);
  }
  return { target, changes };
}

/**
 * Runs `read` for item `index` of a batch; a library error it throws (a bad target, key,
 * version or change) says which item, keeping its class and fields.
 */
export function atItem<R>(meta: TableMeta, index: number, read: () => R): R {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConcurrencyError && !error.message.startsWith('batch item')) {
      error.message = `batch item ${index} of "${meta.name}": ${error.message}`;
    }
    throw error;
  }
}
