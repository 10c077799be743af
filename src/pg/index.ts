/**
 * `drizzle-concurrency/pg-core`: version column builders for `pgTable`.
 * @example
 * import { pgTable, serial, integer } from 'drizzle-orm/pg-core'
 * import { integerVersion } from 'drizzle-concurrency/pg-core'
 * export const accounts = pgTable('accounts', { id: serial().primaryKey(), balance: integer(), version: integerVersion() })
 */
export { conditionalVersion, integerVersion, timestampVersion, triggerVersion } from './pg-version-columns.js';
export type { ConditionalVersionOptions, TriggerVersionOptions } from '../schema/version-builders.js';
