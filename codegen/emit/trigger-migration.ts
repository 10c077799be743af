import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodegenDialect } from '../dialects/index.js';
import type { TriggerPlan } from '../plan/trigger-plan.js';
import type { PlannedFile } from './file-batch.js';
import { HEADER, STATE_PREFIX, snapshotName, type MigrationsFolder } from './migrations-folder.js';

/** drizzle-kit's statement separator: the migrator runs each chunk as ONE statement. */
export const BREAKPOINT = '\n--> statement-breakpoint\n';

/** The migration name this tool gives its custom migrations. */
export const MIGRATION_NAME = 'concurrency_triggers';

/**
 * The SQL text of a trigger migration: a two-line header (what generated it, and the trigger
 * state after it), then one statement per breakpoint chunk: drops first, then creates, in the
 * dialect's DDL.
 */
export function renderMigration(plan: TriggerPlan, sources: readonly string[], dialect: CodegenDialect): string {
  const statements = [...plan.drops.flatMap((s) => dialect.triggers.drop(s)), ...plan.creates.flatMap((s) => dialect.triggers.create(s))];
  const header = `${HEADER} ${sources.join(', ')} — do not edit\n${STATE_PREFIX}${JSON.stringify(plan.state)}\n`;
  return header + statements.join(BREAKPOINT) + '\n';
}

/**
 * The files of a new custom migration, exactly as `drizzle-kit generate --custom` lays them
 * out: `NNNN_<name>.sql`, `meta/NNNN_snapshot.json` (the last snapshot with a new id), and the
 * journal with one more entry (written last).
 */
export function migrationFiles(folder: MigrationsFolder, sql: string, now: number): PlannedFile[] {
  const entries = folder.journal.entries;
  const last = entries[entries.length - 1]!;
  const idx = entries.length;
  const tag = `${String(idx).padStart(4, '0')}_${MIGRATION_NAME}`;
  const { id: prevId, prevId: _unused, ...rest } = folder.lastSnapshot.json;
  const snapshot = { id: randomUUID(), prevId, ...rest };
  const journal = {
    ...folder.journal,
    entries: [...entries, { idx, version: last.version, when: Math.max(now, last.when + 1), tag, breakpoints: true }],
  };
  // What each file held when the folder was read: a new migration's files are absent, unless an
  // interrupted run of this tool left them (its .sql is an orphan); the journal is as read.
  const sqlPath = join(folder.out, `${tag}.sql`);
  const snapshotPath = join(folder.out, 'meta', snapshotName(tag));
  const ours = folder.orphans.includes(`${tag}.sql`);
  const held = (path: string) => (ours && existsSync(path) ? readFileSync(path, 'utf8') : null);
  return [
    { path: sqlPath, content: sql, before: held(sqlPath) },
    { path: snapshotPath, content: JSON.stringify(snapshot, null, 2), before: held(snapshotPath) },
    { path: folder.journalPath, content: JSON.stringify(journal, null, 2), before: folder.journalText },
  ];
}
