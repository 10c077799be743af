import { ConcurrencyError } from '../errors.js';

/**
 * A write came without the `If-Match` header its endpoint requires: answer
 * `428 Precondition Required` (RFC 6585) so the client reads the row and retries with its ETag.
 * Thrown by {@link requireIfMatch}; `value` holds the header as received (`undefined` when absent).
 * @example
 * app.onError((e, c) => e instanceof PreconditionRequiredError ? c.json({ error: e.message }, 428) : …)
 * // If-Match required: send the ETag you read (GET the resource first)
 */
export class PreconditionRequiredError extends ConcurrencyError {
  /** The HTTP status to answer: always 428. */
  readonly status = 428 as const;
  /** The `If-Match` header as received. */
  readonly value: unknown;
  constructor(message: string, value: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PreconditionRequiredError';
    this.value = value;
  }
}
