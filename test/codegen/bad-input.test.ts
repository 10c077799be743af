/**
 * Bad codegen input: each case is a CodegenError naming file:line (where one exists), exit code
 * 1 from the CLI, and the project byte-for-byte unchanged.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CodegenError } from '../../codegen/codegen-error.js';
import { generate } from '../../codegen/generate.js';
import { triggerName } from '../../src/triggers/trigger-spec.js';
import { makeProject, type Project } from './support/project.js';

const SCHEMA = `import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { integerVersion, triggerVersion } from 'drizzle-concurrency/sqlite-core';

export const items = sqliteTable('items', {
  id: integer().primaryKey(),
  name: text(),
  price: integer(),
  version: triggerVersion({ checkFields: ['price'] }),
});

export const notes = sqliteTable('notes', { id: integer().primaryKey(), version: integerVersion() });
`;

const s = suite('codegen bad input');
const base = makeProject('bad-base', 'sqlite');
base.write({ 'schema.ts': SCHEMA });
base.kit('generate', '--name', 'init');
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

/** A copy of the base project with `edit` applied. */
function variant(name: string, edit: (p: Project) => void): Project {
  const p = makeProject(name, 'sqlite');
  cpSync(base.dir, p.dir, { recursive: true });
  edit(p);
  return p;
}

async function refused(p: Project, message: RegExp, where: { file?: string; line?: number }) {
  const before = p.files();
  try {
    await generate({ config: p.config });
    assert.unreachable('generate accepted bad input');
  } catch (error) {
    assert.instance(error, CodegenError, String(error));
    const e = error as CodegenError;
    assert.match(e.message, message);
    if (where.file) assert.ok(e.file?.endsWith(where.file), `file ${e.file}`);
    if (where.line) assert.is(e.line, where.line, e.message);
    // The location is said once, also for errors that crossed from the scan thread.
    const prefix = e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : '';
    assert.is(e.message, prefix + e.reason);
    assert.not.ok(e.reason.startsWith(prefix || '\0'), `location repeated: ${e.message}`);
  }
  assert.equal(p.files(), before, 'nothing written');
  p.remove();
}

s('a syntax error: file:line, nothing written; the CLI exits 1 with the reason on stderr', async () => {
  const broken = SCHEMA.replace("name: text(),", "name: text(,");
  const p = variant('syntax', (p) => p.write({ 'schema.ts': broken }));
  const before = p.files();
  const r = p.cli('generate');
  assert.is(r.code, 1);
  assert.match(r.stderr, new RegExp(`schema\\.ts:${lineOf(broken, 'text(,')}: syntax error`));
  assert.equal(p.files(), before);
  await refused(p, /syntax error/, { file: 'schema.ts', line: lineOf(broken, 'text(,') });
});

s('a non-literal checkFields', async () => {
  const text = SCHEMA.replace("triggerVersion({ checkFields: ['price'] })", 'triggerVersion({ checkFields: FIELDS })').replace(
    'export const items',
    "const FIELDS = ['price'];\nexport const items",
  );
  await refused(variant('nonliteral', (p) => p.write({ 'schema.ts': text })), /checkFields of triggerVersion\(\) must be an array of string literals, got FIELDS/, {
    file: 'schema.ts',
    line: lineOf(text, 'checkFields: FIELDS'),
  });
});

s('a checkFields key that is not a column', async () => {
  const text = SCHEMA.replace("checkFields: ['price']", "checkFields: ['price', 'ghost']");
  await refused(variant('ghost', (p) => p.write({ 'schema.ts': text })), /"items".checkFields names "ghost", which is not a column key/, {
    file: 'schema.ts',
    line: lineOf(text, "'ghost'"),
  });
});

s('a config dialect that disagrees with the tables found', async () => {
  const p = variant('dialect', (p) => {
    const config = p.read('drizzle.config.ts').replace('"turso"', '"postgresql"');
    p.write({ 'drizzle.config.ts': config });
  });
  await refused(p, /comes from drizzle-concurrency\/sqlite-core but the config's dialect is pg/, { file: 'schema.ts', line: lineOf(SCHEMA, 'triggerVersion(') });
});

s('an unreadable out folder', async () => {
  const p = variant('out', (p) => writeFileSync(join(p.dir, 'drizzle', 'meta', '_journal.json'), '{ not json'));
  await refused(p, /unreadable journal/, { file: '_journal.json' });
  const q = variant('out-file', (p) => p.write({ 'drizzle.config.ts': p.read('drizzle.config.ts').replace('"./drizzle"', '"./schema.ts"') }));
  await refused(q, /no drizzle-kit journal/, {});
});

s('a journal edited by hand into an inconsistent state', async () => {
  const edit = (mutate: (journal: any) => void) => (p: Project) => {
    const journal = JSON.parse(p.read('drizzle/meta/_journal.json'));
    mutate(journal);
    p.write({ 'drizzle/meta/_journal.json': JSON.stringify(journal, null, 2) });
  };
  await refused(variant('idx', edit((j) => (j.entries[0].idx = 3))), /entry 0 has idx 3/, { file: '_journal.json' });
  await refused(variant('tag', edit((j) => (j.entries[0].tag = '0000_gone'))), /names 0000_gone\.sql, which does not exist/, { file: '_journal.json' });
  await refused(variant('dialect-journal', edit((j) => (j.dialect = 'mysql'))), /the journal is for mysql/, { file: '_journal.json' });
});

s('a trigger on a table drizzle-kit has not migrated yet', async () => {
  const text = `${SCHEMA}\nexport const fresh = sqliteTable('fresh', { id: integer().primaryKey(), version: triggerVersion() });\n`;
  await refused(variant('unmigrated', (p) => p.write({ 'schema.ts': text })), /"fresh" is not in the drizzle-kit migrations yet/, {
    file: 'schema.ts',
    line: lineOf(text, "sqliteTable('fresh'"),
  });
});

const colliding = (tables: string) => `${SCHEMA}\n${tables}`;

s('two derived trigger names that collide ("a_b"+"c" and "a"+"b_c"): generate, check and triggers list refuse, naming both', async () => {
  const text = colliding(
    "export const a = sqliteTable('a', { id: integer().primaryKey(), b_c: triggerVersion() });\n" +
      "export const ab = sqliteTable('a_b', { id: integer().primaryKey(), c: triggerVersion() });\n",
  );
  const p = variant('collide', (p) => p.write({ 'schema.ts': text }));
  const before = p.files();
  for (const args of [['check'], ['triggers', 'list'], ['triggers', 'create']]) {
    const r = p.cli(...args);
    assert.is(r.code, 1, args.join(' '));
    assert.match(r.stderr, /trigger name "concurrency_a_b_c" of "a_b"\."c" is also the trigger name of "a"\."b_c" \(schema\.ts:\d+\)/, args.join(' '));
    assert.match(r.stderr, /set a distinct triggerName/);
    assert.not.match(r.stderr, /\n\s+at /, 'no stack');
  }
  assert.equal(p.files(), before);
  await refused(p, /"a_b"\."c" is also the trigger name of "a"\."b_c" \([^)]*schema\.ts:\d+\)/, { file: 'schema.ts', line: lineOf(text, "sqliteTable('a_b'") });
});

s('two tables sharing an explicit triggerName are refused', async () => {
  const text = colliding(
    "export const one = sqliteTable('one', { id: integer().primaryKey(), version: triggerVersion({ triggerName: 'shared' }) });\n" +
      "export const two = sqliteTable('two', { id: integer().primaryKey(), version: triggerVersion({ triggerName: 'concurrency_shared' }) });\n",
  );
  await refused(variant('shared-name', (p) => p.write({ 'schema.ts': text })), /"concurrency_shared" of "two"\."version" is also the trigger name of "one"\."version"/, {
    file: 'schema.ts',
    line: lineOf(text, "sqliteTable('two'"),
  });
});

s('a long name that equals another once cut to the length limit is refused', async () => {
  const long = `t${'x'.repeat(1100)}`;
  const cut = triggerName('sqlite', long, 'version');
  const text = colliding(
    `export const long = sqliteTable('${long}', { id: integer().primaryKey(), version: triggerVersion() });\n` +
      `export const other = sqliteTable('other', { id: integer().primaryKey(), version: triggerVersion({ triggerName: '${cut}' }) });\n`,
  );
  await refused(variant('cut-collide', (p) => p.write({ 'schema.ts': text })), / of "(other|tx+)"\."version" is also the trigger name of "(other|tx+)"\."version"/, {
    file: 'schema.ts',
  });
});

s('a triggerName holding "--> statement-breakpoint" is refused at its line', async () => {
  const text = SCHEMA.replace("triggerVersion({ checkFields: ['price'] })", "triggerVersion({ checkFields: ['price'], triggerName: 'x--> statement-breakpoint' })");
  await refused(variant('breakpoint', (p) => p.write({ 'schema.ts': text })), /triggerName of "items" "x--> statement-breakpoint" holds "--> statement-breakpoint"/, {
    file: 'schema.ts',
    line: lineOf(text, 'statement-breakpoint'),
  });
});

s('a versioned table without a primary key: refused at its line by the CLI (no stack) and generate', async () => {
  for (const version of ['integerVersion()', 'triggerVersion()']) {
    const text = `${SCHEMA}\nexport const keyless = sqliteTable('keyless', {\n  id: integer(),\n  version: ${version}, // keyless\n});\n`;
    const p = variant(`no-pk-${version.slice(0, 4)}`, (p) => p.write({ 'schema.ts': text }));
    const before = p.files();
    const r = p.cli('generate');
    assert.is(r.code, 1, version);
    assert.match(r.stderr, new RegExp(`^schema\\.ts:${lineOf(text, '// keyless')}: "keyless" has no primary key`), r.stderr);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(p.files(), before);
    await refused(p, /"keyless" has no primary key: versioned writes find rows by it/, { file: 'schema.ts', line: lineOf(text, '// keyless') });
  }
});

s.after(() => base.remove());
s.run();
