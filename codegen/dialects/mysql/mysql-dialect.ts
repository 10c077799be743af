import { getTableConfig } from 'drizzle-orm/mysql-core';
import type { MySqlTable } from 'drizzle-orm/mysql-core';
import { mysqlTriggerDdl } from '../../../src/mysql/mysql-trigger-ddl.js';
import type { CodegenDialect } from '../codegen-dialect.js';
import { AUTO_INCREMENT_COUNTERS } from './mysql-counters.js';

/**
 * MySQL and MariaDB (drizzle-kit `mysql`): one namespace per database, the generated tests and
 * `triggers` connect with mysql2, and the harness puts back the AUTO_INCREMENT values a
 * rolled-back insert moved.
 * @example
 * mysqlCodegen.snapshotKeys({ schema: undefined, table: 'items' }) // ['items']
 */
export const mysqlCodegen: CodegenDialect = {
  name: 'mysql',
  kitNames: ['mysql'],
  core: 'mysql-core',
  tableConfig: (table) => getTableConfig(table as MySqlTable),
  snapshotKeys: (spec) => [spec.table],
  listedSchema: () => undefined,
  triggers: mysqlTriggerDdl,
  triggerNameScope: 'MySQL/MariaDB trigger names are per database',
  setup: {
    imports: `import { type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';`,
    client: 'the mysql client',
    connect: (noUrl) => `  if (url === undefined && 'url' in credentials) ${noUrl};
  const pool = mysql.createPool(url !== undefined ? { uri: url, connectionLimit: 1 } : { ...(credentials as mysql.PoolOptions), connectionLimit: 1 });
  const db = drizzle(pool, options);
  return { db, raw: async (query: SQL) => void (await db.execute(query)), close: () => pool.end() };`,
  },
  harness: { columnType: 'AnyMySqlColumn', run: 'execute', counters: AUTO_INCREMENT_COUNTERS },
  async connect(credentials, url) {
    const mysql = await import('mysql2/promise');
    const connection = url ? await mysql.createConnection(url) : await mysql.createConnection(credentials as object);
    return {
      run: async (s) => void (await connection.query(s)),
      rows: async (q) => (await connection.query(q))[0] as Record<string, unknown>[],
      close: () => connection.end(),
    };
  },
};
