import type { CodegenDialect } from './codegen-dialect.js';
import { mysqlCodegen } from './mysql/mysql-dialect.js';
import { pgCodegen } from './pg/pg-dialect.js';
import { sqliteCodegen } from './sqlite/sqlite-dialect.js';

export type { CodegenDialect, LiveConnection, TableConfigParts } from './codegen-dialect.js';

/** Every dialect the codegen speaks: one record each, under its own folder. */
export const CODEGEN_DIALECTS: readonly CodegenDialect[] = [pgCodegen, mysqlCodegen, sqliteCodegen];

/** The one dialect map: drizzle-kit's `dialect` (config or journal) → the codegen's record. */
const BY_KIT_NAME: ReadonlyMap<string, CodegenDialect> = new Map(CODEGEN_DIALECTS.flatMap((d) => d.kitNames.map((name) => [name, d] as const)));

/** The drizzle-kit `dialect` values the codegen answers to, for messages. */
export const KIT_DIALECT_NAMES: readonly string[] = [...BY_KIT_NAME.keys()];

/**
 * The record of a drizzle-kit `dialect` value, or `undefined` when the codegen does not speak it.
 * @example
 * dialectOfKit('turso')?.name // 'sqlite'
 * dialectOfKit('singlestore') // undefined
 */
export function dialectOfKit(kitName: string): CodegenDialect | undefined {
  return BY_KIT_NAME.get(kitName);
}
