/**
 * The codegen's output per dialect, rendered offline from the pure render functions (no
 * database: the fixture schema is loaded, the trigger plan and the files are rendered) and
 * compared with the golden files in fixtures/expected/<dialect>/. A missing golden fails; set
 * UPDATE_GOLDENS=1 to write them. The end-to-end test checks the CLI writes the same files.
 */
import { join } from 'node:path';
import { suite } from 'uvu';
import { loadTables } from '../../codegen/collect/load-tables.js';
import { mysqlCodegen } from '../../codegen/dialects/mysql/mysql-dialect.js';
import { pgCodegen } from '../../codegen/dialects/pg/pg-dialect.js';
import { sqliteCodegen } from '../../codegen/dialects/sqlite/sqlite-dialect.js';
import { renderMigration } from '../../codegen/emit/trigger-migration.js';
import { planTriggers } from '../../codegen/plan/trigger-plan.js';
import { factoryNeedsOf, renderFactories, renderFactoryTypes } from '../../codegen/tests/render-factories.js';
import { renderSetup } from '../../codegen/tests/render-setup.js';
import { renderHarness, renderTestSuite } from '../../codegen/tests/render-test-suite.js';
import { golden } from './support/golden.js';
import { ROOT } from './support/project.js';

/** The fixture schemas the end-to-end test copies into its projects as `schema.ts`. */
const FIXTURE = { pg: 'fixtures/pg/schema.ts', mysql: 'fixtures/mysql/schema.ts', sqlite: 'fixtures/schema.ts' } as const;
const SOURCES = ['schema.ts'];
const RECORDS = { pg: pgCodegen, mysql: mysqlCodegen, sqlite: sqliteCodegen } as const;
// Suites live in test/concurrency/ of a project whose schema is ./schema.ts.
const importPath = () => '../../schema.js';

for (const dialect of ['pg', 'mysql', 'sqlite'] as const) {
  const s = suite(`codegen goldens [${dialect}]`);
  const record = RECORDS[dialect];
  const loading = loadTables([join(ROOT, FIXTURE[dialect])], record);

  s('the conflict suite of a trigger-versioned table, the harness, setup, factories and their types', async () => {
    const { tables, exports } = await loading;
    const products = tables.find((t) => t.name === 'products')!;
    golden(dialect, 'products.test.ts.golden', renderTestSuite(products, exports, importPath, SOURCES));
    golden(dialect, 'harness.ts.golden', renderHarness(SOURCES, record));
    golden(dialect, 'setup.ts.golden', renderSetup(record, '../../drizzle.config.js', 'drizzle.config.ts'));
    const needs = factoryNeedsOf(tables.map((t) => t.table), record, exports);
    golden(dialect, 'factories.ts.golden', renderFactories(needs));
    golden(dialect, 'factory-types.ts.golden', renderFactoryTypes(needs, exports, importPath, SOURCES));
  });

  s('the first trigger migration, and the one after products loses its trigger version', async () => {
    const { tables } = await loading;
    const desired = tables.flatMap((t) => (t.trigger ? [t.trigger] : []));
    const first = planTriggers([], desired);
    golden(dialect, '0001_concurrency_triggers.sql', renderMigration(first, SOURCES, record));
    const second = planTriggers(first.state, desired.filter((t) => t.table !== 'products'));
    golden(dialect, '0002_concurrency_triggers.sql', renderMigration(second, SOURCES, record));
  });

  s.run();
}
