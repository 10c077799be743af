import type { Node as MorphNode, SourceFile } from 'ts-morph';
import { Node, SyntaxKind } from './ts-morph.js';
import type { DialectName } from '../../src/dialect-adapter.js';
import type { VersionKind } from '../../src/version-column.js';

/** What a name in a schema file stands for, as far as the codegen cares. */
export type Meaning =
  | { type: 'builder'; kind: VersionKind; dialect: DialectName }
  | { type: 'apply' }
  | { type: 'namespace'; members: ReadonlyMap<string, Meaning> };

const BUILDERS: Record<string, VersionKind> = {
  integerVersion: 'integer',
  timestampVersion: 'timestamp',
  triggerVersion: 'trigger',
  conditionalVersion: 'conditional',
};

const PACKAGE = 'drizzle-concurrency';
const CORE_ENTRIES: Record<string, DialectName> = { 'pg-core': 'pg', 'mysql-core': 'mysql', 'sqlite-core': 'sqlite' };

/** The names the package's own entry points export, for `specifier` (`undefined`: not ours). */
export function packageExports(specifier: string): ReadonlyMap<string, Meaning> | undefined {
  if (specifier === PACKAGE) return new Map([['applyConcurrencyCheck', { type: 'apply' }]]);
  if (!specifier.startsWith(`${PACKAGE}/`)) return undefined;
  const dialect = CORE_ENTRIES[specifier.slice(PACKAGE.length + 1)];
  if (!dialect) return undefined;
  return new Map(Object.entries(BUILDERS).map(([name, kind]) => [name, { type: 'builder', kind, dialect } as Meaning]));
}

/**
 * Resolves which names of a file (its imports, and what it re-exports) are version builders,
 * `applyConcurrencyCheck` or namespaces holding them: aliases, `import * as`, barrel files with
 * `export { … } from` / `export * from`, and `const alias = builder` are followed. No type
 * checker: module specifiers of relative imports are resolved through the project.
 */
export class BuilderImports {
  constructor(private readonly resolveRelative: (from: SourceFile, specifier: string) => SourceFile | undefined) {}

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
    for (const statement of file.getVariableStatements()) {
      for (const decl of statement.getDeclarations()) {
        const init = decl.getInitializer();
        const meaning = init ? this.meaningOf(init, scope) : undefined;
        if (meaning && Node.isIdentifier(decl.getNameNode())) scope.set(decl.getName(), meaning);
      }
    }
    return scope;
  }

  /** The meaning of an expression such as `iv`, `dc.integerVersion` or `ns.inner.builder`. */
  meaningOf(node: MorphNode, scope: ReadonlyMap<string, Meaning>): Meaning | undefined {
    if (Node.isIdentifier(node)) return scope.get(node.getText());
    if (Node.isPropertyAccessExpression(node)) {
      const owner = this.meaningOf(node.getExpression(), scope);
      return owner?.type === 'namespace' ? owner.members.get(node.getName()) : undefined;
    }
    if (Node.isParenthesizedExpression(node) || Node.isAsExpression(node) || Node.isNonNullExpression(node)) {
      return this.meaningOf(node.getExpression(), scope);
    }
    return undefined;
  }

  private moduleMeanings(from: SourceFile, specifier: string): ReadonlyMap<string, Meaning> | undefined {
    const ours = packageExports(specifier);
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
    for (const statement of file.getVariableStatements()) {
      if (!statement.hasExportKeyword()) continue;
      for (const decl of statement.getDeclarations()) {
        const meaning = scope.get(decl.getName());
        if (meaning) out.set(decl.getName(), meaning);
      }
    }
    return out;
  }
}

/** Every call expression in `file`, in source order. */
export function callsIn(file: SourceFile) {
  return file.getDescendantsOfKind(SyntaxKind.CallExpression);
}
