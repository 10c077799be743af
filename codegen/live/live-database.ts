import type { DialectName } from '../../src/dialect/dialect-adapter.js';
import { CodegenError } from '../codegen-error.js';
import { shown, type CodegenConfig } from '../config/load-config.js';

/** A raw connection to the config's live database: run one statement, or a query for rows. */
export interface LiveDatabase {
  dialect: DialectName;
  run(statement: string): Promise<void>;
  rows(query: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Opens the database named by the config's `dbCredentials` with the dialect's usual driver. */
export async function openLiveDatabase(config: CodegenConfig): Promise<LiveDatabase> {
  const creds = config.dbCredentials;
  if (!creds) throw new CodegenError('the config has no dbCredentials', { file: shown(config.file) });
  const url = typeof creds['url'] === 'string' ? creds['url'] : undefined;
  try {
    if (config.dialect === 'pg') {
      const { default: postgres } = await import('postgres');
      const sql = url ? postgres(url, { max: 1, onnotice: () => {} }) : postgres({ ...(creds as object), max: 1, onnotice: () => {} });
      await sql`select 1`;
      return {
        dialect: 'pg',
        run: async (s) => void (await sql.unsafe(s)),
        rows: async (q) => [...(await sql.unsafe(q))] as Record<string, unknown>[],
        close: () => sql.end(),
      };
    }
    if (config.dialect === 'mysql') {
      const mysql = await import('mysql2/promise');
      const connection = url ? await mysql.createConnection(url) : await mysql.createConnection(creds as object);
      return {
        dialect: 'mysql',
        run: async (s) => void (await connection.query(s)),
        rows: async (q) => (await connection.query(q))[0] as Record<string, unknown>[],
        close: () => connection.end(),
      };
    }
    const { createClient } = await import('@libsql/client');
    if (!url) throw new Error('dbCredentials.url is required for SQLite/libSQL');
    const client = createClient({ url, authToken: creds['authToken'] as string | undefined });
    return {
      dialect: 'sqlite',
      run: async (s) => void (await client.execute(s)),
      rows: async (q) => (await client.execute(q)).rows.map((r) => ({ ...r })) as Record<string, unknown>[],
      close: async () => client.close(),
    };
  } catch (error) {
    if (error instanceof CodegenError) throw error;
    throw new CodegenError(`cannot connect to the database of the config: ${(error as Error).message}`, { file: shown(config.file) }, { cause: error });
  }
}
