import { getTableColumns, getTableName, type Column, type Table } from 'drizzle-orm';
import { primaryKeyColumns } from '../../src/schema/primary-key.js';
import { tableSchema } from '../../src/triggers/trigger-spec.js';
import type { VersionedTable } from '../collect/load-tables.js';
import type { CodegenDialect } from '../dialects/index.js';
import { CasingCache } from 'drizzle-orm/casing';
import { foreignKeys, isJson, keyOf, sample, uniqueColumns } from './sample-values.js';

/** Where a table is exported from, so generated code can import it. */
export type ExportIndex = ReadonlyMap<Table, { exportName: string; module: string }>;

/**
 * The shared part of the generated suites (overwritten by each run): one connection per suite,
 * every test in a transaction rolled back at its end (the database is left as it was found),
 * row numbers just above the keys already stored, and an assertion for rejected promises.
 */
export function renderHarness(sources: readonly string[], dialect: CodegenDialect): string {
  const d = dialect.harness;
  return `${banner(sources)}
import { max, ${d.counters ? 'sql, ' : ''}type SQL } from 'drizzle-orm';
import type { ${d.columnType} } from 'drizzle-orm/${dialect.core}';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, type Connection } from './setup.js';

type Database = Connection['db'];

/** The transaction a test runs in: rolled back when the test ends, whatever it did. */
export type TestDatabase = Parameters<Parameters<Database['transaction']>[0]>[0];

/** What a test sees: its transaction, and raw SQL run in that same transaction. */
export interface SuiteConnection {
  readonly db: TestDatabase;
  /** Runs SQL outside the library (as psql or the mysql client would), in the test's transaction. */
  raw(query: SQL): Promise<void>;
}

/** Thrown at the end of each test to roll its transaction back. */
const ROLLBACK = Symbol('rollback');

let counter = 0;

/** Numbers unique within the run, above every key of the suite's tables: row keys, unique columns, changed values. */
export const ids = {
  next: () => ++counter,
};

/**
 * A uvu suite whose tests each run in a transaction of the suite's connection, rolled back at the
 * end: a test leaves every table as it found it (rows, and counters such as AUTO_INCREMENT), and
 * the raw SQL it runs goes through the same transaction. \`keys\` are the numeric key columns of
 * the tables the suite inserts into: row numbers start above the largest key stored, so they
 * never collide with existing rows nor push a counter far. A connection that cannot open fails
 * every test with its error (uvu would skip them silently, exit code 0).
 */
export function conflictSuite(name: string, keys: readonly ${d.columnType}[] = []) {
  const inner = suite(name);
  let open: Connection | undefined;
  let failure: { error: unknown } | undefined;
  let active: TestDatabase | undefined;${d.counters ? '\n  let counters: Map<string, number> | undefined;' : ''}
  inner.before(async () => {
    try {
      open = await connect();${d.counters ? '\n      counters = await readCounters(open.db);' : ''}
      for (const key of keys) {
        const [found] = await open.db.select({ top: max(key) }).from(key.table);
        counter = Math.max(counter, Number(found?.top ?? 0));
      }
    } catch (error) {
      failure = { error };
    }
  });
  inner.after(async () => {
    try {
      ${d.counters ? 'if (open && counters) await restoreCounters(open.db, counters);' : '// Nothing outlives a rolled-back transaction here.'}
    } finally {
      await open?.close();
    }
  });
  const current = () => {
    if (failure) throw failure.error;
    if (!active) throw new Error('the database is used inside a test only');
    return active;
  };
  const c: SuiteConnection = {
    get db() {
      return current();
    },
    raw: async (query) => void (await current().${d.run}(query)),
  };
  const test = (title: string, body: () => Promise<void>) =>
    inner(title, async () => {
      if (failure) throw failure.error;
      if (!open) throw new Error('the connection opens before the first test');
      try {
        await open.db.transaction(async (tx) => {
          active = tx;
          try {
            await body();
          } finally {
            active = undefined;
          }
          throw ROLLBACK;
        });
      } catch (error) {
        if (error !== ROLLBACK) throw explain(error);
      }
    });
  test.run = () => inner.run();
  return { test, c };
}
${d.counters ?? ''}
/** Asserts that \`call\` rejects with an instance of \`kind\`. */
export async function rejects(call: () => Promise<unknown>, kind: new (...args: any[]) => Error): Promise<void> {
  try {
    await call();
  } catch (error) {
    assert.instance(error, kind);
    return;
  }
  assert.unreachable(\`expected \${kind.name}\`);
}

/** Appends the causes of \`error\` (the driver's, under Drizzle's "Failed query: …") to its message. */
function explain(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  for (let cause = error.cause; cause instanceof Error; cause = cause.cause) {
    if (!error.message.includes(cause.message)) error.message += \`\\n    cause: \${cause.message}\`;
  }
  return error;
}

`;
}

/** The first line of every generated test file. */
export function banner(sources: readonly string[]): string {
  return `// generated by drizzle-concurrency from ${sources.join(', ')} — do not edit`;
}

interface Maker {
  table: Table;
  name: string;
  code: string;
}

/** The tables the suite of `table` inserts into: itself and the parents its required foreign keys need. */
export function insertedTables(table: Table, dialect: CodegenDialect, index: ExportIndex): Table[] {
  const out = new Map<Table, Maker>();
  makers(table, dialect, index, out);
  return [...out.keys()];
}

/** `makeX()` functions inserting a row of `table` (parents first) and returning its values. */
function makers(table: Table, dialect: CodegenDialect, index: ExportIndex, out: Map<Table, Maker>, path: Table[] = []): string {
  const existing = out.get(table);
  if (existing) return existing.name;
  const exported = index.get(table);
  if (!exported) throw new Error(`a table referenced by a foreign key is not exported from the schema`);
  const name = `make${exported.exportName[0]!.toUpperCase()}${exported.exportName.slice(1)}`;
  const columns = getTableColumns(table) as Record<string, Column>;
  const pk = new Set(primaryKeyColumns(table).map((c) => c.name));
  const lines: string[] = ['  const id = ids.next();'];
  const values: string[] = [];
  const fkValue = new Map<string, string>();
  foreignKeys(table, dialect).forEach((fk, i) => {
    if (fk.parent === table || path.includes(fk.parent)) return;
    const required = fk.columns.some((c) => c.notNull || pk.has(c.name));
    if (!required) return;
    const parentMaker = makers(fk.parent, dialect, index, out, [...path, table]);
    lines.push(`  const parent${i} = await ${parentMaker}();`);
    fk.columns.forEach((c, j) => fkValue.set(c.name, `parent${i}.${keyOf(fk.parent, fk.parentColumns[j]!)}`));
  });
  const unique = uniqueColumns(table, dialect);
  const json: string[] = [];
  for (const [key, column] of Object.entries(columns)) {
    const fk = fkValue.get(column.name);
    if (fk) values.push(`${key}: ${fk}`);
    // Keys and unique columns get values distinct per row, of the column's type (uuid, text, numbers…).
    else if (pk.has(column.name) && !column.generated) {
      const value = sample(column, true)?.insert;
      if (value !== undefined) values.push(`${key}: ${value}`);
    } else if (column.notNull && !column.hasDefault && !column.generated) {
      const value = sample(column, unique.has(column.name))?.insert;
      if (value !== undefined) (isJson(column) ? json : values).push(`${key}: ${value}`);
    }
  }
  // JSON defaults in a spread of their own: a `$type<T>()` column's factory replaces them (typed).
  if (json.length > 0) values.push(`...{ ${json.join(', ')} }`);
  const t = exported.exportName;
  // The factory's values win (typed per table in factory-types.ts: what the codegen cannot fill is required there).
  lines.push(
    `  const values = { ${values.join(', ')}, ...factories[${JSON.stringify(tableLabel(table))}]?.(id) };`,
    `  await c.db.insert(${t}).values(values);`,
    '  return values;',
  );
  out.set(table, { table, name, code: `async function ${name}() {\n${lines.join('\n')}\n}` });
  return name;
}

/** `table.key` of each single numeric primary key among the tables the suite inserts into. */
function numericKeys(makersOut: ReadonlyMap<Table, Maker>, index: ExportIndex): string[] {
  return [...makersOut.keys()].flatMap((table) => {
    const pk = primaryKeyColumns(table);
    const only = pk.length === 1 ? pk[0]! : undefined;
    return only && (only.dataType === 'number' || only.dataType === 'bigint') ? [`${index.get(table)!.exportName}.${keyOf(table, only)}`] : [];
  });
}

/** `schema.table` or `table`, as in messages and overrides. */
export function tableLabel(table: Table): string {
  const schema = tableSchema(table);
  return schema ? `${schema}.${getTableName(table)}` : getTableName(table);
}

/** Picks the columns to change: one that moves the version, and (conditional) one that must not. */
function pickColumns(vt: VersionedTable): { moving: [string, Column] | undefined; still: [string, Column] | undefined } {
  const columns = Object.entries(getTableColumns(vt.table) as Record<string, Column>);
  const pk = new Set(primaryKeyColumns(vt.table).map((c) => c.name));
  const fks = new Set(foreignKeys(vt.table, vt.dialect).flatMap((fk) => fk.columns.map((c) => c.name)));
  const unique = uniqueColumns(vt.table, vt.dialect);
  // A column whose change is a valid, different value of its type: not a key, not unique, not
  // generated, not JSON (a `$type<T>()` is invisible at run time) and not a one-value enum.
  const candidates = columns.filter(
    ([key, c]) => key !== vt.version.key && !pk.has(c.name) && !fks.has(c.name) && !c.generated && !unique.has(c.name) && !isJson(c) && sample(c, false)?.change !== undefined,
  );
  const watched = vt.version.kind === 'conditional' || vt.version.kind === 'trigger' ? watchedKeys(vt) : undefined;
  const moving = candidates.find(([key]) => !watched || watched.has(key));
  const still = watched ? candidates.find(([key]) => !watched.has(key)) : undefined;
  return { moving, still };
}

function watchedKeys(vt: VersionedTable): Set<string> | undefined {
  const { version } = vt;
  if (version.checkFields) return new Set(version.checkFields);
  if (version.kind === 'trigger') return undefined;
  const keys = Object.keys(getTableColumns(vt.table)).filter((k) => k !== version.key && !(version.ignoreFields ?? []).includes(k));
  return new Set(keys);
}

/**
 * The uvu conflict-test suite of one versioned table (the ConcurrencyTestMixin twin): a fresh
 * update moves the version as its kind says, stale update and stale delete raise, a deleted row
 * raises RecordDeletedError, trigger versions move on a raw SQL UPDATE, conditional versions do
 * not move on unchecked fields.
 */
export function renderTestSuite(
  vt: VersionedTable,
  index: ExportIndex,
  importPath: (module: string) => string,
  sources: readonly string[],
  casing?: 'snake_case' | 'camelCase',
): string {
  const makersOut = new Map<Table, Maker>();
  const make = makers(vt.table, vt.dialect, index, makersOut);
  const t = index.get(vt.table)!.exportName;
  const v = vt.version.key;
  const pkKeys = primaryKeyColumns(vt.table).map((c) => keyOf(vt.table, c));
  const where = pkKeys.length === 1 ? `eq(${t}.${pkKeys[0]}, values.${pkKeys[0]})` : `and(${pkKeys.map((k) => `eq(${t}.${k}, values.${k})`).join(', ')})`;
  const { moving, still } = pickColumns(vt);
  const changed = (column: Column) => sample(column, false)!.change!;
  const change = moving ? `{ ${moving[0]}: ${changed(moving[1])} }` : '{}';
  const moved = vt.version.kind === 'timestamp' ? `assert.ok(saved.${v} > row.${v})` : `assert.is(saved.${v}, row.${v} + 1)`;
  const imports = new Map<string, string[]>();
  for (const { table } of makersOut.values()) {
    const e = index.get(table)!;
    imports.set(e.module, [...(imports.get(e.module) ?? []), e.exportName]);
  }
  const tests: string[] = [
    `test('a fresh update succeeds and the version moves', async () => {
  const row = await insertRow();
  const id = ids.next();
  const saved = await versionedUpdate(c.db, ${t}, row, ${change});
  ${moved};
});`,
    `test('a stale update raises RecordModifiedError', async () => {
  const row = await insertRow();
  const id = ids.next();
  await versionedUpdate(c.db, ${t}, row, ${change});
  await rejects(() => versionedUpdate(c.db, ${t}, row, ${change}), RecordModifiedError);
});`,
    `test('a stale delete raises RecordModifiedError and the row survives', async () => {
  const row = await insertRow();
  const id = ids.next();
  await versionedUpdate(c.db, ${t}, row, ${change});
  await rejects(() => versionedDelete(c.db, ${t}, row), RecordModifiedError);
  assert.ok(await isChanged(c.db, ${t}, row));
  await readRow(row);
});`,
    `test('a deleted row raises RecordDeletedError', async () => {
  const row = await insertRow();
  await versionedDelete(c.db, ${t}, row);
  await rejects(() => versionedUpdate(c.db, ${t}, row, {}), RecordDeletedError);
});`,
  ];
  if (vt.version.kind === 'trigger' && moving) {
    tests.push(`test('a raw SQL update from outside the app moves the version by 1', async () => {
  const row = await insertRow();
  const id = ids.next();
  await c.raw(sql\`update \${${t}} set \${sql.identifier(${JSON.stringify(new CasingCache(casing).getColumnCasing(moving[1]))})} = \${${changed(moving[1])}} where ${pkKeys.map((k) => `\${${t}.${k}} = \${row.${k}}`).join(' and ')}\`);
  const stored = await readRow(row);
  assert.is(stored.${v}, row.${v} + 1);
});`);
  }
  if (vt.version.kind === 'conditional' && still) {
    tests.push(`test('a change to an unchecked field keeps the version', async () => {
  const row = await insertRow();
  const id = ids.next();
  const saved = await versionedUpdate(c.db, ${t}, row, { ${still[0]}: ${changed(still[1])} });
  assert.is(saved.${v}, row.${v});
});`);
  }
  const orm = ['eq', ...(pkKeys.length > 1 ? ['and'] : []), ...(tests.some((x) => x.includes('c.raw(')) ? ['sql'] : [])].sort();
  // Declare `id` only in the tests whose change values use it.
  const withIds = tests.map((x) => (/\bid\b/.test(x.replace('const id = ids.next();', '')) ? x : x.replace('\n  const id = ids.next();', '')));
  tests.splice(0, tests.length, ...withIds);
  const header = [
    banner(sources),
    `import { ${orm.join(', ')} } from 'drizzle-orm';`,
    `import * as assert from 'uvu/assert';`,
    `import { RecordDeletedError, RecordModifiedError, isChanged, versionedDelete, versionedUpdate } from 'drizzle-concurrency';`,
    ...[...imports].map(([module, names]) => `import { ${[...new Set(names)].sort().join(', ')} } from '${importPath(module)}';`),
    `import { factories } from './factories.js';`,
    `import { conflictSuite, ids, rejects } from './harness.js';`,
  ];
  return `${header.join('\n')}

const { test, c } = conflictSuite(${JSON.stringify(`${tableLabel(vt.table)}: optimistic locking (${vt.version.kind} version "${v}")`)}, [${numericKeys(makersOut, index).join(', ')}]);

${[...makersOut.values()].reverse().map((m) => m.code).join('\n\n')}

async function readRow(values: { ${pkKeys.map((k) => `${k}: NonNullable<(typeof ${t}.$inferInsert)['${k}']>`).join('; ')} }) {
  const [row] = await c.db.select().from(${t}).where(${where});
  assert.ok(row, 'row not found');
  return row!;
}

async function insertRow() {
  const values = await ${make}();
  return readRow(values);
}

${tests.join('\n\n')}

test.run();
`;
}
