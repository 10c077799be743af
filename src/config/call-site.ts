/**
 * Where a version builder or `applyConcurrencyCheck` was called. The codegen installs a capture
 * function under this global symbol while it loads a schema; without it (in applications)
 * nothing is captured and nothing is paid.
 */
const CAPTURE = Symbol.for('drizzle-concurrency.capture-sites');

/**
 * The caller's place, from the codegen's capture function, as a function giving `path:line`
 * (the capture is cheap, working out the line is not: it runs only when asked), or `undefined`
 * outside the codegen.
 */
export function callSite(): (() => string | undefined) | undefined {
  const capture = (globalThis as Record<symbol, unknown>)[CAPTURE];
  return typeof capture === 'function' ? (capture as () => () => string | undefined)() : undefined;
}
