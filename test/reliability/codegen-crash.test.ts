/**
 * Codegen robustness: a crash between the renames of a `generate` run (renameSync / linkSync made to
 * throw after the k-th one, in process; and the CLI killed with SIGKILL at random points)
 * leaves the migrations folder consistent: the journal untouched or complete, every entry's
 * files present; the next `generate` recovers (orphans of the interrupted run replaced) and
 * ends exactly where an uninterrupted run ends. Two concurrent `generate` runs leave one valid
 * journal with exactly one new entry.
 */
import { spawn } from 'node:child_process';
import fs, { readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CodegenError, generate } from '../../codegen/index.js';
import { sqliteCodegen } from '../../codegen/dialects/sqlite/sqlite-dialect.js';
import { readMigrationsFolder } from '../../codegen/emit/migrations-folder.js';
import { ROOT, makeProject, type Project } from '../codegen/support/project.js';

const FULL = process.env['RELIABILITY_FULL'] === '1';
const SIGKILLS = FULL ? 12 : 2;
const CLI = join(ROOT, 'codegen/cli.ts');

/** The project's files, without the database and the generate lock. */
function snapshot(p: Project): Record<string, string> {
  return Object.fromEntries(Object.entries(p.files()).filter(([f]) => !f.startsWith('dev.db') && !f.endsWith('.lock')));
}

/** Restores `p` to `files` exactly (removing everything else but the database). */
function restore(p: Project, files: Record<string, string>): void {
  for (const f of Object.keys(snapshot(p))) if (!(f in files)) fs.rmSync(join(p.dir, f));
  p.write(files);
}

/** Journal consistency as the codegen itself checks it; throws when inconsistent. */
function consistent(p: Project) {
  return readMigrationsFolder(join(p.dir, 'drizzle'), sqliteCodegen);
}

function journalTags(p: Project): string[] {
  return JSON.parse(p.read('drizzle/meta/_journal.json')).entries.map((e: any) => e.tag);
}

const temps = (files: Record<string, string>) => Object.keys(files).filter((f) => /\.tmp-\d+$/.test(f));

/**
 * Runs `fn` with renameSync and linkSync (a file that did not exist is linked into place)
 * throwing from the (k+1)-th call of either; returns the renames and links that happened.
 */
async function withRenameCrash<R>(k: number, fn: () => Promise<R>): Promise<{ renames: number; error: unknown }> {
  const original = { rename: fs.renameSync, link: fs.linkSync };
  let renames = 0;
  const crashing =
    <F extends (from: fs.PathLike, to: fs.PathLike) => void>(real: F) =>
    (from: fs.PathLike, to: fs.PathLike) => {
      if (renames >= k) throw Object.assign(new Error(`injected crash after ${k} renames`), { code: 'EINJECTED' });
      renames++;
      return real(from, to);
    };
  fs.renameSync = crashing(original.rename) as typeof fs.renameSync;
  fs.linkSync = crashing(original.link) as typeof fs.linkSync;
  syncBuiltinESMExports();
  try {
    await fn();
    return { renames, error: undefined };
  } catch (error) {
    return { renames, error };
  } finally {
    fs.renameSync = original.rename;
    fs.linkSync = original.link;
    syncBuiltinESMExports();
  }
}

function cliRun(p: Project, killAfterMs?: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'generate'], { cwd: p.dir, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const s = suite<{ project: Project }>('reliability: codegen crash');
let project!: Project;
let baseline!: Record<string, string>;
let complete!: Record<string, string>;
let totalRenames = 0;

s.before(() => {
  project = makeProject('rel-crash', 'sqlite');
  project.write({ 'schema.ts': readFileSync(join(ROOT, 'fixtures/schema.ts'), 'utf8') });
  project.kit('generate', '--name', 'init');
  baseline = snapshot(project);
});
s.after(() => project?.remove());

s('an uninterrupted run: the reference end state', async () => {
  const r = await withRenameCrash(Number.POSITIVE_INFINITY, () => generate({ config: project.config, now: () => 2e12 }));
  assert.is(r.error, undefined);
  totalRenames = r.renames;
  complete = snapshot(project);
  assert.ok(totalRenames >= 4, `renames: ${totalRenames}`);
  assert.equal(journalTags(project), ['0000_init', '0001_concurrency_triggers']);
  assert.equal(temps(complete), []);
  restore(project, baseline);
});

s('renameSync failing after each k-th rename: journal untouched and consistent; the next run recovers to the reference state', async () => {
  const leftovers: string[] = [];
  // CI: the first, second and the last three crash points (the journal's neighbours); full: all.
  const points = FULL ? [...Array(totalRenames).keys()] : [...new Set([0, 1, totalRenames - 3, totalRenames - 2, totalRenames - 1])].filter((k) => k >= 0);
  for (const k of points) {
    const r = await withRenameCrash(k, () => generate({ config: project.config, now: () => 2e12 }));
    assert.instance(r.error, Error, `k=${k}: the injected crash must surface`);
    assert.is((r.error as NodeJS.ErrnoException).code, 'EINJECTED', `k=${k}: surfaced as-is`);
    assert.is(project.read('drizzle/meta/_journal.json'), baseline['drizzle/meta/_journal.json'], `k=${k}: journal untouched`);
    const folder = consistent(project);
    assert.equal(folder.journal.entries.map((e) => e.tag), ['0000_init']);
    assert.not.ok(fs.existsSync(join(project.dir, 'drizzle/meta/_drizzle-concurrency.lock')), `k=${k}: lock released`);
    const again = await withRenameCrash(Number.POSITIVE_INFINITY, () => generate({ config: project.config, now: () => 2e12 }));
    assert.is(again.error, undefined, `k=${k}: recovery run failed: ${String(again.error)}`);
    const after = snapshot(project);
    leftovers.push(...temps(after).map((f) => `k=${k}: ${f}`));
    const withoutTemps = Object.fromEntries(Object.entries(after).filter(([f]) => !/\.tmp-\d+$/.test(f)));
    // The snapshot's id is random: compare it without.
    const norm = (files: Record<string, string>) =>
      Object.fromEntries(Object.entries(files).map(([f, c]) => [f, f.endsWith('0001_snapshot.json') ? c.replace(/"id": "[^"]+"/, '"id": "*"') : c]));
    assert.equal(Object.keys(withoutTemps).sort(), Object.keys(complete).sort(), `k=${k}: recovered file set differs from an uninterrupted run`);
    for (const [f, c] of Object.entries(norm(withoutTemps))) assert.ok(c === norm(complete)[f], `k=${k}: ${f} differs from an uninterrupted run`);
    assert.equal(consistent(project).orphans, []);
    restore(project, baseline);
  }
  console.log(
    `  codegen crash: ${points.length} of ${totalRenames} rename crash points, journal untouched and recovered at each; ` +
      `temporary files left behind: ${leftovers.length ? leftovers.join(', ') : 'none'}`,
  );
});

s(`the CLI killed with SIGKILL at ${SIGKILLS} random points: journal untouched or complete, the next run completes`, async () => {
  const outcomes: string[] = [];
  const leftovers = new Set<string>();
  for (let i = 0; i < SIGKILLS; i++) {
    const delay = 500 + Math.floor(Math.random() * 3500);
    const r = await cliRun(project, delay);
    const tags = journalTags(project);
    assert.ok(
      (tags.length === 1 && project.read('drizzle/meta/_journal.json') === baseline['drizzle/meta/_journal.json']) || tags.length === 2,
      `after a kill at ${delay} ms the journal is neither untouched nor complete: ${JSON.stringify(tags)}`,
    );
    consistent(project);
    const orphaned = consistent(project).orphans.length > 0;
    outcomes.push(`${delay}ms→${r.signal ?? `exit ${r.code}`}/${tags.length === 2 ? 'complete' : orphaned ? 'untouched+orphan' : 'untouched'}`);
    const again = await cliRun(project);
    assert.is(again.code, 0, again.stderr);
    assert.equal(journalTags(project), ['0000_init', '0001_concurrency_triggers']);
    assert.equal(consistent(project).orphans, []);
    for (const f of temps(snapshot(project))) leftovers.add(f);
    restore(project, baseline);
  }
  console.log(`  codegen SIGKILL: ${outcomes.join(', ')}; temporary files left: ${leftovers.size ? [...leftovers].join(', ') : 'none'}`);
});

s('two concurrent generate runs: one valid journal with exactly one new entry; the other run up to date or refused clearly', async () => {
  const [a, b] = await Promise.all([cliRun(project), cliRun(project)]);
  const tags = journalTags(project);
  assert.equal(tags, ['0000_init', '0001_concurrency_triggers']);
  assert.equal(consistent(project).orphans, []);
  for (const r of [a, b]) {
    assert.ok(r.code === 0 || (r.code === 1 && /another drizzle-concurrency generate \(pid \d+\)/.test(r.stderr)), `unclear outcome: ${r.code} ${r.stdout} ${r.stderr}`);
  }
  assert.ok([a, b].some((r) => r.code === 0 && /0001_concurrency_triggers\.sql/.test(r.stdout)), 'one run wrote the migration');
  console.log(`  codegen concurrent: ${[a, b].map((r) => (r.code === 0 ? (/up to date/.test(r.stdout) ? 'up to date' : 'wrote') : 'refused (lock)')).join(' + ')}`);
  assert.equal(temps(snapshot(project)), []);
});

s('drizzle-kit generate committing while generate runs: its entry and snapshot are kept, generate refuses and writes nothing; the next run appends after it', async () => {
  restore(project, baseline);
  const schema = project.read('schema.ts');
  const extra = "\nexport const extraKit = sqliteTable('extra_kit', { id: integer().primaryKey(), note: text() });\n";
  let kitOutput = '';
  let error: unknown;
  try {
    await generate({
      config: project.config,
      now: () => 2e12,
      // The real drizzle-kit, run to completion after this run planned and before it writes.
      beforeWrite: () => {
        project.write({ 'schema.ts': schema + extra });
        kitOutput = project.kit('generate', '--name', 'more');
      },
    });
  } catch (e) {
    error = e;
  }
  assert.instance(error, CodegenError, `${String(error)} / ${kitOutput}`);
  assert.match((error as Error).message, /the migrations folder changed while generate ran .*nothing was written: run it again/);
  assert.equal(journalTags(project), ['0000_init', '0001_more']);
  assert.match(project.read('drizzle/meta/0001_snapshot.json'), /extra_kit/, "drizzle-kit's snapshot is kept");
  const after = snapshot(project);
  assert.not.ok('drizzle/0001_concurrency_triggers.sql' in after, 'no migration of this run');
  assert.equal(temps(after), []);
  assert.equal(consistent(project).orphans, []);
  const again = await generate({ config: project.config, now: () => 2e12 });
  assert.ok(again.some((f) => f.endsWith('0002_concurrency_triggers.sql')), again.join(', '));
  assert.equal(journalTags(project), ['0000_init', '0001_more', '0002_concurrency_triggers']);
  assert.match(project.read('drizzle/meta/0002_snapshot.json'), /extra_kit/);
  project.write({ 'schema.ts': schema });
  restore(project, baseline);
});

s("a drizzle-kit snapshot appearing before its journal entry (drizzle-kit writes the snapshot first): refused, the snapshot is not replaced", async () => {
  restore(project, baseline);
  const theirs = '{ "written by": "drizzle-kit, mid-run" }';
  let error: unknown;
  try {
    await generate({ config: project.config, beforeWrite: () => project.write({ 'drizzle/meta/0001_snapshot.json': theirs }) });
  } catch (e) {
    error = e;
  }
  assert.instance(error, CodegenError, String(error));
  assert.match((error as Error).message, /0001_snapshot\.json: the migrations folder changed while generate ran/);
  assert.is(project.read('drizzle/meta/0001_snapshot.json'), theirs);
  assert.is(project.read('drizzle/meta/_journal.json'), baseline['drizzle/meta/_journal.json']);
  const after = snapshot(project);
  assert.not.ok('drizzle/0001_concurrency_triggers.sql' in after);
  assert.equal(temps(after), []);
  restore(project, baseline);
});

s.run();
