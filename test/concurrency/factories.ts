// created once by drizzle-concurrency generate for the conflict tests — yours to edit: generate never overwrites this file
import type { Factories } from './factory-types.js';

/**
 * Column values the generated tests merge into each row they insert, per table ("name" or
 * "schema.name"): for column types the codegen cannot make up (factory-types.ts makes those
 * entries required), typed JSON, checks and triggers of your own. `id` is a number unique to
 * the row.
 * @example
 * export const factories: Factories = { products: (id) => ({ sku: `SKU-${id}` }) };
 */
export const factories: Factories = {};
