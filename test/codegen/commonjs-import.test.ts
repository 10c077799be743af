/**
 * A schema importing named exports from CommonJS modules loads under the codegen's loader as it
 * does under drizzle-kit (which `require`s the schema): a package whose `module.exports` Node's
 * static lexer cannot read (an object literal with non-identifier values, `defineProperty`
 * getters, as TypeScript and Babel emit), and a local `.cjs` file.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeProject } from './support/project.js';

const s = suite('codegen loader: named imports from CommonJS');

s('import { STATUSES } from a CommonJS package and from a local .cjs file: drizzle-kit and generate both load the schema', () => {
  const p = makeProject('cjs-named', 'sqlite');
  p.write({
    'node_modules/order-statuses/package.json': JSON.stringify({ name: 'order-statuses', version: '1.0.0', main: 'index.js' }),
    // Literal values: Node's cjs-module-lexer sees no named export here (`import { STATUSES }` fails under plain Node).
    'node_modules/order-statuses/index.js': "module.exports = { STATUSES: ['open', 'shipped'], TABLE: 'cjs_orders' };\n",
    'node_modules/order-statuses/compiled.js':
      "'use strict';\nObject.defineProperty(exports, '__esModule', { value: true });\nconst KINDS = ['retail', 'wholesale'];\nObject.defineProperty(exports, 'KINDS', { enumerable: true, get: () => KINDS });\n",
    'labels.cjs': "module.exports = { LABEL_TABLE: 'cjs_labels' };\n",
    'schema.ts': `import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { integerVersion, triggerVersion } from 'drizzle-concurrency/sqlite-core';
import { STATUSES, TABLE } from 'order-statuses';
import { KINDS } from 'order-statuses/compiled.js';
import { LABEL_TABLE } from './labels.cjs';

export const orders = sqliteTable(TABLE, {
  id: integer().primaryKey(),
  status: text({ enum: STATUSES as [string, ...string[]] }).notNull(),
  kind: text({ enum: KINDS as [string, ...string[]] }).notNull(),
  version: triggerVersion(),
});
export const labels = sqliteTable(LABEL_TABLE, { id: integer().primaryKey(), name: text().notNull(), version: integerVersion() });
`,
  });
  const kit = p.kit('generate', '--name', 'init');
  assert.match(kit, /cjs_orders/, 'drizzle-kit loads it');
  const r = p.cli('generate');
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /wrote drizzle\/0001_concurrency_triggers\.sql/);
  assert.match(p.read('drizzle/0001_concurrency_triggers.sql'), /concurrency_cjs_orders_version/, 'the names the CommonJS modules hold reached the plan');
  assert.match(r.stdout, /wrote test\/concurrency\/cjs-orders\.test\.ts/);
  assert.match(r.stdout, /wrote test\/concurrency\/cjs-labels\.test\.ts/);
  assert.match(p.read('test/concurrency/cjs-orders.test.ts'), /"open"/, 'the enum values the package holds');
  p.remove();
});

s.run();
