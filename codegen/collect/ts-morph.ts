import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { Script } from 'node:vm';
import type * as TsMorph from 'ts-morph';

const requireHere = createRequire(import.meta.url);

interface CompiledFile {
  script: Script;
  cacheFile: string;
  fresh: boolean;
}

const compiled: CompiledFile[] = [];

/** `node_modules/.cache/drizzle-concurrency` of the installation holding ts-morph, if it can be made. */
function cacheFolder(): string | undefined {
  const entry = requireHere.resolve('ts-morph');
  const marker = `${sep}node_modules${sep}`;
  const at = entry.lastIndexOf(marker, entry.lastIndexOf(`${marker}ts-morph${sep}`));
  const folder = join(entry.slice(0, at + marker.length), '.cache', 'drizzle-concurrency');
  try {
    mkdirSync(folder, { recursive: true });
    return folder;
  } catch {
    return undefined;
  }
}

const isTsMorphFile = (filename: string) => filename.includes(`${sep}ts-morph${sep}`) || filename.includes(`${sep}@ts-morph${sep}`);

type Loader = (module: { _compile(content: string, filename: string): unknown }, filename: string) => unknown;

/**
 * Requires ts-morph (with the TypeScript compiler it bundles, ~12 MB of JavaScript) through V8's
 * code cache, kept under `node_modules/.cache/drizzle-concurrency`: compiling TypeScript is most of
 * the codegen's fixed cost, and Node 20 has no `module.enableCompileCache()`. Only ts-morph's
 * own files go through it; a cache V8 rejects is simply rebuilt. Those files are pure ASCII, read
 * as Latin-1: Node 20 decodes 9 MB of UTF-8 in ~100 ms, Latin-1 in ~1 ms, same string.
 */
function requireTsMorph(): typeof TsMorph {
  const folder = cacheFolder();
  const internals = Module as unknown as {
    prototype: { _compile(content: string, filename: string): unknown };
    _extensions: Record<string, Loader>;
  };
  const proto = internals.prototype;
  const original = proto._compile;
  const originalJs = internals._extensions['.js']!;
  internals._extensions['.js'] = function readAsciiFast(module, filename) {
    if (!isTsMorphFile(filename)) return originalJs(module, filename);
    const bytes = readFileSync(filename);
    if (!isAscii(bytes)) return originalJs(module, filename);
    return module._compile(bytes.toString('latin1'), filename);
  };
  if (folder) {
    proto._compile = function compileWithCache(this: { exports: unknown }, content: string, filename: string) {
      if (!isTsMorphFile(filename)) return original.call(this, content, filename);
      const { size, mtimeMs } = statSync(filename);
      const key = createHash('sha256').update(`${process.version}\0${filename}\0${size}\0${mtimeMs}`).digest('hex').slice(0, 24);
      const cacheFile = join(folder, `${key}.v8`);
      let cachedData: Buffer | undefined;
      try {
        cachedData = readFileSync(cacheFile);
      } catch {
        cachedData = undefined;
      }
      const script = new Script(Module.wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
      compiled.push({ script, cacheFile, fresh: cachedData === undefined || script.cachedDataRejected === true });
      const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
      return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, dirname(filename));
    };
  }
  try {
    return requireHere('ts-morph') as typeof TsMorph;
  } finally {
    proto._compile = original;
    internals._extensions['.js'] = originalJs;
  }
}

/**
 * Writes the code caches of files compiled without one. Called after a scan, so the functions
 * TypeScript compiled lazily while parsing are in the cache too.
 */
export function saveTsMorphCodeCache(): void {
  for (const file of compiled.splice(0)) {
    if (!file.fresh) continue;
    try {
      writeFileSync(file.cacheFile, file.script.createCachedData());
    } catch {
      // A read-only node_modules only costs the next run its compile time.
    }
  }
}

/** ts-morph's runtime values (loaded with `require`: an ESM `import` of its CommonJS bundle lexes it first). */
export const { Node, Project, SyntaxKind, ts } = requireTsMorph();
