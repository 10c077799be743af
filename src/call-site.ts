/**
 * Where a version builder or `applyConcurrencyCheck` was called, as `path:line`. The codegen
 * installs a capture function under this global symbol while it loads a schema; without it
 * (in applications) nothing is captured and nothing is paid.
 */
const CAPTURE = Symbol.for('drizzle-concurrency.capture-sites');

/** The caller's `path:line` from the codegen's capture function, or `undefined` outside the codegen. */
export function callSite(): string | undefined {
  const capture = (globalThis as Record<symbol, unknown>)[CAPTURE];
  return typeof capture === 'function' ? (capture as () => string | undefined)() : undefined;
}
