// created once by drizzle-concurrency generate from drizzle.config.ts — yours to edit: generate never overwrites this file
import config from '../../drizzle.config.js';
import { createClient } from '@libsql/client';
import { type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';

/** The config's database, read when the tests run: no credential is written in this file. */
const { dbCredentials: credentials = {}, casing } = config as unknown as {
  dbCredentials?: Record<string, unknown>;
  casing?: 'snake_case' | 'camelCase';
};
const options = casing ? { casing } : {};
const url = typeof credentials['url'] === 'string' && credentials['url'] !== '' ? credentials['url'] : undefined;

/** One connection for one test suite; `raw` runs SQL outside the library, as the sqlite3 shell would. */
export async function connect() {
  if (url === undefined) throw new Error("drizzle.config.ts gives no dbCredentials.url (is the environment variable it reads set?)");
  const authToken = credentials['authToken'];
  const client = createClient(typeof authToken === 'string' ? { url, authToken } : { url });
  const db = drizzle(client, options);
  return { db, raw: async (query: SQL) => void (await db.run(query)), close: async () => client.close() };
}

export type Connection = Awaited<ReturnType<typeof connect>>;
