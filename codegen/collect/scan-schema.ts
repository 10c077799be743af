import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Project as MorphProject, SourceFile, ts as TsTypes } from 'ts-morph';
import type { DialectName } from '../../src/dialect/dialect-adapter.js';
import { CODEGEN_DIALECTS, type CodegenDialect } from '../dialects/index.js';
import type { VersionKind } from '../../src/schema/version-column.js';
import { CodegenError, shown } from '../codegen-error.js';
import { BuilderImports, callsIn, type CoreEntries, type Meaning } from './builder-imports.js';
import { Project, saveTsMorphCodeCache, ts } from './ts-morph.js';

/** One call of a version builder or `applyConcurrencyCheck` found in the source. */
export interface FoundCall {
  file: string;
  line: number;
  what: { type: 'builder'; kind: VersionKind; dialect: DialectName } | { type: 'apply' };
}

/** The result of the static scan: files read and calls found. */
export interface StaticScan {
  files: string[];
  calls: FoundCall[];
}

/** The builder entry of every dialect record (`pg-core` → `pg`, …). */
const CORES: CoreEntries = Object.fromEntries(CODEGEN_DIALECTS.map((d) => [d.core, d.name]));

/**
 * Reads the schema files (absolute paths, see `schemaFiles`) and the local files they import with
 * ts-morph, without the type checker: syntax errors, version builder calls however imported,
 * literal-only options, refusing builders of another dialect than the config's. `collectSchema`
 * runs it while esbuild bundles the modules.
 */
export function scanSchema(files: readonly string[], dialect: CodegenDialect): StaticScan {
  const project = new Project({
    compilerOptions: { allowJs: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
  });
  const roots = files.map((file) => project.addSourceFileAtPath(file));
  const imports = new BuilderImports((from, specifier) => resolveRelative(project, from, specifier), CORES);
  for (const file of roots) imports.scope(file);
  // Local files reached through relative imports were added while resolving: check them all.
  const local = project.getSourceFiles().filter((f) => !f.isDeclarationFile());
  for (const file of local) syntaxErrors(file);
  const calls: FoundCall[] = [];
  for (const file of local) {
    const scope = imports.scope(file);
    if (scope.size === 0) continue;
    for (const call of callsIn(file)) {
      const meaning = imports.meaningOf(call.expression, scope);
      if (meaning?.type === 'builder' || meaning?.type === 'apply') calls.push(checkCall(file, call, meaning, dialect.name));
    }
  }
  saveTsMorphCodeCache();
  return { files: roots.map((f) => f.getFilePath()), calls };
}

const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.js', '/index.ts', '/index.js'];

/** A relative import's file: as written, with a TS extension, `.js` → `.ts`, or a folder index. */
function resolveRelative(project: MorphProject, from: SourceFile, specifier: string): SourceFile | undefined {
  const base = join(dirname(from.getFilePath()), specifier);
  const candidates = [...EXTENSIONS.map((ext) => base + ext), base.replace(/\.(m?)js$/, '.$1ts')];
  for (const path of candidates) {
    if (!existsSync(path) || !statSync(path).isFile()) continue;
    return project.getSourceFile(path) ?? project.addSourceFileAtPath(path);
  }
  return undefined;
}

/** The parser's own diagnostics (no Program, no type checking: building one costs seconds). */
function syntaxErrors(file: SourceFile): void {
  const parsed = (file.compilerNode as unknown as { parseDiagnostics?: readonly TsTypes.Diagnostic[] }).parseDiagnostics;
  const diagnostics = parsed ?? ts.transpileModule(file.getFullText(), { reportDiagnostics: true, fileName: file.getFilePath() }).diagnostics ?? [];
  const first = diagnostics[0];
  if (!first) return;
  const line = first.start === undefined ? undefined : file.getLineAndColumnAtPos(first.start).line;
  throw new CodegenError(`syntax error: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`, { file: shown(file.getFilePath()), line });
}

const ARRAY_OPTIONS = ['checkFields', 'ignoreFields'];

/** 1-based line of a position: the compiler's cached line starts (ts-morph's own helper scans from the top). */
function lineAt(file: SourceFile, pos: number): number {
  return ts.getLineAndCharacterOfPosition(file.compilerNode, pos).line + 1;
}

function checkCall(file: SourceFile, call: TsTypes.CallExpression, meaning: Meaning & { type: 'builder' | 'apply' }, dialect: DialectName): FoundCall {
  const source = file.compilerNode;
  const text = (node: TsTypes.Node) => node.getText(source);
  const where = { file: shown(file.getFilePath()), line: lineAt(file, call.getStart(source)) };
  const name = text(call.expression);
  if (meaning.type === 'builder' && meaning.dialect !== dialect) {
    throw new CodegenError(`${name}() comes from drizzle-concurrency/${meaning.core} but the config's dialect is ${dialect}`, where);
  }
  if (meaning.type === 'builder' && (meaning.kind === 'trigger' || meaning.kind === 'conditional')) {
    const args = call.arguments;
    const config = args[0] && ts.isObjectLiteralExpression(args[0]) ? args[0] : args[1];
    if (config !== undefined && !ts.isObjectLiteralExpression(config)) {
      throw new CodegenError(`the options of ${name}() must be an object literal, so the codegen can read them`, where);
    }
    for (const property of config?.properties ?? []) {
      if (!ts.isPropertyAssignment(property)) {
        throw new CodegenError(`the options of ${name}() must be plain "key: literal" properties, got ${text(property)}`, where);
      }
      const key = text(property.name);
      const value = property.initializer;
      const at = { ...where, line: lineAt(file, value.getStart(source)) };
      if (ARRAY_OPTIONS.includes(key)) {
        const literal = ts.isArrayLiteralExpression(value) && value.elements.every((e) => ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e));
        if (!literal) throw new CodegenError(`${key} of ${name}() must be an array of string literals, got ${text(value)}`, at);
      } else if (key === 'triggerName' && !(ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value))) {
        throw new CodegenError(`triggerName of ${name}() must be a string literal, got ${text(value)}`, at);
      }
    }
  }
  const what = meaning.type === 'apply' ? meaning : { type: 'builder' as const, kind: meaning.kind, dialect: meaning.dialect };
  return { file: file.getFilePath(), line: where.line, what };
}
