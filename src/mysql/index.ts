/**
 * `drizzle-concurrency/mysql-core`: version column builders for `mysqlTable`.
 * @example
 * import { mysqlTable, int } from 'drizzle-orm/mysql-core'
 * import { integerVersion } from 'drizzle-concurrency/mysql-core'
 * export const accounts = mysqlTable('accounts', { id: int().autoincrement().primaryKey(), version: integerVersion() })
 */
export { conditionalVersion, integerVersion, timestampVersion, triggerVersion } from './mysql-version-columns.js';
export type { ConditionalVersionOptions, TriggerVersionOptions } from '../schema/version-builders.js';
