import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';

/** A module that failed to build, with where esbuild saw the problem. */
export class ModuleBuildError extends Error {
  constructor(
    message: string,
    readonly file: string | undefined,
    readonly line: number | undefined,
  ) {
    super(message);
    this.name = 'ModuleBuildError';
  }
}

const JS_FILE = /\.(c|m)?js$/;

/** `require` of the bundle (its banner defines it): CommonJS packages are loaded through it. */
const REQUIRE = '__drizzleConcurrencyRequire';
const BANNER = `import { createRequire as __drizzleConcurrencyCreateRequire } from 'node:module';\nconst ${REQUIRE} = __drizzleConcurrencyCreateRequire(import.meta.url);`;
const CJS_NAMESPACE = 'drizzle-concurrency-cjs';

/** Whether Node loads `file` as CommonJS: `.cjs`, or `.js` whose nearest package.json is not `"type": "module"`. */
function isCommonJs(file: string, types: Map<string, string | undefined>): boolean {
  if (file.endsWith('.cjs')) return true;
  if (file.endsWith('.mjs')) return false;
  const seen: string[] = [];
  let type: string | undefined;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (types.has(dir)) {
      type = types.get(dir);
      break;
    }
    seen.push(dir);
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type;
      } catch {
        type = undefined;
      }
      break;
    }
    if (dirname(dir) === dir) break;
  }
  for (const dir of seen) types.set(dir, type);
  return type !== 'module';
}

/**
 * Packages stay outside the bundle, imported from where they are installed (by absolute URL, so
 * the bundle can live in a temporary folder); packages that ship TypeScript are bundled. A
 * CommonJS package is `require`d (as drizzle-kit's loader does), not imported: Node's `import`
 * of CommonJS finds named exports only where its static lexer can see them, so
 * `module.exports = { STATUSES: [...] }` or `Object.defineProperty(exports, …)` would lose
 * `import { STATUSES } from 'pkg'`; esbuild's interop reads the property at run time instead.
 */
const installedPackages: Plugin = {
  name: 'installed-packages',
  setup(build) {
    const types = new Map<string, string | undefined>();
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === installedPackages) return undefined;
      const found = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: installedPackages,
      });
      if (found.errors.length > 0) return { errors: found.errors };
      if (found.external || !JS_FILE.test(found.path)) return undefined;
      if (isCommonJs(found.path, types)) return { path: found.path, namespace: CJS_NAMESPACE };
      return { path: pathToFileURL(found.path).href, external: true };
    });
    build.onLoad({ filter: /.*/, namespace: CJS_NAMESPACE }, (args) => ({
      contents: `module.exports = ${REQUIRE}(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * Imports TypeScript (or JavaScript) modules and returns their namespaces, in order. esbuild
 * bundles them into one temporary ES module (relative imports and `tsconfig` paths inlined,
 * installed packages imported in place), which is then imported with source maps on, so stack
 * traces — and the call sites the version builders record — name the original files and lines.
 * Modules shared by several files are evaluated once. Nothing is written beside the sources.
 * `onBundle` sees the bundle's URL and text before it is imported.
 */
export async function importTypeScript(
  files: readonly string[],
  onBundle?: (url: string, text: string) => void,
): Promise<Record<string, unknown>[]> {
  const esbuild = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'drizzle-concurrency-'));
  const outfile = join(dir, 'modules.mjs');
  try {
    const entry = files.map((file, i) => `export * as m${i} from ${JSON.stringify(file)};`).join('\n');
    let text: string;
    try {
      const result = await esbuild.build({
        stdin: { contents: entry, resolveDir: dir, sourcefile: 'drizzle-concurrency-entry.ts', loader: 'ts' },
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        conditions: ['node'],
        mainFields: ['main'],
        banner: { js: BANNER },
        sourcemap: 'inline',
        sourcesContent: false,
        outfile,
        write: false,
        logLevel: 'silent',
        plugins: [installedPackages],
      });
      text = result.outputFiles[0]!.text;
    } catch (error) {
      const first = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors?.[0];
      if (!first) throw error;
      throw new ModuleBuildError(first.text, first.location?.file, first.location?.line);
    }
    writeFileSync(outfile, text);
    onBundle?.(pathToFileURL(outfile).href, text);
    const sourceMaps = process.sourceMapsEnabled;
    process.setSourceMapsEnabled(true);
    try {
      const mod = (await import(pathToFileURL(outfile).href)) as Record<string, Record<string, unknown>>;
      return files.map((_, i) => mod[`m${i}`]!);
    } finally {
      process.setSourceMapsEnabled(sourceMaps);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
