/**
 * Process-wide state lives on `globalThis` under `Symbol.for('drizzle-concurrency.<name>')`, so
 * the ESM and the CommonJS copy of this package, when an app loads both (the dual-package
 * hazard: one `import`, one `require`), share one configuration, one scope storage and one
 * table cache instead of each keeping its own.
 */

/**
 * The value kept under `Symbol.for('drizzle-concurrency.<name>')` on `globalThis`, created by
 * `create()` on first use by whichever copy of the package comes first. No SQL involved.
 * @example
 * const storage = processWide('scopes', () => new AsyncLocalStorage<Scope>())
 * // globalThis[Symbol.for('drizzle-concurrency.scopes')] === storage, in every copy
 */
export function processWide<T>(name: string, create: () => T): T {
  const key = Symbol.for(`drizzle-concurrency.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  let value = store[key];
  if (value === undefined) {
    value = create();
    Object.defineProperty(store, key, { value, configurable: false, enumerable: false, writable: false });
  }
  return value;
}
