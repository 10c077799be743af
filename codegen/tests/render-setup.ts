import type { DialectName } from '../../src/dialect/dialect-adapter.js';

/** The first line of the user-owned modules: created once, never overwritten. */
export function ownedBanner(what: string): string {
  return `// created once by drizzle-concurrency generate ${what} — yours to edit: generate never overwrites this file`;
}

/**
 * The user-owned connection module of the generated tests. It holds no credential: it imports
 * the drizzle config (`configImport`, relative) and reads its `dbCredentials` and `casing` when
 * the tests run, so the URL, password or token stay wherever the config takes them from
 * (usually the environment). `connect()` opens one connection per suite.
 * @example
 * renderSetup('pg', '../../drizzle.config.js', 'drizzle.config.ts')
 * // import config from '../../drizzle.config.js'; … postgres(url, { max: 1 }) …
 */
export function renderSetup(dialect: DialectName, configImport: string, configName: string): string {
  const head = `${ownedBanner(`from ${configName}`)}
import config from '${configImport}';`;
  const read = `
/** The config's database, read when the tests run: no credential is written in this file. */
const { dbCredentials: credentials = {}, casing } = config as unknown as {
  dbCredentials?: Record<string, unknown>;
  casing?: 'snake_case' | 'camelCase';
};
const options = casing ? { casing } : {};
const url = typeof credentials['url'] === 'string' && credentials['url'] !== '' ? credentials['url'] : undefined;
`;
  const noUrl = () => `throw new Error(${JSON.stringify(`${configName} gives no dbCredentials.url (is the environment variable it reads set?)`)})`;
  if (dialect === 'pg') {
    return `${head}
import { type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
${read}
/** One connection for one test suite; \`raw\` runs SQL outside the library, as psql would. */
export async function connect() {
  if (url === undefined && 'url' in credentials) ${noUrl()};
  const client = url !== undefined ? postgres(url, { max: 1, onnotice: () => {} }) : postgres({ ...(credentials as postgres.Options<{}>), max: 1, onnotice: () => {} });
  const db = drizzle(client, options);
  return { db, raw: async (query: SQL) => void (await db.execute(query)), close: () => client.end() };
}

export type Connection = Awaited<ReturnType<typeof connect>>;
`;
  }
  if (dialect === 'mysql') {
    return `${head}
import { type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
${read}
/** One connection for one test suite; \`raw\` runs SQL outside the library, as the mysql client would. */
export async function connect() {
  if (url === undefined && 'url' in credentials) ${noUrl()};
  const pool = mysql.createPool(url !== undefined ? { uri: url, connectionLimit: 1 } : { ...(credentials as mysql.PoolOptions), connectionLimit: 1 });
  const db = drizzle(pool, options);
  return { db, raw: async (query: SQL) => void (await db.execute(query)), close: () => pool.end() };
}

export type Connection = Awaited<ReturnType<typeof connect>>;
`;
  }
  return `${head}
import { createClient } from '@libsql/client';
import { type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
${read}
/** One connection for one test suite; \`raw\` runs SQL outside the library, as the sqlite3 shell would. */
export async function connect() {
  if (url === undefined) ${noUrl()};
  const authToken = credentials['authToken'];
  const client = createClient(typeof authToken === 'string' ? { url, authToken } : { url });
  const db = drizzle(client, options);
  return { db, raw: async (query: SQL) => void (await db.run(query)), close: async () => client.close() };
}

export type Connection = Awaited<ReturnType<typeof connect>>;
`;
}
