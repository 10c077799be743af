import { ConfigurationError, VersionError, formatKey, type RowKey } from '../errors.js';
import { describeValue } from '../describe-value.js';
import { keyValueProblem, normaliseKeyValue } from './key-value.js';
import type { TableMeta } from '../schema/table-meta.js';
import { isVersion } from '../schema/version-number.js';

/**
 * The primary-key values of `target`. `ConfigurationError` naming table, field and value when
 * one is missing or is not a value of its column (see `key-value.ts`): such a key never reaches SQL.
 */
export function readKey(meta: TableMeta, target: unknown): RowKey {
  if (target === null || typeof target !== 'object') {
    throw new ConfigurationError(`target for "${meta.name}" must be an object holding its primary key and version, got ${describeValue(target)}`);
  }
  const key: RowKey = {};
  for (const { key: field, column } of meta.primaryKey) {
    const value = (target as Record<string, unknown>)[field];
    if (value === undefined || value === null) {
      throw new ConfigurationError(`target for "${meta.name}" has no value for primary key "${field}"`);
    }
    const problem = keyValueProblem(meta.adapter, column, value);
    if (problem !== undefined) {
      throw new ConfigurationError(`target for "${meta.name}": primary key "${field}" ${problem}, got ${describeValue(value)}`);
    }
    key[field] = normaliseKeyValue(value);
  }
  return key;
}

/**
 * The version `target` holds: a positive safe integer, or `undefined` when absent.
 * Anything else (NaN, strings, bigints, fractions, 0, negatives) is a `VersionError`.
 */
export function readVersion(meta: TableMeta, target: object, key: RowKey): number | undefined {
  const value = (target as Record<string, unknown>)[meta.version.key];
  if (value === undefined || value === null) return undefined;
  if (isVersion(value)) return value;
  throw new VersionError(
    `version of "${meta.name}" (${formatKey(key)}) must be a positive integer, got ${describeValue(value)}`,
    value,
  );
}

/** Throws `VersionError` for a missing version when checks require one. */
export function requireVersion(meta: TableMeta, key: RowKey): never {
  throw new VersionError(
    `target for "${meta.name}" (${formatKey(key)}) has no version "${meta.version.key}": read the row first, or configureConcurrency({ versionRequired: false })`,
    undefined,
  );
}
