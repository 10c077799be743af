/**
 * Forms and HTTP helpers of the root entry: identities for hidden fields and list-editable rows,
 * signed versions, ETags and `If-Match`, conflict diffs and conflict responses.
 * @example
 * import { versionETag, requireIfMatch, conflictResponse } from 'drizzle-concurrency'
 */
export {
  conflictBody,
  conflictResponse,
  type ConflictBody,
  type ConflictBodyOptions,
  type ConflictResponseOptions,
} from './conflict-response.js';
export { diffRecords, type DiffOptions, type FieldDiff } from './diff-records.js';
export { parseIfMatch, requireIfMatch, versionETag, type IfMatchHeader } from './etag.js';
export { identity, parseIdentity } from './identity.js';
export { PreconditionRequiredError } from './precondition-required-error.js';
export { createVersionSigner, type VersionSigner, type VersionSignerOptions } from './version-signer.js';
