import { ConfigurationError, type RecordModifiedError } from '../errors.js';
import { describeValue } from '../describe-value.js';
import { processWide } from './process-wide.js';

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
/** The settings in force, shared by the ESM and CommonJS copies of the package (see process-wide.ts). */
const state = processWide('config', () => ({ current: { ...defaults } }));

/**
 * Sets process-wide options; fields left out keep their value. Returns the settings now in force.
 * An unknown option or a value of the wrong type (`onConflict: 'log'`) is a `ConfigurationError`
 * here, not at the first conflict; nothing is changed then.
 * Scoped switches live in `disableConcurrency` / `disableIncrement` instead.
 * @example
 * configureConcurrency({ onConflict: (e) => metrics.increment('conflict', { table: e.table }) })
 */
export function configureConcurrency(options: Partial<ConcurrencyConfig>): Readonly<ConcurrencyConfig> {
  checkOptions(options);
  const next = { ...state.current };
  // `enabled: undefined` keeps the setting (left out); `onConflict: undefined` removes the observer.
  if (options.enabled !== undefined) next.enabled = options.enabled;
  if (options.versionRequired !== undefined) next.versionRequired = options.versionRequired;
  if (Object.hasOwn(options, 'onConflict')) next.onConflict = options.onConflict;
  state.current = next;
  return next;
}

const CHECKS: Record<keyof ConcurrencyConfig, [test: (value: unknown) => boolean, wanted: string]> = {
  enabled: [(v) => typeof v === 'boolean', 'true or false'],
  versionRequired: [(v) => typeof v === 'boolean', 'true or false'],
  onConflict: [(v) => v === undefined || typeof v === 'function', 'a function (error) => void, or undefined'],
};

/** `ConfigurationError` for a non-object, an unknown option or a value of the wrong type; nothing is applied then. */
function checkOptions(options: unknown): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigurationError(`configureConcurrency takes an object of options, got ${describeValue(options)}`);
  }
  for (const [name, value] of Object.entries(options)) {
    const check = Object.hasOwn(CHECKS, name) ? CHECKS[name as keyof ConcurrencyConfig] : undefined;
    if (!check) {
      throw new ConfigurationError(`configureConcurrency: unknown option "${name}" (known: ${Object.keys(CHECKS).join(', ')})`);
    }
    if (value === undefined && name !== 'onConflict') continue;
    if (!check[0](value)) {
      throw new ConfigurationError(`configureConcurrency: ${name} must be ${check[1]}, got ${describeValue(value)}`);
    }
  }
}

/** The settings now in force. */
export function concurrencyConfig(): Readonly<ConcurrencyConfig> {
  return state.current;
}

/** Restores the defaults (tests). */
export function resetConcurrencyConfig(): void {
  state.current = { ...defaults };
}
