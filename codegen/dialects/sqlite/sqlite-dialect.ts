import { getTableConfig } from 'drizzle-orm/sqlite-core';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { sqliteTriggerDdl } from '../../../src/sqlite/sqlite-trigger-ddl.js';
import type { CodegenDialect } from '../codegen-dialect.js';

/**
 * SQLite and libSQL (drizzle-kit `sqlite` and `turso`): one namespace per database file, the
 * generated tests and `triggers` connect with @libsql/client, which needs `dbCredentials.url`.
 * @example
 * sqliteCodegen.triggers.drop({ schema: undefined, table: 'items', name: 'concurrency_items_version' })
 * // ['drop trigger if exists "concurrency_items_version"']
 */
export const sqliteCodegen: CodegenDialect = {
  name: 'sqlite',
  kitNames: ['sqlite', 'turso'],
  core: 'sqlite-core',
  tableConfig: (table) => getTableConfig(table as SQLiteTable),
  snapshotKeys: (spec) => [spec.table],
  listedSchema: () => undefined,
  triggers: sqliteTriggerDdl,
  triggerNameScope: 'SQLite trigger names are per database, case-insensitive',
  setup: {
    imports: `import { createClient } from '@libsql/client';
import { type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';`,
    client: 'the sqlite3 shell',
    connect: (noUrl) => `  if (url === undefined) ${noUrl};
  const authToken = credentials['authToken'];
  const client = createClient(typeof authToken === 'string' ? { url, authToken } : { url });
  const db = drizzle(client, options);
  return { db, raw: async (query: SQL) => void (await db.run(query)), close: async () => client.close() };`,
  },
  harness: { columnType: 'AnySQLiteColumn', run: 'run' },
  async connect(credentials, url) {
    const { createClient } = await import('@libsql/client');
    if (!url) throw new Error('dbCredentials.url is required for SQLite/libSQL');
    const client = createClient({ url, authToken: credentials['authToken'] as string | undefined });
    return {
      run: async (s) => void (await client.execute(s)),
      rows: async (q) => (await client.execute(q)).rows.map((r) => ({ ...r })) as Record<string, unknown>[],
      close: async () => client.close(),
    };
  },
};
