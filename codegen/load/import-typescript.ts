import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/**
 * Packages stay outside the bundle, imported from where they are installed (by absolute URL, so
 * the bundle can live in a temporary folder); packages that ship TypeScript are bundled.
 */
const installedPackages: Plugin = {
  name: 'installed-packages',
  setup(build) {
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
      return { path: pathToFileURL(found.path).href, external: true };
    });
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
