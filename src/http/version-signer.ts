import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigurationError, VersionError } from '../errors.js';
import { isVersion } from '../schema/version-number.js';
import { describeValue } from '../describe-value.js';
import { parseVersionText } from './version-text.js';

/** Signs versions for hidden form fields and reads them back. */
export interface VersionSigner {
  /** `"<version>.<mac>"`, URL-safe (digits, `.`, base64url). `VersionError` for a non-version. */
  sign(version: number): string;
  /** The version inside a token this signer made; `VersionError` for anything else. */
  unsign(token: unknown): number;
}

/** Options of {@link createVersionSigner}. */
export interface VersionSignerOptions {
  /**
   * Separates uses of one secret: a token signed with one salt never unsigns with another.
   * Salt with what the version belongs to (`products/7`) and a token cannot be replayed on another row.
   */
  salt?: string;
}

/**
 * Fewest secret bytes accepted: the HMAC-SHA256 output size.
 * @example
 * createVersionSigner(randomBytes(MIN_SECRET_BYTES))
 */
export const MIN_SECRET_BYTES = 32;

const TOKEN = /^([0-9]{1,16})\.([A-Za-z0-9_-]{43})$/;
const CONTEXT = 'drizzle-concurrency.version-signer\u0000';

/**
 * A signer of version numbers (django-concurrency's signed `VersionField` widget): put
 * `sign(row.version)` in a hidden form field and `unsign()` it when the form comes back, so a
 * client cannot edit the version it claims to have read.
 * Tokens are `"<version>.<43 base64url chars>"`: HMAC-SHA256 over the version with a key derived
 * from `secret` and `salt`, compared in constant time (`timingSafeEqual`). Tokens do not expire:
 * the version check itself retires them once the row moves on.
 * A secret shorter than 32 bytes (UTF-8 bytes for a string) is a `ConfigurationError`.
 * A tampered, truncated or malformed token, or one made with another secret or salt, is a
 * `VersionError`; so is signing anything but a positive safe integer.
 * @example
 * const signer = createVersionSigner(process.env.VERSION_SECRET!, { salt: `products/${row.id}` })
 * const field = signer.sign(row.version)                 // '3.q5h3wA…' → <input type=hidden name=version>
 * const version = signer.unsign(form.get('version'))     // 3, or VersionError when forged
 * await versionedUpdate(db, products, { id: row.id, version }, changes)
 */
export function createVersionSigner(secret: string | Uint8Array, options: VersionSignerOptions = {}): VersionSigner {
  const secretBytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret instanceof Uint8Array ? secret : undefined;
  if (!secretBytes) throw new ConfigurationError(`version signer secret must be a string or bytes, got ${typeof secret}`);
  if (secretBytes.byteLength < MIN_SECRET_BYTES) {
    throw new ConfigurationError(
      `version signer secret must be at least ${MIN_SECRET_BYTES} bytes, got ${secretBytes.byteLength}: use e.g. crypto.randomBytes(32).toString('base64url')`,
    );
  }
  const salt = options.salt ?? '';
  if (typeof salt !== 'string') throw new ConfigurationError(`version signer salt must be a string, got ${typeof salt}`);
  // The key depends on the salt, so equal versions under different salts have unrelated MACs.
  const key = createHmac('sha256', secretBytes).update(CONTEXT + salt, 'utf8').digest();
  const mac = (version: string): string => createHmac('sha256', key).update(version, 'ascii').digest('base64url');

  return {
    sign(version: number): string {
      if (!isVersion(version)) {
        throw new VersionError(`only a positive integer version can be signed, got ${describeValue(version)}`, version);
      }
      const text = String(version);
      return `${text}.${mac(text)}`;
    },
    unsign(token: unknown): number {
      const match = typeof token === 'string' ? TOKEN.exec(token) : null;
      const version = match ? parseVersionText(match[1]!) : undefined;
      if (!match || version === undefined) {
        throw new VersionError(
          `signed version is malformed (expected "<version>.<signature>" as sign() writes it), got ${describeValue(token)}`,
          token,
        );
      }
      // Compare the canonical base64url text, so that no second spelling of the MAC is accepted.
      const expected = Buffer.from(mac(match[1]!), 'ascii');
      const given = Buffer.from(match[2]!, 'ascii');
      if (!timingSafeEqual(expected, given)) {
        throw new VersionError(
          'signed version does not verify: it was tampered with, or signed with another secret or salt',
          token,
        );
      }
      return version;
    },
  };
}
