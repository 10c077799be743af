/**
 * Where a version builder or `applyConcurrencyCheck` was called, as `path:line`, recorded only
 * while the codegen loads a schema (it sets this global flag); `undefined` otherwise, so
 * applications pay nothing for it.
 */
const CAPTURE = Symbol.for('drizzle-concurrency.capture-sites');

const OWN_FRAME = /(call-site|version-builders|-version-columns|apply-concurrency-check)\.[cm]?[tj]s:/;

/** The first stack frame outside this library, when the codegen asked for call sites. */
export function callSite(): string | undefined {
  if (!(globalThis as Record<symbol, unknown>)[CAPTURE]) return undefined;
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  for (const frame of frames) {
    if (OWN_FRAME.test(frame) || frame.includes('node:') || frame.includes('node_modules')) continue;
    const match = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):\d+\)?\s*$/.exec(frame.trim());
    if (match) return `${match[1]}:${match[2]}`;
  }
  return undefined;
}
