import { Column, is, sql, type SQL } from 'drizzle-orm';
import { wallClockMicros } from '../write/bump.js';
import { callSite } from '../config/call-site.js';
import type { DialectAdapter } from '../dialect/dialect-adapter.js';
import { markVersion, type VersionKind, type VersionOptions } from './version-column.js';

type ColumnConfig = { name: string };

/**
 * The column itself when Drizzle calls `$onUpdate` as a method of the column (it does in
 * `update … set`), else its name: so the bump is qualified and honours `casing`.
 */
function selfReference(self: unknown, config: ColumnConfig): Column | SQL {
  return is(self, Column) ? self : sql`${sql.identifier(config.name)}`;
}

/**
 * The `$onUpdate` function that makes a plain Drizzle `db.update(table)` move the version:
 * `v + 1` for integer versions, `greatest(v + 1, now µs)` for timestamp versions.
 */
export function plainUpdateBump(kind: VersionKind, adapter: DialectAdapter, config: ColumnConfig): (() => SQL) | undefined {
  if (kind === 'integer') {
    return function (this: unknown) {
      return sql`${selfReference(this, config)} + 1`;
    };
  }
  if (kind === 'timestamp') {
    return function (this: unknown) {
      return adapter.greatest(sql`${selfReference(this, config)} + 1`, sql`${wallClockMicros()}`);
    };
  }
  return undefined;
}

interface Builder {
  config: ColumnConfig;
  $onUpdateFn(fn: () => unknown): unknown;
  $defaultFn(fn: () => unknown): unknown;
}

/**
 * Marks a `notNull().default(1)` integer builder as a version column of `kind`, wiring the
 * bump of plain updates and, for timestamp versions, a wall-clock value on insert.
 */
export function finishVersionBuilder<B>(builder: B, kind: VersionKind, options: VersionOptions, adapter: DialectAdapter): B {
  const b = builder as unknown as Builder;
  const site = callSite();
  markVersion(builder, site === undefined ? { kind, ...options } : { kind, ...options, site });
  const bump = plainUpdateBump(kind, adapter, b.config);
  if (bump) b.$onUpdateFn(bump);
  if (kind === 'timestamp') b.$defaultFn(wallClockMicros);
  return builder;
}

/** Splits the `(name?, config?)` overloads of the builders. */
export function builderArgs<C extends object>(a?: string | C, b?: C): { name: string | undefined; config: C | undefined } {
  return typeof a === 'string' ? { name: a, config: b } : { name: undefined, config: a };
}

/** Copies the options a builder accepts, so stray keys never reach the marker. */
export function versionOptions(config: VersionOptions | undefined, allowed: readonly (keyof VersionOptions)[]): VersionOptions {
  const out: VersionOptions = {};
  for (const option of allowed) {
    const value = config?.[option];
    if (value === undefined) continue;
    (out as Record<string, unknown>)[option] = Array.isArray(value) ? Object.freeze([...(value as readonly unknown[])]) : value;
  }
  return out;
}

/** Options of `triggerVersion()`. */
export type TriggerVersionOptions = Pick<VersionOptions, 'triggerName' | 'checkFields'>;
/** Options of `conditionalVersion()`. */
export type ConditionalVersionOptions = Pick<VersionOptions, 'checkFields' | 'ignoreFields'>;

/** The `(config?)` / `(name, config?)` overloads of the trigger and conditional builders. */
export interface OptionedBuilder<B, C> {
  (config?: C): B;
  (name: string, config?: C): B;
}

/**
 * The four version builders of one dialect, from its `integer not null default 1` and
 * `bigint not null default 1` builder factories.
 */
export function versionBuilderSet<I, B>(
  adapter: DialectAdapter,
  int: (name?: string) => I,
  big: (name?: string) => B,
): {
  integerVersion: (name?: string) => I;
  timestampVersion: (name?: string) => B;
  triggerVersion: OptionedBuilder<I, TriggerVersionOptions>;
  conditionalVersion: OptionedBuilder<I, ConditionalVersionOptions>;
} {
  return {
    integerVersion: (name?: string) => finishVersionBuilder(int(name), 'integer', {}, adapter),
    timestampVersion: (name?: string) => finishVersionBuilder(big(name), 'timestamp', {}, adapter),
    triggerVersion: (a?: string | TriggerVersionOptions, b?: TriggerVersionOptions) => {
      const { name, config } = builderArgs(a, b);
      return finishVersionBuilder(int(name), 'trigger', versionOptions(config, ['triggerName', 'checkFields']), adapter);
    },
    conditionalVersion: (a?: string | ConditionalVersionOptions, b?: ConditionalVersionOptions) => {
      const { name, config } = builderArgs(a, b);
      return finishVersionBuilder(int(name), 'conditional', versionOptions(config, ['checkFields', 'ignoreFields']), adapter);
    },
  };
}
