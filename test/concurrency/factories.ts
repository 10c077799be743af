// created once by drizzle-concurrency generate for the conflict tests — yours to edit: generate never overwrites this file

/**
 * Column values the generated tests merge into each row they insert, per table ("name" or
 * "schema.name"): for column types the codegen cannot make up, checks and triggers of your own.
 * `id` is a number unique to the row.
 * @example
 * export const overrides = { products: (id: number) => ({ sku: `SKU-${id}` }) }
 */
export const overrides: Record<string, (id: number) => object> = {};
