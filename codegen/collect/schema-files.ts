import { globSync } from 'tinyglobby';
import { CodegenError, shown } from '../codegen-error.js';

/**
 * The schema files a config's `schema` names (files or globs, absolute), matched as ts-morph's
 * `addSourceFilesAtPaths` matches them. Done apart from the scan, so loading the modules need
 * not wait for the TypeScript compiler.
 * @example
 * schemaFiles(['/app/src/db/*.ts']) // ['/app/src/db/schema.ts', '/app/src/db/users.ts']
 */
export function schemaFiles(patterns: readonly string[]): string[] {
  const files = globSync([...patterns], { expandDirectories: false, absolute: true });
  if (files.length === 0) throw new CodegenError(`no schema file matches ${patterns.map(shown).join(', ')}`);
  return files;
}
