// created once by drizzle-concurrency generate from drizzle.config.ts — yours to edit: generate never overwrites this file
import { createClient } from '@libsql/client';
import { type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';

/** One connection for one test suite; `raw` runs SQL outside the library, as the sqlite3 shell would. */
export async function connect() {
  const client = createClient({ url: process.env['DATABASE_URL'] ?? "file:.tmp/main.db" });
  const db = drizzle(client);
  return { db, raw: async (query: SQL) => void (await db.run(query)), close: async () => client.close() };
}

export type Connection = Awaited<ReturnType<typeof connect>>;
