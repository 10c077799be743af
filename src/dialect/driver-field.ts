/**
 * The value at `path` inside a driver or Drizzle object (`session`, `client`, a pool's config),
 * or `undefined` where any step is missing or not an object: for reading what drivers expose
 * without a public API (mysql2's client flags, postgres.js's `prepare` option).
 * @example
 * driverField(db, 'session', 'client', 'options', 'prepare') // postgres.js: true unless `prepare: false`
 * driverField({}, 'session')                                 // undefined
 */
export function driverField(value: unknown, ...path: string[]): unknown {
  let at = value;
  for (const key of path) {
    if ((typeof at !== 'object' && typeof at !== 'function') || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/**
 * The rows of a raw statement's driver result: the array itself (postgres.js, mysql2's first
 * element aside), or its `rows` (node-postgres, PGlite, libSQL).
 * @example
 * resultRows([{ token: '7' }])        // [{ token: '7' }]
 * resultRows({ rows: [{ token: '7' }] }) // [{ token: '7' }]
 */
export function resultRows(result: unknown): Record<string, unknown>[] {
  const rows = Array.isArray(result) ? result : driverField(result, 'rows');
  if (!Array.isArray(rows)) throw new TypeError('the driver gave no rows');
  return rows as Record<string, unknown>[];
}
