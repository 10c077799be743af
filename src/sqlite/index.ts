/**
 * `drizzle-concurrency/sqlite-core`: version column builders for `sqliteTable`.
 * @example
 * import { sqliteTable, integer } from 'drizzle-orm/sqlite-core'
 * import { integerVersion } from 'drizzle-concurrency/sqlite-core'
 * export const accounts = sqliteTable('accounts', { id: integer().primaryKey(), version: integerVersion() })
 */
export { conditionalVersion, integerVersion, timestampVersion, triggerVersion } from './sqlite-version-columns.js';
export type { ConditionalVersionOptions, TriggerVersionOptions } from '../schema/version-builders.js';
