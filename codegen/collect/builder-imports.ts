import type { SourceFile, ts as TsTypes } from 'ts-morph';
import { ts } from './ts-morph.js';
import type { DialectName } from '../../src/dialect/dialect-adapter.js';
import type { VersionKind } from '../../src/schema/version-column.js';

/** What a name in a schema file stands for, as far as the codegen cares. */
export type Meaning =
  | { type: 'builder'; kind: VersionKind; dialect: DialectName; core: string }
  | { type: 'apply' }
  | { type: 'namespace'; members: ReadonlyMap<string, Meaning> };

const BUILDERS: Record<string, VersionKind> = {
  integerVersion: 'integer',
  timestampVersion: 'timestamp',
  triggerVersion: 'trigger',
  conditionalVersion: 'conditional',
};

const PACKAGE = 'drizzle-concurrency';

/** The builder entries of the package, `drizzle-concurrency/<core>`, and their dialects (from the dialect records). */
export type CoreEntries = Readonly<Record<string, DialectName>>;

/**
 * The names the package's own entry points export, for `specifier` (`undefined`: not ours).
 * @example
 * packageExports('drizzle-concurrency/pg-core', { 'pg-core': 'pg' })?.get('triggerVersion')
 * // { type: 'builder', kind: 'trigger', dialect: 'pg', core: 'pg-core' }
 */
export function packageExports(specifier: string, cores: CoreEntries): ReadonlyMap<string, Meaning> | undefined {
  if (specifier === PACKAGE) return new Map([['applyConcurrencyCheck', { type: 'apply' }]]);
  if (!specifier.startsWith(`${PACKAGE}/`)) return undefined;
  const core = specifier.slice(PACKAGE.length + 1);
  const dialect = cores[core];
  if (!dialect) return undefined;
  return new Map(Object.entries(BUILDERS).map(([name, kind]) => [name, { type: 'builder', kind, dialect, core } as Meaning]));
}

/**
 * Resolves which names of a file (its imports, and what it re-exports) are version builders,
 * `applyConcurrencyCheck` or namespaces holding them: aliases, `import * as`, barrel files with
 * `export { … } from` / `export * from`, and `const alias = builder` are followed. No type
 * checker: module specifiers of relative imports are resolved through the project.
 */
export class BuilderImports {
  constructor(
    private readonly resolveRelative: (from: SourceFile, specifier: string) => SourceFile | undefined,
    private readonly cores: CoreEntries,
  ) {}

  private readonly exportsCache = new Map<SourceFile, Map<string, Meaning>>();
  private readonly scopeCache = new Map<SourceFile, Map<string, Meaning>>();

  /** Names visible at the top level of `file` that mean something to the codegen. */
  scope(file: SourceFile): ReadonlyMap<string, Meaning> {
    let scope = this.scopeCache.get(file);
    if (scope) return scope;
    scope = new Map();
    this.scopeCache.set(file, scope);
    for (const decl of file.getImportDeclarations()) {
      const source = this.moduleMeanings(file, decl.getModuleSpecifierValue());
      if (!source) continue;
      const namespace = decl.getNamespaceImport();
      if (namespace) scope.set(namespace.getText(), { type: 'namespace', members: source });
      for (const named of decl.getNamedImports()) {
        const meaning = source.get(named.getName());
        if (meaning) scope.set(named.getAliasNode()?.getText() ?? named.getName(), meaning);
      }
    }
    for (const decl of variableDeclarations(file)) {
      const meaning = decl.initializer ? this.meaningOf(decl.initializer, scope) : undefined;
      if (meaning && ts.isIdentifier(decl.name)) scope.set(decl.name.text, meaning);
    }
    return scope;
  }

  /** The meaning of an expression such as `iv`, `dc.integerVersion` or `ns.inner.builder` (a compiler node: no wrappers). */
  meaningOf(node: TsTypes.Node, scope: ReadonlyMap<string, Meaning>): Meaning | undefined {
    if (ts.isIdentifier(node)) return scope.get(node.text);
    if (ts.isPropertyAccessExpression(node)) {
      const owner = this.meaningOf(node.expression, scope);
      return owner?.type === 'namespace' ? owner.members.get(node.name.text) : undefined;
    }
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) {
      return this.meaningOf(node.expression, scope);
    }
    return undefined;
  }

  private moduleMeanings(from: SourceFile, specifier: string): ReadonlyMap<string, Meaning> | undefined {
    const ours = packageExports(specifier, this.cores);
    if (ours) return ours;
    if (!specifier.startsWith('.')) return undefined;
    const target = this.resolveRelative(from, specifier);
    return target ? this.exportsOf(target) : undefined;
  }

  /** What `file` exports that means something: re-exports followed, local aliases too. */
  private exportsOf(file: SourceFile): Map<string, Meaning> {
    let out = this.exportsCache.get(file);
    if (out) return out;
    out = new Map();
    this.exportsCache.set(file, out);
    const scope = this.scope(file);
    for (const decl of file.getExportDeclarations()) {
      const specifier = decl.getModuleSpecifierValue();
      const source = specifier === undefined ? scope : this.moduleMeanings(file, specifier);
      if (!source) continue;
      const namespace = decl.getNamespaceExport();
      if (namespace) out.set(namespace.getName(), { type: 'namespace', members: source });
      else if (!decl.hasNamedExports()) for (const [name, meaning] of source) out.set(name, meaning);
      for (const named of decl.getNamedExports()) {
        const meaning = source.get(named.getName());
        if (meaning) out.set(named.getAliasNode()?.getText() ?? named.getName(), meaning);
      }
    }
    for (const decl of variableDeclarations(file, true)) {
      if (!ts.isIdentifier(decl.name)) continue;
      const meaning = scope.get(decl.name.text);
      if (meaning) out.set(decl.name.text, meaning);
    }
    return out;
  }
}

/** Top-level `const`/`let` declarations of `file` (only exported ones with `exported`), as compiler nodes. */
function variableDeclarations(file: SourceFile, exported = false): TsTypes.VariableDeclaration[] {
  return file.compilerNode.statements.flatMap((statement) => {
    if (!ts.isVariableStatement(statement)) return [];
    if (exported && !statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return [];
    return [...statement.declarationList.declarations];
  });
}

/**
 * Every call expression in `file`, in source order, as compiler nodes: walking the compiler's
 * tree costs a fraction of wrapping every node in ts-morph objects (2,000 tables: ~20,000 calls).
 */
export function callsIn(file: SourceFile): TsTypes.CallExpression[] {
  const out: TsTypes.CallExpression[] = [];
  const visit = (node: TsTypes.Node): void => {
    if (ts.isCallExpression(node)) out.push(node);
    ts.forEachChild(node, visit);
  };
  visit(file.compilerNode);
  return out;
}
