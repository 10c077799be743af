import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeProject } from './support/project.js';

const s = suite('codegen CLI');
const project = makeProject('cli', 'sqlite');

s('--help on each command exits 0 and prints its usage', () => {
  for (const args of [['--help'], ['generate', '--help'], ['check', '--help'], ['triggers', '--help']]) {
    const r = project.cli(...args);
    assert.is(r.code, 0, args.join(' '));
    assert.match(r.stdout, /usage: drizzle-concurrency/);
  }
});

s('an unknown command, no command or a bad triggers subcommand exit 1 with the reason on stderr', () => {
  const unknown = project.cli('frobnicate');
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  assert.is(project.cli().code, 1);
  const sub = project.cli('triggers', 'explode');
  assert.is(sub.code, 1);
  assert.match(sub.stderr, /triggers list\|create\|drop/);
});

s('a missing config exits 1 naming it', () => {
  const r = project.cli('generate', '--config', 'nope.config.ts');
  assert.is(r.code, 1);
  assert.match(r.stderr, /nope\.config\.ts: config file not found/);
});

const table = (name: string, version: string) => `import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { ${version.split('(')[0]} } from 'drizzle-concurrency/sqlite-core';
export const ${name} = sqliteTable('${name}', { id: integer().primaryKey(), title: text(), version: ${version} });
`;

s('a glob schema: every matching file is scanned and loaded; --no-tests writes the migration only', () => {
  const p = makeProject('cli-glob', 'sqlite');
  p.write({
    'drizzle.config.ts': p.read('drizzle.config.ts').replace('"./schema.ts"', '"./db/*.schema.ts"'),
    'db/a.schema.ts': table('alpha', 'triggerVersion()'),
    'db/b.schema.ts': table('beta', "triggerVersion({ checkFields: ['title'] })"),
    'db/helpers.ts': 'export const unused = 1;\n',
  });
  p.kit('generate', '--name', 'init');
  const r = p.cli('generate', '--no-tests');
  assert.is(r.code, 0, r.stderr);
  const written = Object.keys(p.files());
  const migration = written.find((f) => f.endsWith('_concurrency_triggers.sql'));
  assert.ok(migration, written.join(', '));
  const sql = p.read(migration!);
  assert.match(sql, /concurrency_alpha_version/);
  assert.match(sql, /concurrency_beta_version/);
  assert.ok(!written.some((f) => f.startsWith('test/')), `no test suites: ${written.join(', ')}`);
  assert.is(p.cli('check', '--no-tests').code, 0, 'check agrees: nothing left to write');
  p.remove();
});

s('a glob that matches nothing, or --tests with --no-tests: exit 1 with the reason, nothing written', () => {
  const p = makeProject('cli-no-match', 'sqlite');
  p.write({ 'drizzle.config.ts': p.read('drizzle.config.ts').replace('"./schema.ts"', '"./db/*.schema.ts"') });
  const before = p.files();
  const none = p.cli('generate');
  assert.is(none.code, 1);
  assert.match(none.stderr, /no schema file matches db\/\*\.schema\.ts/);
  const both = p.cli('generate', '--tests', 'x', '--no-tests');
  assert.is(both.code, 1);
  assert.match(both.stderr, /--tests and --no-tests exclude each other/);
  assert.equal(p.files(), before);
  p.remove();
});

s.after(() => project.remove());
s.run();
