/**
 * Text form of one primary-key value inside an identity string, decided by the column's Drizzle
 * data type, so that a value parses back to exactly the value it was written from.
 *
 * | column | written as | read back |
 * |---|---|---|
 * | integer (`integer`, `int`, `serial`, `bigint({ mode: 'number' })`, …) | `String(n)` | canonical decimal only: `-?[1-9][0-9]*` or `0`, a safe integer |
 * | other numbers (`real`, `double`, `numeric({ mode: 'number' })`) | `String(n)` | only text equal to `String(Number(text))`, finite |
 * | `bigint({ mode: 'bigint' })` | `String(n)` | canonical decimal, as a `bigint` |
 * | text, varchar, uuid, enums, custom types holding strings | the string | the string (empty allowed) |
 * | boolean | `true` / `false` | the same two words |
 * | date / timestamp (`mode: 'date'`) | `toISOString()` | only text equal to the parsed date's `toISOString()` |
 *
 * Any other column type cannot carry a key through an identity: a `ConfigurationError`.
 */
import type { Column } from 'drizzle-orm';
import { ConfigurationError } from '../errors.js';
import { describeValue } from '../describe-value.js';

type Kind = 'integer' | 'number' | 'bigint' | 'string' | 'boolean' | 'date';

const INTEGER_TEXT = /^(0|-?[1-9][0-9]*)$/;

function kindOf(column: Column, table: string, field: string): Kind {
  switch (column.dataType) {
    case 'number':
      return /Int|Serial/.test(column.columnType) ? 'integer' : 'number';
    case 'bigint':
    case 'string':
    case 'boolean':
    case 'date':
      return column.dataType;
    case 'custom':
      return 'string';
    default:
      throw new ConfigurationError(
        `"${table}" primary key "${field}" is a ${column.dataType} column (${column.columnType}): identities carry integer, number, bigint, string, boolean or date keys only`,
      );
  }
}

/**
 * The text of `value` for key column `field`; `ConfigurationError` when the value does not fit the column.
 * @example
 * encodeKeyValue('products', 'id', products.id, 7) // '7'
 */
export function encodeKeyValue(table: string, field: string, column: Column, value: unknown): string {
  const kind = kindOf(column, table, field);
  const fits =
    (kind === 'integer' && Number.isSafeInteger(value)) ||
    (kind === 'number' && typeof value === 'number' && Number.isFinite(value)) ||
    (kind === 'bigint' && typeof value === 'bigint') ||
    (kind === 'string' && typeof value === 'string') ||
    (kind === 'boolean' && typeof value === 'boolean') ||
    (kind === 'date' && value instanceof Date && !Number.isNaN(value.getTime()));
  if (!fits) {
    throw new ConfigurationError(
      `identity of "${table}": primary key "${field}" must hold a ${kind === 'integer' ? 'safe integer' : kind} as the column reads it, got ${describeValue(value)}`,
    );
  }
  return kind === 'date' ? (value as Date).toISOString() : String(value);
}

/**
 * The key value written in `text` for column `field`, or `undefined` when `text` is not its canonical form.
 * @example
 * decodeKeyValue('products', 'id', products.id, '7') // 7;  '07', '7.0', '' // undefined
 */
export function decodeKeyValue(table: string, field: string, column: Column, text: string): unknown {
  switch (kindOf(column, table, field)) {
    case 'integer': {
      const n = Number(text);
      return INTEGER_TEXT.test(text) && Number.isSafeInteger(n) ? n : undefined;
    }
    case 'number': {
      const n = Number(text);
      return text !== '' && Number.isFinite(n) && String(n) === text ? n : undefined;
    }
    case 'bigint':
      return INTEGER_TEXT.test(text) ? BigInt(text) : undefined;
    case 'string':
      return text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'date': {
      const date = new Date(text);
      return !Number.isNaN(date.getTime()) && date.toISOString() === text ? date : undefined;
    }
  }
}

/**
 * Human name of what `field` accepts, for error messages.
 * @example
 * expectedText('tags', 'tag', tags.tag) // 'a string'
 */
export function expectedText(table: string, field: string, column: Column): string {
  const kind = kindOf(column, table, field);
  return {
    integer: 'an integer in plain decimal (no sign +, leading zeros, fraction or exponent)',
    number: 'a number as JavaScript prints it',
    bigint: 'an integer in plain decimal',
    string: 'a string',
    boolean: '"true" or "false"',
    date: 'an ISO 8601 timestamp as toISOString() prints it',
  }[kind];
}
