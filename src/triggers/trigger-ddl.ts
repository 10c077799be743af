import type { DialectName } from '../dialect/dialect-adapter.js';
import { ConfigurationError } from '../errors.js';
import { mysqlTriggerDdl } from '../mysql/mysql-trigger-ddl.js';
import { pgTriggerDdl } from '../pg/pg-trigger-ddl.js';
import { sqliteTriggerDdl } from '../sqlite/sqlite-trigger-ddl.js';
import type { TriggerDdl, TriggerSpec } from './trigger-spec.js';

const renderers: Record<DialectName, TriggerDdl> = { pg: pgTriggerDdl, mysql: mysqlTriggerDdl, sqlite: sqliteTriggerDdl };

/**
 * The version trigger DDL renderer of a dialect.
 * @example
 * triggerDdlFor('sqlite').drop({ schema: undefined, table: 'items', name: 'concurrency_items_version' })
 * // ['drop trigger if exists "concurrency_items_version"']
 */
export function triggerDdlFor(dialect: DialectName): TriggerDdl {
  const renderer = renderers[dialect] as TriggerDdl | undefined;
  if (!renderer) throw new ConfigurationError(`no trigger DDL for dialect ${JSON.stringify(dialect)}: use pg, mysql or sqlite`);
  return renderer;
}

/**
 * The statements that (re)create the version trigger of `spec`, one SQL statement each.
 * @example
 * renderCreateTriggers(triggerSpecFor(items)!)
 * // pg: ['create or replace function "concurrency_items_version"() returns trigger …',
 * //      'drop trigger if exists "concurrency_items_version" on "items"',
 * //      'create trigger "concurrency_items_version" before update on "items" for each row when (…) execute function …']
 */
export function renderCreateTriggers(spec: TriggerSpec): string[] {
  return triggerDdlFor(spec.dialect).create(spec);
}

/**
 * The statements that drop the version trigger of `spec` (idempotent), one SQL statement each.
 * @example
 * renderDropTriggers(triggerSpecFor(items)!)
 * // pg: ['drop function if exists "concurrency_items_version"() cascade']
 * // mysql: ['drop trigger if exists `concurrency_items_version`']
 */
export function renderDropTriggers(spec: Pick<TriggerSpec, 'dialect' | 'schema' | 'table' | 'name'>): string[] {
  return triggerDdlFor(spec.dialect).drop(spec);
}
