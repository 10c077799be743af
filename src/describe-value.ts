/**
 * The one short description of a value for error messages: strings quoted (long ones cut),
 * `-0`, bigints as `3n`, dates as ISO text, arrays as JSON, functions as `a function`, other
 * objects by class. No SQL involved.
 * @example
 * describeValue('x') // '"x"';  describeValue(3n) // '3n';  describeValue([1]) // '[1] (an array)'
 * describeValue(new Date(0)) // 'Date 1970-01-01T00:00:00.000Z';  describeValue(new Map()) // 'an object of class Map'
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : `Date ${value.toISOString()}`;
  if (Array.isArray(value)) {
    let text: string;
    try {
      text = JSON.stringify(value);
    } catch {
      text = `[${value.length} items]`;
    }
    return `${text.length > 60 ? `${text.slice(0, 60)}…` : text} (an array)`;
  }
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return `an object of class ${(value.constructor as { name?: string } | undefined)?.name ?? 'Object'}`;
  return typeof value === 'symbol' ? value.toString() : typeof value;
}
