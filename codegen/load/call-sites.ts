import { findSourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const CAPTURE = Symbol.for('drizzle-concurrency.capture-sites');

/** Frames of the library itself (builders, `applyConcurrencyCheck`) and of this capture. */
const OWN_FRAME = /(call-site|call-sites|version-builders|-version-columns|apply-concurrency-check)\.[cm]?[tj]s$/;

function structuredFrames(): NodeJS.CallSite[] {
  const previous = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  Error.prepareStackTrace = (_error, frames) => frames;
  Error.stackTraceLimit = 20;
  try {
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, structuredFrames);
    return holder.stack as NodeJS.CallSite[];
  } finally {
    Error.prepareStackTrace = previous;
    Error.stackTraceLimit = limit;
  }
}

/** Where a version builder or `applyConcurrencyCheck` was called: an absolute path and a 1-based line. */
export interface CallSite {
  file: string;
  line: number;
}

/** The source maps of the bundles being imported, by URL (read once each). */
const bundles = new Map<string, ReturnType<typeof findSourceMap> | null>();

/** Marks `url` as a bundle whose frames map back to their original files. */
export function registerBundle(url: string): void {
  bundles.set(url, null);
}

/** The original place of a frame in a registered bundle, through its source map. */
function bundledSite(url: string, line: number, column: number): CallSite {
  let map = bundles.get(url);
  if (!map) bundles.set(url, (map = findSourceMap(url) ?? null));
  const entry = map?.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number } | undefined;
  if (entry?.originalSource === undefined || entry.originalLine === undefined) return { file: url, line };
  return { file: entry.originalSource, line: entry.originalLine + 1 };
}

/** The first frame outside the library, mapped to its original file and line. */
function placeFrames(frames: readonly NodeJS.CallSite[]): CallSite | undefined {
  for (const frame of frames) {
    const name = frame.getFileName() ?? frame.getScriptNameOrSourceURL();
    if (!name || name.startsWith('node:')) continue;
    if (!bundles.has(name) && (OWN_FRAME.test(name) || name.includes('node_modules'))) continue;
    const line = frame.getLineNumber() ?? 0;
    const site = bundles.has(name) ? bundledSite(name, line, frame.getColumnNumber() ?? 1) : { file: name, line };
    const path = site.file.startsWith('file://') ? fileURLToPath(site.file) : site.file;
    if (OWN_FRAME.test(path) || path.includes('node_modules')) continue;
    return { file: path, line: site.line };
  }
  return undefined;
}

/** The placing function behind each `path:line` function handed to the version builders. */
const placers = new WeakMap<() => string | undefined, () => CallSite | undefined>();

/**
 * Captures the caller's stack frames and returns a function placing the first frame outside the
 * library. Placing is deferred: V8 finds a frame's line by walking its function's position table,
 * ~0.1 ms in a 2,000-table schema module, and the codegen only needs the place for an error. The
 * function returns `path:line` (the builders' marker contract); the codegen reads the place
 * itself with {@link placedSite}, never parsing that text back.
 */
export function captureCallSite(): () => string | undefined {
  const frames = structuredFrames();
  let placed: { site: CallSite | undefined } | undefined;
  const place = () => (placed ??= { site: placeFrames(frames) }).site;
  const text = () => {
    const site = place();
    return site && `${site.file}:${site.line}`;
  };
  placers.set(text, place);
  return text;
}

/**
 * The place a marker's `site` function stands for (see {@link captureCallSite}), or `undefined`
 * when it was not captured by this module.
 * @example
 * placedSite(marker.site) // { file: '/app/src/schema.ts', line: 12 }
 */
export function placedSite(site: (() => string | undefined) | undefined): CallSite | undefined {
  return site ? placers.get(site)?.() : undefined;
}

/** Runs `load` with call sites captured by the version builders. */
export async function withCallSites<T>(load: () => Promise<T>): Promise<T> {
  const global = globalThis as Record<symbol, unknown>;
  global[CAPTURE] = captureCallSite;
  try {
    return await load();
  } finally {
    delete global[CAPTURE];
  }
}
