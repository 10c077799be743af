import { getTableConfig } from 'drizzle-orm/pg-core';
import type { PgTable } from 'drizzle-orm/pg-core';
import { pgTriggerDdl } from '../../../src/pg/pg-trigger-ddl.js';
import type { CodegenDialect } from '../codegen-dialect.js';

/**
 * PostgreSQL (drizzle-kit `postgresql`): tables and triggers live in schemas (`public` when
 * unnamed), the generated tests and `triggers` connect with postgres.js.
 * @example
 * pgCodegen.snapshotKeys({ schema: undefined, table: 'items' }) // ['public.items', 'items']
 */
export const pgCodegen: CodegenDialect = {
  name: 'pg',
  kitNames: ['postgresql'],
  core: 'pg-core',
  tableConfig: (table) => getTableConfig(table as PgTable),
  // drizzle-kit keys tables `schema.table`; an unnamed schema is `public` (older snapshots: the bare name).
  snapshotKeys: (spec) => [`${spec.schema ?? 'public'}.${spec.table}`, ...(spec.schema ? [] : [spec.table])],
  listedSchema: (spec) => spec.schema ?? 'public',
  triggers: pgTriggerDdl,
  triggerNameScope: 'PostgreSQL names the trigger function after it, one per schema',
  setup: {
    imports: `import { type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';`,
    client: 'psql',
    connect: (noUrl) => `  if (url === undefined && 'url' in credentials) ${noUrl};
  const client = url !== undefined ? postgres(url, { max: 1, onnotice: () => {} }) : postgres({ ...(credentials as postgres.Options<{}>), max: 1, onnotice: () => {} });
  const db = drizzle(client, options);
  return { db, raw: async (query: SQL) => void (await db.execute(query)), close: () => client.end() };`,
  },
  harness: { columnType: 'AnyPgColumn', run: 'execute' },
  async connect(credentials, url) {
    const { default: postgres } = await import('postgres');
    const sql = url ? postgres(url, { max: 1, onnotice: () => {} }) : postgres({ ...(credentials as object), max: 1, onnotice: () => {} });
    await sql`select 1`;
    return {
      run: async (s) => void (await sql.unsafe(s)),
      rows: async (q) => [...(await sql.unsafe(q))] as Record<string, unknown>[],
      close: () => sql.end(),
    };
  },
};
