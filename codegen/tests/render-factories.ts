import type { Column, Table } from 'drizzle-orm';
import type { CodegenDialect } from '../dialects/index.js';
import { ownedBanner } from './render-setup.js';
import { banner, insertedTables, tableLabel, type ExportIndex } from './render-test-suite.js';
import { factoryNeeds, foreignKeys } from './sample-values.js';

/** A table the generated tests insert into, and what its factory must return. */
export interface FactoryNeed {
  table: Table;
  label: string;
  /** Columns the codegen cannot fill (custom types…): required entries of the factory. */
  required: [string, Column][];
  /** NOT NULL JSON columns without default: required when declared with `$type<T>()`. */
  json: [string, Column][];
}

/** What the factories of the tables the suites insert into must supply, per table. */
export function factoryNeedsOf(tables: readonly Table[], dialect: CodegenDialect, index: ExportIndex): FactoryNeed[] {
  const all = new Set<Table>();
  for (const table of tables) for (const t of insertedTables(table, dialect, index)) all.add(t);
  return [...all].map((table) => {
    // Foreign keys to other tables are filled from the parent row the test inserts first.
    const fromParents = new Set(foreignKeys(table, dialect).flatMap((fk) => (fk.parent === table ? [] : fk.columns.map((c) => c.name))));
    const needs = factoryNeeds(table, fromParents);
    return { table, label: tableLabel(table), ...needs };
  });
}

/** `posts.meta (json)`-style names of the columns a factory must fill, for stderr. */
export function unfillableColumns(needs: readonly FactoryNeed[]): string[] {
  return needs.flatMap((n) => [
    ...n.required.map(([, c]) => `${n.label}.${c.name} (${c.getSQLType()})`),
    ...n.json.map(([, c]) => `${n.label}.${c.name} (${c.getSQLType()}: when it has a $type<T>())`),
  ]);
}

/**
 * The generated `factory-types.ts` (overwritten by each run): the type of `factories.ts`, one
 * entry per table the tests insert into, typed from the schema (`$inferInsert`). A table with a
 * column the codegen cannot fill has a required entry returning that column, so `tsc` names
 * what is missing; other entries are optional and return any subset of the insert values.
 * @example
 * renderFactoryTypes(needs, index, importPath, ['schema.ts'])
 * // export type Factories = Entry<'things', Insert<typeof things>, Needs<Insert<typeof things>, 'code'>> & …
 */
export function renderFactoryTypes(needs: readonly FactoryNeed[], index: ExportIndex, importPath: (module: string) => string, sources: readonly string[]): string {
  const imports = new Map<string, Set<string>>();
  const entries = needs.map((n) => {
    const e = index.get(n.table)!;
    imports.set(e.module, (imports.get(e.module) ?? new Set()).add(e.exportName));
    const insert = `Insert<typeof ${e.exportName}>`;
    const keys = (columns: [string, Column][]) => columns.map(([k]) => JSON.stringify(k)).join(' | ');
    const parts = [
      ...(n.required.length ? [`Needs<${insert}, ${keys(n.required)}>`] : []),
      ...(n.json.length ? [`TypedJson<${insert}, ${keys(n.json)}>`] : []),
    ];
    return `Entry<${JSON.stringify(n.label)}, ${insert}, ${parts.length ? parts.join(' & ') : 'Nothing'}>`;
  });
  const needsRequired = needs.some((n) => n.required.length > 0);
  const needsJson = needs.some((n) => n.json.length > 0);
  const head = [...imports].map(([module, names]) => `import type { ${[...names].sort().join(', ')} } from '${importPath(module)}';`);
  return `${banner(sources)}
${head.join('\n')}

/** The insert values of a table, as Drizzle infers them from the schema. */
type Insert<T extends { $inferInsert: object }> = T['$inferInsert'];
/** No column the factory must return. */
type Nothing = Record<never, never>;
${needsRequired ? `/** Columns the factory must return: the codegen cannot make their values up (custom types…). */
type Needs<I, K extends keyof I> = { [P in K]-?: Exclude<I[P], undefined> };
` : ''}${needsJson ? `/** NOT NULL JSON columns: needed when declared with \`$type<T>()\` (untyped JSON takes \`{}\`). */
type TypedJson<I, K extends keyof I> = { [P in K as unknown extends I[P] ? never : P]-?: Exclude<I[P], undefined> };
` : ''}/** Any subset of a table's insert values (none of them \`undefined\`: a value the tests' own would give way to). */
type Values<I> = { [P in keyof I]?: Exclude<I[P], undefined> };
/** A table's factory: optional when it needs nothing, else required and returning what it needs. */
type Entry<L extends string, I, N> = Nothing extends N
  ? { readonly [P in L]?: (id: number) => Values<I> }
  : { readonly [P in L]: (id: number) => N & Values<I> };

/** The type of \`factories\` in factories.ts: one entry per table the tests insert into ("name" or "schema.name"). */
export type Factories = ${entries.length ? entries.join('\n  & ') : 'Nothing'};
`;
}

/**
 * The user-owned factory module (created once): column values merged into the rows the tests
 * insert, typed by the generated factory-types.ts. Lists, as comments, the columns it must fill.
 */
export function renderFactories(needs: readonly FactoryNeed[]): string {
  const todo = needs.filter((n) => n.required.length > 0 || n.json.length > 0);
  const lines = todo.map(
    (n) =>
      `  // ${JSON.stringify(n.label)}: (id) => ({ ${[...n.required, ...n.json].map(([k]) => `${k}: …`).join(', ')} }),${n.required.length ? '' : ' (JSON: needed if it has a $type<T>())'}`,
  );
  return `${ownedBanner('for the conflict tests')}
import type { Factories } from './factory-types.js';

/**
 * Column values the generated tests merge into each row they insert, per table ("name" or
 * "schema.name"): for column types the codegen cannot make up (factory-types.ts makes those
 * entries required), typed JSON, checks and triggers of your own. \`id\` is a number unique to
 * the row.
 * @example
 * export const factories: Factories = { products: (id) => ({ sku: \`SKU-\${id}\` }) };
 */
export const factories: Factories = {${lines.length ? `\n${lines.join('\n')}\n` : ''}};
`;
}


/** `export const overrides`, `export { overrides }`…: the factory module of the first generated suites. */
const EXPORTS_OVERRIDES = /\bexport\s+(?:(?:const|let|var|function)\s+overrides\b|\{[^}]*\boverrides\b[^}]*\})/;
const EXPORTS_FACTORIES = /\bexport\s+(?:(?:const|let|var|function)\s+factories\b|\{[^}]*\bfactories\b[^}]*\})/;

/**
 * The one-line hint `generate` prints when a user-owned factories.ts (`shownPath`, its `text`)
 * still exports `overrides`, the format of the first generated suites, and not `factories`,
 * which the suites now import; `undefined` otherwise. generate never rewrites that file.
 * @example
 * oldFactoriesHint('test/concurrency/factories.ts', 'export const overrides = {};')
 * // 'test/concurrency/factories.ts exports "overrides" (the old format): rename it to "factories", typed … '
 */
export function oldFactoriesHint(shownPath: string, text: string): string | undefined {
  if (!EXPORTS_OVERRIDES.test(text) || EXPORTS_FACTORIES.test(text)) return undefined;
  return `${shownPath} exports "overrides" (the old format): rename it to "factories", typed \`export const factories: Factories\` with \`import type { Factories } from './factory-types.js'\`, as the generated suites import it`;
}
