import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { collectSchema } from '../../codegen/collect/collect-schema.js';
import { loadConfig } from '../../codegen/config/load-config.js';
import { ROOT, makeProject } from './support/project.js';

const forms = suite('codegen collect: every schema form');
const project = makeProject('forms', 'pg');
const source = (name: string) => readFileSync(join(ROOT, 'fixtures/forms', name), 'utf8');
project.write({ 'schema.ts': source('schema.ts'), 'barrel.ts': source('barrel.ts'), 'columns.ts': source('columns.ts') });
const lineOf = (file: string, text: string) => source(file).split('\n').findIndex((l) => l.includes(text)) + 1;

forms('finds every versioned table, with its real SQL name, kind and declaring file:line', async () => {
  const config = await loadConfig(project.config);
  const collected = await collectSchema(config);
  const found = collected.tables.map((t) => ({
    table: t.schema ? `${t.schema}.${t.name}` : t.name,
    export: t.exportName,
    key: t.version.key,
    kind: t.version.kind,
    site: t.site ? `${t.site.file.split('/').pop()}:${t.site.line}` : undefined,
  }));
  assert.equal(found, [
    { table: 'app_created', export: 'created', key: 'version', kind: 'timestamp', site: `schema.ts:${lineOf('schema.ts', 'version: stamp()')}` },
    { table: 'callback_form', export: 'callbackForm', key: 'rowVersion', kind: 'trigger', site: `schema.ts:${lineOf('schema.ts', "rowVersion: tv(")}` },
    { table: 'composite', export: 'composite', key: 'version', kind: 'integer', site: `schema.ts:${lineOf('schema.ts', 'version: integerVersion() }')}` },
    { table: 'const_posts', export: 'constNamed', key: 'version', kind: 'conditional', site: `schema.ts:${lineOf('schema.ts', 'conditionalVersion({ ignoreFields')}` },
    { table: 'billing.invoices', export: 'invoices', key: 'version', kind: 'trigger', site: `schema.ts:${lineOf('schema.ts', "tv({ triggerName")}` },
    { table: 'object_form', export: 'objectForm', key: 'version', kind: 'integer', site: `schema.ts:${lineOf('schema.ts', 'dc.integerVersion()')}` },
    { table: 'plugin_users', export: 'pluginUsers', key: 'revision', kind: 'integer', site: `schema.ts:${lineOf('schema.ts', "applyConcurrencyCheck(pluginUsers")}` },
    { table: 'spread', export: 'spread', key: 'version', kind: 'integer', site: `columns.ts:${lineOf('columns.ts', 'integerVersion()')}` },
  ]);
  const triggers = collected.tables.flatMap((t) => (t.trigger ? [t.trigger] : []));
  assert.equal(
    triggers.map((s) => [s.schema, s.table, s.column, s.checkColumns, s.keyColumns, s.name]),
    [
      [undefined, 'callback_form', 'row_version', ['price'], ['id'], 'concurrency_callback_form_row_version'],
      ['billing', 'invoices', 'version', undefined, ['id'], 'concurrency_invoice_rev'],
    ],
  );
});

forms('the static scan resolves aliases, namespaces and barrels without running the code', async () => {
  const config = await loadConfig(project.config);
  const { calls } = await collectSchema(config);
  const summary = calls.map((c) => `${c.file.split('/').pop()}:${c.line} ${c.what.type === 'builder' ? c.what.kind : 'apply'}`).sort();
  assert.equal(summary, [
    `columns.ts:${lineOf('columns.ts', 'integerVersion()')} integer`,
    `schema.ts:${lineOf('schema.ts', 'dc.integerVersion()')} integer`,
    `schema.ts:${lineOf('schema.ts', "rowVersion: tv(")} trigger`,
    `schema.ts:${lineOf('schema.ts', 'version: stamp()')} timestamp`,
    `schema.ts:${lineOf('schema.ts', "tv({ triggerName")} trigger`,
    `schema.ts:${lineOf('schema.ts', 'conditionalVersion({ ignoreFields')} conditional`,
    `schema.ts:${lineOf('schema.ts', 'version: integerVersion() }')} integer`,
    `schema.ts:${lineOf('schema.ts', 'applyConcurrencyCheck(pluginUsers')} apply`,
  ].sort());
});

forms.after(() => project.remove());
forms.run();
