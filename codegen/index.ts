/**
 * `drizzle-concurrency/codegen`: build-time tools. For now the trigger DDL rendering that the
 * migrations and the `triggers` command use; never imported by the runtime entry points.
 * @example
 * import { triggerSpecFor, renderCreateTriggers } from 'drizzle-concurrency/codegen'
 * for (const statement of renderCreateTriggers(triggerSpecFor(products)!)) await client.execute(statement)
 * // SQLite: create trigger "concurrency_products_version" after update on "products" for each row when … begin … end
 */
export { renderCreateTriggers, renderDropTriggers, triggerDdlFor } from '../src/trigger-ddl.js';
export { NAME_LIMITS, triggerName, triggerSpecFor, type TriggerDdl, type TriggerSpec } from '../src/trigger-spec.js';
