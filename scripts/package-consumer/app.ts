// A consumer of the packed package (copied into an ESM and a CommonJS app by
// scripts/check-package.sh): the Drizzle types it passes must be the package's own.
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { pgTable, serial } from 'drizzle-orm/pg-core';
import { mysqlTable, int } from 'drizzle-orm/mysql-core';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { getVersionColumn, RecordModifiedError, versionedUpdate } from 'drizzle-concurrency';
import { integerVersion } from 'drizzle-concurrency/sqlite-core';
import { timestampVersion } from 'drizzle-concurrency/pg-core';
import { triggerVersion } from 'drizzle-concurrency/mysql-core';

const notes = sqliteTable('notes', { id: integer().primaryKey(), body: text().notNull(), version: integerVersion() });
const pgNotes = pgTable('notes', { id: serial().primaryKey(), version: timestampVersion() });
const myNotes = mysqlTable('notes', { id: int().primaryKey(), version: triggerVersion() });

async function main(): Promise<void> {
  // @libsql/client ships ESM only: a CommonJS app loads it with import().
  const { createClient } = await import('@libsql/client');
  const db = drizzle(createClient({ url: ':memory:' }));
  await db.run('create table notes (id integer primary key, body text not null, version integer not null default 1)');
  await db.insert(notes).values({ id: 1, body: 'first' });
  const [row] = await db.select().from(notes).where(eq(notes.id, 1));
  if (!row) throw new Error('no row');
  const saved = await versionedUpdate(db, notes, row, { body: 'second' });
  const version: number = saved.version;
  try {
    await versionedUpdate(db, notes, row, { body: 'stale' });
    throw new Error('a stale write succeeded');
  } catch (error) {
    if (!(error instanceof RecordModifiedError)) throw error;
  }
  const kinds = [getVersionColumn(pgNotes)?.kind, getVersionColumn(myNotes)?.kind].join(',');
  if (version !== 2 || kinds !== 'timestamp,trigger') throw new Error(`unexpected: version ${version}, kinds ${kinds}`);
  console.log(`ok: version ${version}, stale write refused, kinds ${kinds}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
