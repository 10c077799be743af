import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, kitDialect, makeProject, type Project } from './support/project.js';

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

/**
 * The CLI where it may not write: as root (whom permissions do not stop) it runs as `nobody`
 * over a project owned by `nobody` except the folders `readOnly` (not what they hold);
 * otherwise those folders are made read-only.
 */
function cliWithout(p: Project, readOnly: string[], ...args: string[]) {
  const asRoot = process.getuid?.() === 0;
  const own = (path: string, uid: number) => {
    chownSync(path, uid, uid);
    if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) own(join(path, entry), uid);
  };
  if (asRoot) {
    own(p.dir, 65534);
    for (const path of readOnly) chownSync(join(p.dir, path), 0, 0);
  } else for (const path of readOnly) chmodSync(join(p.dir, path), 0o555);
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'codegen/cli.ts'), ...args], {
      cwd: p.dir,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0' },
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  } finally {
    if (asRoot) own(p.dir, 0);
    else for (const path of readOnly) chmodSync(join(p.dir, path), 0o755);
  }
}

s('an output folder it may not write (EACCES): one line naming it, exit 1, nothing written', () => {
  const p = makeProject('cli-eacces', 'sqlite');
  p.write({ 'schema.ts': table('items', 'triggerVersion()'), 'test/concurrency/.keep': '' });
  p.kit('generate', '--name', 'init');
  const before = p.files();
  for (const [readOnly, where] of [
    [['drizzle/meta'], /^drizzle\/meta: cannot write here: permission denied \(EACCES\); nothing was written\n$/],
    [['test/concurrency'], /^test\/concurrency\/setup\.ts: cannot write here: permission denied \(EACCES\); nothing was written\n$/],
    [['drizzle'], /^drizzle\/0001_concurrency_triggers\.sql: cannot write here: permission denied \(EACCES\); nothing was written\n$/],
  ] as const) {
    const r = cliWithout(p, [...readOnly], 'generate');
    assert.is(r.code, 1, `${readOnly.join()}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, where, readOnly.join());
    assert.equal(p.files(), before, `${readOnly.join()}: nothing written, no temporary file left`);
  }
  p.remove();
});

s('a missing optional peer (ts-morph, esbuild, drizzle-kit): one line naming it and the install command, exit 1, no stack', () => {
  // The built package in a folder of its own whose node_modules lacks the peer (outside this
  // package, so nothing above it resolves the peer either).
  for (const peer of ['ts-morph', 'esbuild', 'drizzle-kit']) {
    const home = mkdtempSync(join(tmpdir(), `dc-no-${peer}-`));
    try {
      cpSync(join(ROOT, 'dist'), join(home, 'dist'), { recursive: true });
      cpSync(join(ROOT, 'package.json'), join(home, 'package.json'));
      mkdirSync(join(home, 'node_modules'));
      for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
        if (entry !== peer && entry !== '.bin') symlinkSync(join(ROOT, 'node_modules', entry), join(home, 'node_modules', entry));
      }
      const dir = join(home, 'app');
      mkdirSync(dir);
      writeFileSync(
        join(dir, 'drizzle.config.ts'),
        `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig(${JSON.stringify({ dialect: kitDialect('sqlite'), schema: './schema.ts', out: './drizzle' })});\n`,
      );
      writeFileSync(join(dir, 'schema.ts'), table('items', 'triggerVersion()'));
      const r = spawnSync(process.execPath, [join(home, 'dist/codegen/cli.js'), 'generate'], { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
      assert.is(r.status, 1, `${peer}: ${r.stdout}${r.stderr}`);
      assert.is(r.stderr, `drizzle-concurrency: ${peer} is not installed; the codegen needs it: npm install --save-dev ${peer}\n`, peer);
      assert.equal(readdirSync(dir).sort(), ['drizzle.config.ts', 'schema.ts'], `${peer}: nothing written`);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }
});

s.after(() => project.remove());
s.run();
