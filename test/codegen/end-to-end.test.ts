/**
 * The codegen end to end on each dialect, against the real servers (a database created for the
 * run) and libSQL: drizzle-kit generate → drizzle-concurrency generate (golden output) →
 * migrate → a raw SQL edit bumps → check is clean → a schema edit makes check fail → generate
 * drops the old trigger.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { testDatabases, type Dialect } from '../support/databases.js';
import { ROOT, makeProject, type Project } from './support/project.js';
import { scratchDatabase, type Scratch } from './support/scratch-database.js';

const FIXTURE: Record<Dialect, string> = { pg: 'fixtures/pg/schema.ts', mysql: 'fixtures/mysql/schema.ts', sqlite: 'fixtures/schema.ts' };
const available = new Set((await testDatabases()).map((d) => d.dialect));

function golden(dialect: Dialect, name: string, actual: string): void {
  const path = join(ROOT, 'fixtures/expected', dialect, name);
  if (process.env['UPDATE_GOLDEN'] || !existsSync(path)) {
    mkdirSync(join(ROOT, 'fixtures/expected', dialect), { recursive: true });
    writeFileSync(path, actual);
    if (process.env['CI'] === 'true') assert.unreachable(`golden file ${path} was missing`);
  }
  assert.fixture(actual, readFileSync(path, 'utf8'));
}

for (const dialect of ['pg', 'mysql', 'sqlite'] as const) {
  if (!available.has(dialect)) continue;
  const s = suite<{ project: Project; db: Scratch }>(`codegen end to end [${dialect}]`);
  let project!: Project;
  let db!: Scratch;
  s.before(async () => {
    db = await scratchDatabase(dialect);
    project = makeProject(`e2e-${dialect}`, dialect, db.credentials);
    project.write({ 'schema.ts': readFileSync(join(ROOT, FIXTURE[dialect]), 'utf8') });
    project.kit('generate', '--name', 'init');
  });
  s.after(async () => {
    await db?.drop();
    project?.remove();
  });

  s('generate writes one custom migration registered in the journal (golden output)', () => {
    const r = project.cli('generate');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /0001_concurrency_triggers\.sql/);
    const journal = JSON.parse(project.read('drizzle/meta/_journal.json'));
    assert.equal(journal.entries.map((e: any) => [e.idx, e.tag, e.breakpoints]), [
      [0, '0000_init', true],
      [1, '0001_concurrency_triggers', true],
    ]);
    assert.ok(journal.entries[1].when > journal.entries[0].when);
    const snapshot = JSON.parse(project.read('drizzle/meta/0001_snapshot.json'));
    const previous = JSON.parse(project.read('drizzle/meta/0000_snapshot.json'));
    assert.is(snapshot.prevId, previous.id);
    assert.is.not(snapshot.id, previous.id);
    assert.equal({ ...snapshot, id: 0, prevId: 0 }, { ...previous, id: 0, prevId: 0 });
    golden(dialect, '0001_concurrency_triggers.sql', project.read('drizzle/0001_concurrency_triggers.sql'));
  });

  s('re-running generate writes nothing and check is clean', () => {
    const before = project.files();
    const r = project.cli('generate');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /up to date/);
    assert.equal(project.files(), before);
    const c = project.cli('check');
    assert.is(c.code, 0, c.stderr);
  });

  s('the migrations apply and the trigger catches a raw SQL edit', async () => {
    await db.migrate(project);
    await db.exec(`insert into ${db.q('products')} (${db.q('sku')}, ${db.q('name')}, ${db.q('price_cents')}) values ('A-1', 'lamp', 100)`);
    await db.exec(`update ${db.q('products')} set ${db.q('stock')} = 5`);
    assert.equal(await db.versions('products'), [2]);
    const list = project.cli('triggers', 'list');
    assert.is(list.code, 0, list.stderr);
    assert.match(list.stdout, /ok\s+concurrency_products_version on (public\.)?products/);
  });

  s('a schema edit makes check fail; generate drops the old trigger', async () => {
    project.write({ 'schema.ts': project.read('schema.ts').replace(/(products[\s\S]*?)version: triggerVersion\(\),/, '$1version: integerVersion(),') });
    const c = project.cli('check');
    assert.is(c.code, 1);
    assert.match(c.stderr, /0002_concurrency_triggers\.sql/);
    assert.match(c.stderr, /_journal\.json/);
    const g = project.cli('generate');
    assert.is(g.code, 0, g.stderr);
    golden(dialect, '0002_concurrency_triggers.sql', project.read('drizzle/0002_concurrency_triggers.sql'));
    await db.migrate(project);
    await db.exec(`update ${db.q('products')} set ${db.q('stock')} = 6`);
    assert.equal(await db.versions('products'), [2], 'no trigger left on products');
    const list = project.cli('triggers', 'list');
    assert.is(list.code, 0, list.stderr);
    assert.not.match(list.stdout, /concurrency_products_version/);
    assert.match(list.stdout, /ok\s+concurrency_stock_levels_version/);
  });

  s('triggers drop / create against the live database are idempotent', async () => {
    for (const sub of ['drop', 'drop', 'create', 'create']) {
      const r = project.cli('triggers', sub);
      assert.is(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`${sub === 'drop' ? 'dropped' : 'created'} concurrency_stock_levels_version`));
    }
    const list = project.cli('triggers', 'list');
    assert.match(list.stdout, /ok\s+concurrency_stock_levels_version/);
  });

  s.run();
}
