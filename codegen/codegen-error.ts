import { relative } from 'node:path';
import { ConcurrencyError } from '../src/errors.js';

/**
 * A path as codegen messages show it: relative to the working directory, absolute outside it.
 * @example
 * shown('/app/drizzle/meta/_journal.json') // 'drizzle/meta/_journal.json' (run in /app)
 */
export function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

/**
 * Bad codegen input: an unreadable schema, an unsupported construct, an inconsistent
 * migrations folder. `file` and `line` point at the cause where one exists; the message
 * starts with `file:line:`.
 * @example
 * // fixtures/schema.ts:12: checkFields of conditionalVersion() must be an array of string literals
 */
export class CodegenError extends ConcurrencyError {
  readonly file: string | undefined;
  readonly line: number | undefined;
  /** The message without its `file:line: ` prefix. */
  readonly reason: string;
  constructor(message: string, where: { file?: string | undefined; line?: number | undefined } = {}, options?: { cause?: unknown }) {
    const prefix = where.file ? `${where.file}${where.line ? `:${where.line}` : ''}: ` : '';
    super(prefix + message, options);
    this.name = 'CodegenError';
    this.file = where.file;
    this.line = where.line;
    this.reason = message;
  }
}
