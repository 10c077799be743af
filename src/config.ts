import type { RecordModifiedError } from './errors.js';

/** Process-wide settings; see {@link configureConcurrency}. */
export interface ConcurrencyConfig {
  /** `false` turns every version check off (versions still move). Default `true`. */
  enabled: boolean;
  /**
   * `true` (default): a target without a version is a `VersionError`. `false`: such a write
   * is unchecked but still bumps the version. A malformed version is an error either way.
   */
  versionRequired: boolean;
  /** Observes every conflict before it is thrown or returned (logging, metrics). */
  onConflict: ((error: RecordModifiedError) => void) | undefined;
}

const defaults: ConcurrencyConfig = { enabled: true, versionRequired: true, onConflict: undefined };
let current: ConcurrencyConfig = { ...defaults };

/**
 * Sets process-wide options; fields left out keep their value. Returns the settings now in force.
 * Scoped switches live in `disableConcurrency` / `disableIncrement` instead.
 * @example
 * configureConcurrency({ onConflict: (e) => metrics.increment('conflict', { table: e.table }) })
 */
export function configureConcurrency(options: Partial<ConcurrencyConfig>): Readonly<ConcurrencyConfig> {
  current = { ...current, ...options };
  return current;
}

/** The settings now in force. */
export function concurrencyConfig(): Readonly<ConcurrencyConfig> {
  return current;
}

/** Restores the defaults (tests). */
export function resetConcurrencyConfig(): void {
  current = { ...defaults };
}
