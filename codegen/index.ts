/**
 * `drizzle-concurrency/codegen`: build-time tools, never imported by the runtime entries.
 * `generate` writes the trigger migration of a drizzle config's schema as a drizzle-kit custom
 * migration; `check` lists what it would write; the trigger DDL renderers are here too.
 * @example
 * import { generate, check } from 'drizzle-concurrency/codegen'
 * await generate({ config: 'drizzle.config.ts' })
 * // drizzle/0001_concurrency_triggers.sql, SQLite:
 * // create trigger "concurrency_products_version" after update on "products" for each row when … begin … end
 * if ((await check()).length > 0) process.exit(1)
 */
export { renderCreateTriggers, renderDropTriggers, triggerDdlFor } from '../src/triggers/trigger-ddl.js';
export { NAME_LIMITS, triggerName, triggerSpecFor, type TriggerDdl, type TriggerSpec } from '../src/triggers/trigger-spec.js';
export { CodegenError } from './codegen-error.js';
export { check, generate, generateReport, planGeneration, type GenerateOptions, type GenerateReport, type GenerationPlan } from './generate.js';
export { planTriggers, type TriggerPlan } from './plan/trigger-plan.js';
