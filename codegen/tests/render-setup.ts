import type { DialectName } from '../../src/dialect-adapter.js';

/** The first line of the user-owned modules: created once, never overwritten. */
export function ownedBanner(what: string): string {
  return `// created once by drizzle-concurrency generate ${what} — yours to edit: generate never overwrites this file`;
}

/**
 * The user-owned connection module of the generated tests, from the config's `dbCredentials`
 * (`DATABASE_URL` overrides a URL). `connect()` opens one connection per suite.
 */
export function renderSetup(dialect: DialectName, credentials: Record<string, unknown> | undefined, configName: string): string {
  const url = typeof credentials?.['url'] === 'string' ? (credentials['url'] as string) : undefined;
  const target = url !== undefined ? `process.env['DATABASE_URL'] ?? ${JSON.stringify(url)}` : JSON.stringify(credentials ?? {});
  const head = ownedBanner(`from ${configName}`);
  if (dialect === 'pg') {
    return `${head}
import { type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';

/** One connection for one test suite; \`raw\` runs SQL outside the library, as psql would. */
export async function connect() {
  const client = ${url !== undefined ? `postgres(${target}, { max: 1, onnotice: () => {} })` : `postgres({ ...${target}, max: 1, onnotice: () => {} })`};
  const db = drizzle(client);
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

/** One connection for one test suite; \`raw\` runs SQL outside the library, as the mysql client would. */
export async function connect() {
  const pool = mysql.createPool(${url !== undefined ? `{ uri: ${target}, connectionLimit: 1 }` : `{ ...${target}, connectionLimit: 1 }`});
  const db = drizzle(pool);
  return { db, raw: async (query: SQL) => void (await db.execute(query)), close: () => pool.end() };
}

export type Connection = Awaited<ReturnType<typeof connect>>;
`;
  }
  return `${head}
import { createClient } from '@libsql/client';
import { type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';

/** One connection for one test suite; \`raw\` runs SQL outside the library, as the sqlite3 shell would. */
export async function connect() {
  const client = createClient({ url: ${target}${credentials?.['authToken'] ? `, authToken: ${JSON.stringify(credentials['authToken'])}` : ''} });
  const db = drizzle(client);
  return { db, raw: async (query: SQL) => void (await db.run(query)), close: async () => client.close() };
}

export type Connection = Awaited<ReturnType<typeof connect>>;
`;
}

/** The user-owned factory module: column values merged into the rows the tests insert. */
export function renderFactories(): string {
  return `${ownedBanner('for the conflict tests')}

/**
 * Column values the generated tests merge into each row they insert, per table ("name" or
 * "schema.name"): for column types the codegen cannot make up, checks and triggers of your own.
 * \`id\` is a number unique to the row.
 * @example
 * export const overrides = { products: (id: number) => ({ sku: \`SKU-\${id}\` }) }
 */
export const overrides: Record<string, (id: number) => object> = {};
`;
}
