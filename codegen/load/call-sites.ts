import { findSourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const CAPTURE = Symbol.for('drizzle-concurrency.capture-sites');

/** Frames of the library itself (builders, `applyConcurrencyCheck`) and of this capture. */
const OWN_FRAME = /(call-site|call-sites|version-builders|-version-columns|apply-concurrency-check)\.[cm]?[tj]s$/;

function structuredFrames(): NodeJS.CallSite[] {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, frames) => frames;
  try {
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, structuredFrames);
    return holder.stack as NodeJS.CallSite[];
  } finally {
    Error.prepareStackTrace = previous;
  }
}

/** Where each line of a registered bundle starts, by the bundle's URL. */
const bundles = new Map<string, { lineStarts: number[]; map: ReturnType<typeof findSourceMap> | null }>();

/**
 * Makes frames in a bundled module cheap to place: V8 finds a frame's line by scanning the
 * script's source on every call (~0.1 ms in a 2,000-table bundle), while its character position
 * is at hand; the line comes from these line starts, the original place from the source map.
 */
export function registerBundle(url: string, text: string): void {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  bundles.set(url, { lineStarts, map: null });
}

/** The original `path:line` of a frame in a registered bundle, through its source map. */
function bundledSite(url: string, position: number): { file: string; line: number } | undefined {
  const bundle = bundles.get(url);
  if (!bundle) return undefined;
  let low = 0;
  let high = bundle.lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (bundle.lineStarts[mid]! <= position) low = mid;
    else high = mid - 1;
  }
  bundle.map ??= findSourceMap(url) ?? null;
  const entry = bundle.map?.findEntry(low, position - bundle.lineStarts[low]!) as { originalSource?: string; originalLine?: number } | undefined;
  if (entry?.originalSource === undefined || entry.originalLine === undefined) return { file: url, line: low + 1 };
  return { file: entry.originalSource, line: entry.originalLine + 1 };
}

/**
 * The first frame outside the library, mapped to its original file and line. Only that frame's
 * line is computed: whole source-mapped stack traces cost ~0.1 ms per table.
 */
export function captureCallSite(): string | undefined {
  for (const frame of structuredFrames()) {
    const name = frame.getFileName() ?? frame.getScriptNameOrSourceURL();
    if (!name || name.startsWith('node:')) continue;
    const position = (frame as unknown as { getPosition?: () => number }).getPosition?.();
    const site =
      position !== undefined && bundles.has(name) ? bundledSite(name, position) : { file: name, line: frame.getLineNumber() ?? 0 };
    if (!site) continue;
    const path = site.file.startsWith('file://') ? fileURLToPath(site.file) : site.file;
    if (OWN_FRAME.test(path) || path.includes('node_modules')) continue;
    return `${path}:${site.line}`;
  }
  return undefined;
}

/** Runs `load` with call sites captured by the version builders. */
export async function withCallSites<T>(load: () => Promise<T>): Promise<T> {
  const global = globalThis as Record<symbol, unknown>;
  global[CAPTURE] = captureCallSite;
  try {
    return await load();
  } finally {
    delete global[CAPTURE];
    bundles.clear();
  }
}
