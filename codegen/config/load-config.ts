import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CodegenError, shown } from '../codegen-error.js';
import { KIT_DIALECT_NAMES, dialectOfKit, type CodegenDialect } from '../dialects/index.js';
import { importTypeScript } from '../load/import-typescript.js';

/** The parts of a `drizzle.config.ts` the codegen reads, normalised. */
export interface CodegenConfig {
  /** Absolute path of the config file. */
  file: string;
  /** Directory paths are resolved against (the config's directory). */
  root: string;
  /** The record of the config's drizzle-kit `dialect` (`postgresql`, `mysql`, `sqlite`, `turso`). */
  dialect: CodegenDialect;
  /** Schema globs or files, absolute. */
  schema: string[];
  /** Migrations folder, absolute. */
  out: string;
  dbCredentials: Record<string, unknown> | undefined;
  casing: 'snake_case' | 'camelCase' | undefined;
}

/**
 * Loads a `drizzle.config.ts` (bundled by esbuild, so TypeScript, `tsconfig` paths and `process.env` work) and checks
 * the fields the codegen needs.
 */
export async function loadConfig(path = 'drizzle.config.ts'): Promise<CodegenConfig> {
  const file = resolve(path);
  if (!existsSync(file)) throw new CodegenError(`config file not found`, { file: shown(file) });
  let loaded: unknown;
  try {
    const [mod] = (await importTypeScript([file])) as any[];
    loaded = mod.default?.default ?? mod.default ?? mod;
  } catch (error) {
    throw new CodegenError(`cannot load the config: ${(error as Error).message}`, { file: shown(file) }, { cause: error });
  }
  const config = loaded as Record<string, unknown>;
  const where = { file: shown(file) };
  const kitDialect = config['dialect'];
  const dialect = typeof kitDialect === 'string' ? dialectOfKit(kitDialect) : undefined;
  if (!dialect) throw new CodegenError(`dialect must be one of ${KIT_DIALECT_NAMES.join(', ')}, got ${JSON.stringify(kitDialect)}`, where);
  const schemaField = config['schema'];
  const schema = (Array.isArray(schemaField) ? schemaField : [schemaField]).filter((s): s is string => typeof s === 'string');
  if (schema.length === 0) throw new CodegenError('schema must name a file, a glob or an array of them', where);
  const out = config['out'] ?? 'drizzle';
  if (typeof out !== 'string') throw new CodegenError('out must be a folder path', where);
  const root = dirname(file);
  const casing = config['casing'];
  return {
    file,
    root,
    dialect,
    schema: schema.map((s) => resolve(root, s)),
    out: resolve(root, out),
    dbCredentials: config['dbCredentials'] as Record<string, unknown> | undefined,
    casing: casing === 'snake_case' || casing === 'camelCase' ? casing : undefined,
  };
}
