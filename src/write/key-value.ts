/**
 * What a primary-key value must be for its column, so a target never matches a row by a
 * driver's or database's coercion (`[1]`, `true`, `' 1'`, a `Date` for an integer key) and never
 * sends `NaN`, `Infinity` or an out-of-range integer to the driver.
 *
 * | column (Drizzle `dataType`) | accepted |
 * |---|---|
 * | integer types (`integer`, `int`, `smallint`, `bigint({ mode: 'number' })`, …) | a safe integer inside the column's range; `-0` is taken as `0` |
 * | other numbers (`real`, `double`, `numeric({ mode: 'number' })`) | a finite number |
 * | `bigint({ mode: 'bigint' })` | a `bigint` |
 * | `string` (text, varchar, char, enums, string-mode dates) | a string; for a `uuid` column a uuid PostgreSQL reads |
 * | `date` | a valid `Date` |
 * | `boolean` | a boolean |
 * | `buffer` / `array` | a `Uint8Array` (Buffer) / an array |
 * | `json`, `custom`, others | anything but `null` / `undefined` (the column's own mapping decides) |
 */
import type { Column } from 'drizzle-orm';
import type { DialectAdapter } from '../dialect/dialect-adapter.js';

/** Hex uuid in the forms PostgreSQL reads: optional braces, hyphens between groups of four digits. */
const UUID = /^(?:[0-9a-f]{4}(?:-?[0-9a-f]{4}){7}|\{[0-9a-f]{4}(?:-?[0-9a-f]{4}){7}\})$/i;

/**
 * Why `value` cannot be a key of `column` (a phrase such as `must be a string`), or `undefined`
 * when it can.
 * @example
 * keyValueProblem(pgAdapter, accounts.id, '1') // 'must be an integer from -2147483648 to 2147483647 (integer column)'
 */
export function keyValueProblem(adapter: DialectAdapter, column: Column, value: unknown): string | undefined {
  const type = column.getSQLType();
  switch (column.dataType) {
    case 'number': {
      const range = adapter.integerRange(column);
      if (range) {
        const ok = Number.isSafeInteger(value) && (value as number) >= range.min && (value as number) <= range.max;
        return ok ? undefined : `must be an integer from ${range.min} to ${range.max} (${type} column)`;
      }
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `must be a finite number (${type} column)`;
    }
    case 'bigint':
      return typeof value === 'bigint' ? undefined : `must be a bigint (${type} column)`;
    case 'string':
      if (typeof value !== 'string') return `must be a string (${type} column)`;
      return type === 'uuid' && !UUID.test(value) ? 'must be a uuid (uuid column)' : undefined;
    case 'date':
      return value instanceof Date && !Number.isNaN(value.getTime()) ? undefined : `must be a valid Date (${type} column)`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be a boolean (${type} column)`;
    case 'buffer':
      return value instanceof Uint8Array ? undefined : `must be a Buffer or Uint8Array (${type} column)`;
    case 'array':
      return Array.isArray(value) ? undefined : `must be an array (${type} column)`;
    default:
      return undefined;
  }
}

/** The key value to send: `-0` becomes `0` (the same key, one spelling for drivers and messages). */
export function normaliseKeyValue(value: unknown): unknown {
  return Object.is(value, -0) ? 0 : value;
}
