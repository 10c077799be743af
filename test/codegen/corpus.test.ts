/**
 * The construct corpus end to end on each dialect (fixtures/corpus/<dialect>/schema.ts: uuid and
 * text keys, composite keys, string-mode dates, NOT NULL enums without default, typed JSON, a NOT
 * NULL customType filled by a factory, CHECK constraints, foreign keys, `casing: 'snake_case'`,
 * credentials from a non-default variable holding a password): drizzle-kit generate →
 * drizzle-concurrency generate → no secret in any written file → the app type-checks under the
 * strictest tsconfig → migrate → the generated suites pass → every table holds the rows it held.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { testDatabases, type Dialect } from '../support/databases.js';
import { ROOT, STRICT_TSCONFIG, kitDialect, makeProject, type Project } from './support/project.js';
import { scratchDatabase, type Scratch } from './support/scratch-database.js';

const available = new Set((await testDatabases()).map((d) => d.dialect));
const SECRET = `c0rpus-${process.pid}-pw`;
const VARIABLE = 'DC_CORPUS_APP_DB';
const TABLES = ['accounts', 'documents', 'memberships', 'audit_notes'];


/** The factories the corpus's user writes: the NOT NULL customType and the typed JSON. */
const FACTORIES = `import type { Factories } from './factory-types.js';

export const factories: Factories = {
  accounts: (id) => ({ handle: \`user-\${id}\`, settings: { theme: 'dark', seats: (id % 5) + 1 } }),
};
`;

/** `url` with {@link SECRET} as its password where the server does not check it (PostgreSQL trust). */
function withSecret(dialect: Dialect, url: string): string {
  if (dialect !== 'pg') return url;
  const u = new URL(url);
  u.password = SECRET;
  return u.toString();
}

function tsc(project: Project) {
  return spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: project.dir, encoding: 'utf8' });
}

async function rowCounts(db: Scratch): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = Number((await db.query(`select count(*) as n from ${db.q(table)}`))[0]?.['n']);
  return out;
}

for (const dialect of ['pg', 'mysql', 'sqlite'] as const) {
  if (!available.has(dialect)) continue;
  const s = suite(`codegen corpus [${dialect}]`);
  let project!: Project;
  let db!: Scratch;
  s.before(async () => {
    db = await scratchDatabase(dialect);
    project = makeProject(`corpus-${dialect}`, dialect);
    process.env[VARIABLE] = withSecret(dialect, String(db.credentials['url']));
    project.write({
      'schema.ts': readFileSync(join(ROOT, 'fixtures/corpus', dialect, 'schema.ts'), 'utf8'),
      'drizzle.config.ts': `import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: '${kitDialect(dialect)}',
  schema: './schema.ts',
  out: './drizzle',
  casing: 'snake_case',
  dbCredentials: { url: process.env['${VARIABLE}']! },
});
`,
    });
    project.kit('generate', '--name', 'init');
  });
  s.after(async () => {
    await db?.drop();
    project?.remove();
  });

  s('generate writes the suites and names the columns the factories must fill', () => {
    const r = project.cli('generate');
    assert.is(r.code, 0, r.stderr);
    for (const file of ['setup.ts', 'factories.ts', 'factory-types.ts', 'accounts.test.ts', 'documents.test.ts', 'memberships.test.ts', 'audit-notes.test.ts']) {
      assert.match(r.stdout, `test/concurrency/${file}`);
    }
    assert.match(r.stderr, /accounts\.handle \(/);
    assert.match(r.stderr, /accounts\.settings \(/);
    assert.not.match(r.stderr, /documents\.|memberships\.|audit_notes\./);
  });

  s('no written file holds the secret or the URL', () => {
    const leaks = Object.entries(project.files()).filter(([f, c]) => !f.startsWith('dev.db') && (c.includes(SECRET) || c.includes(String(process.env[VARIABLE]))));
    assert.equal(leaks.map(([f]) => f), []);
  });

  s('without the factory the app does not type-check (naming the table) and a failing test shows the driver\'s cause', async () => {
    project.write({ 'tsconfig.json': JSON.stringify({ ...STRICT_TSCONFIG, include: ['schema.ts', 'test/concurrency/*.ts'] }) });
    const r = tsc(project);
    assert.is(r.status, 2, r.stdout);
    assert.match(r.stdout, /factories\.ts.*accounts/s);
    await db.migrate(project);
    const run = project.generatedTests();
    assert.is.not(run.code, 0);
    // Drizzle's "Failed query: insert …" and, below it, the driver's NOT NULL violation on the custom column.
    assert.match(run.stdout, /Failed query: insert/);
    assert.match(run.stdout, /cause: [^\n]*handle/);
  });

  s('with the factory the generated app type-checks under the strictest flags', () => {
    project.write({ 'test/concurrency/factories.ts': FACTORIES });
    const r = tsc(project);
    assert.is(r.status, 0, r.stdout + r.stderr);
  });

  s('the generated suites pass and every table holds the rows it held', async () => {
    const before = await rowCounts(db);
    const r = project.generatedTests();
    assert.is(r.code, 0, r.stdout + r.stderr);
    const total = Number(/Total:\s+(\d+)/.exec(r.stdout)?.[1]);
    const passed = Number(/Passed:\s+(\d+)/.exec(r.stdout)?.[1]);
    assert.ok(total >= 17, r.stdout);
    assert.is(passed, total, r.stdout);
    console.log(`  corpus [${dialect}]: ${TABLES.length} tables, ${total} generated tests, ${passed} passed`);
    // The generated suites leave the database as they found it (a rolled-back transaction per test).
    assert.equal(await rowCounts(db), before);
  });

  s.run();
}
