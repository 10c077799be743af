import { defineConfig } from 'drizzle-kit';

/** The main job: the fixture schema on an embedded libSQL file. */
export default defineConfig({
  dialect: 'turso',
  schema: './fixtures/schema.ts',
  out: './fixtures/drizzle',
  dbCredentials: { url: process.env['LIBSQL_URL'] ?? 'file:.tmp/main.db' },
});
