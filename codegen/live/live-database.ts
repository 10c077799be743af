import { CodegenError, shown } from '../codegen-error.js';
import type { CodegenConfig } from '../config/load-config.js';
import type { CodegenDialect, LiveConnection } from '../dialects/index.js';

/** A raw connection to the config's live database, with the record of its dialect. */
export interface LiveDatabase extends LiveConnection {
  dialect: CodegenDialect;
}

/**
 * Opens the database named by the config's `dbCredentials` with the dialect's usual driver
 * (postgres.js, mysql2, @libsql/client); a failure is a `CodegenError` naming the config.
 * @example
 * const db = await openLiveDatabase(await loadConfig())
 * await db.rows(db.dialect.triggers.list()) // PostgreSQL: select … from pg_trigger …
 */
export async function openLiveDatabase(config: CodegenConfig): Promise<LiveDatabase> {
  const creds = config.dbCredentials;
  if (!creds) throw new CodegenError('the config has no dbCredentials', { file: shown(config.file) });
  const url = typeof creds['url'] === 'string' ? creds['url'] : undefined;
  try {
    return { dialect: config.dialect, ...(await config.dialect.connect(creds, url)) };
  } catch (error) {
    throw new CodegenError(`cannot connect to the database of the config: ${(error as Error).message}`, { file: shown(config.file) }, { cause: error });
  }
}
