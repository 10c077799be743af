/**
 * `drizzle-concurrency`: optimistic locking for Drizzle ORM. Dialect-neutral runtime —
 * checked writes, errors, scopes and configuration. Version column builders live in
 * `drizzle-concurrency/pg-core`, `/mysql-core` and `/sqlite-core`.
 * @example
 * import { versionedUpdate, RecordModifiedError } from 'drizzle-concurrency'
 * const saved = await versionedUpdate(db, accounts, row, { balance: 10 })
 * // update "accounts" set "balance" = $1, "version" = "accounts"."version" + 1
 * //   where "accounts"."id" = $2 and "accounts"."version" = $3 returning …
 */
export { applyConcurrencyCheck } from './schema/apply-concurrency-check.js';
export { configureConcurrency, type ConcurrencyConfig } from './config/config.js';
export {
  ConcurrencyError,
  ConfigurationError,
  RecordDeletedError,
  RecordModifiedError,
  VersionError,
  type RowKey,
} from './errors.js';
export { isChanged } from './write/is-changed.js';
export { retryOnConflict, type RetryOptions } from './write/retry-on-conflict.js';
export { disableConcurrency, disableIncrement } from './config/scope.js';
export { isTransientError } from './transaction/transient-error.js';
export {
  getVersionColumn,
  isVersionColumn,
  type VersionColumnInfo,
  type VersionKind,
  type VersionOptions,
} from './schema/version-column.js';
export { versionedDelete } from './write/versioned-delete.js';
export { versionedModify, type ModifyFn, type ModifyOptions } from './write/versioned-modify.js';
export { versionedDeleteMany, type DeleteManyResult } from './batch/versioned-delete-many.js';
export { versionedUpdateMany, type BatchOptions, type UpdateManyResult } from './batch/versioned-update-many.js';
export {
  tryVersionedUpdate,
  versionedUpdate,
  type ChangesOf,
  type RowOf,
  type TargetOf,
  type NoRowOptions,
  type UpdateOutcome,
  type WrittenOf,
} from './write/versioned-update.js';
export type { WriteOptions } from './write/write-request.js';
export type { ColumnKeyOf, DatabaseFor, KeyOf, PrimaryKeyOf, VersionKeyOf, VersionNumber, WritableKeyOf } from './schema/table-types.js';
export {
  PreconditionRequiredError,
  conflictBody,
  conflictResponse,
  createVersionSigner,
  diffRecords,
  identity,
  parseIdentity,
  parseIfMatch,
  requireIfMatch,
  versionETag,
  type ConflictBody,
  type ConflictBodyOptions,
  type ConflictResponseOptions,
  type DiffOptions,
  type FieldDiff,
  type IfMatchHeader,
  type VersionSigner,
  type VersionSignerOptions,
} from './http/index.js';
