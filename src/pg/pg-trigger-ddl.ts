import { identifierQuoting } from '../triggers/identifiers.js';
import type { TriggerDdl, TriggerSpec } from '../triggers/trigger-spec.js';

const { quote, qualified } = identifierQuoting('"');

/** `$concurrency$body$concurrency$`, with a tag that does not occur in `body` (identifiers may hold `$`). */
function dollarQuote(body: string): string {
  let tag = 'concurrency';
  for (let n = 1; body.includes(`$${tag}$`); n++) tag = `concurrency${n}`;
  return `$${tag}$${body}$${tag}$`;
}

/**
 * The version is unchanged and, with `checkColumns`, one of them changed (NULL-safe). `json`
 * has no equality operator: those columns compare as `jsonb` (by value, as the library's
 * conditional versions do).
 */
function whenCondition(spec: TriggerSpec): string {
  const v = quote(spec.column);
  const unchanged = `new.${v} is not distinct from old.${v}`;
  if (spec.checkColumns === undefined) return unchanged;
  const json = new Set(spec.jsonColumns ?? []);
  const changed = spec.checkColumns.map((c) =>
    json.has(c) ? `new.${quote(c)}::jsonb is distinct from old.${quote(c)}::jsonb` : `new.${quote(c)} is distinct from old.${quote(c)}`,
  );
  return `${unchanged} and (${changed.length > 0 ? changed.join(' or ') : 'false'})`;
}

/**
 * PostgreSQL version triggers: a plpgsql function named like the trigger, in the table's
 * schema, and a `before update … for each row when (…)` trigger that sets `version + 1`.
 * @example
 * pgTriggerDdl.create({ dialect: 'pg', schema: undefined, table: 'items', column: 'version',
 *   keyColumns: ['id'], checkColumns: ['price'], name: 'concurrency_items_version' })
 * // create or replace function "concurrency_items_version"() returns trigger language plpgsql
 * //   as $concurrency$ begin new."version" := old."version" + 1; return new; end $concurrency$
 * // drop trigger if exists "concurrency_items_version" on "items"
 * // create trigger "concurrency_items_version" before update on "items" for each row
 * //   when (new."version" is not distinct from old."version" and (new."price" is distinct from old."price"))
 * //   execute function "concurrency_items_version"()
 * pgTriggerDdl.drop({ schema: undefined, table: 'items', name: 'concurrency_items_version' })
 * // drop function if exists "concurrency_items_version"() cascade
 */
export const pgTriggerDdl: TriggerDdl = {
  create(spec) {
    const fn = qualified(spec.schema, spec.name);
    const table = qualified(spec.schema, spec.table);
    const v = quote(spec.column);
    const body = dollarQuote(` begin new.${v} := old.${v} + 1; return new; end `);
    return [
      `create or replace function ${fn}() returns trigger language plpgsql as ${body}`,
      `drop trigger if exists ${quote(spec.name)} on ${table}`,
      `create trigger ${quote(spec.name)} before update on ${table} for each row when (${whenCondition(spec)}) execute function ${fn}()`,
    ];
  },
  // One statement: dropping the function drops its trigger too, wherever that is now (also on a
  // table renamed or moved since); a missing function or schema is only a notice.
  drop(spec) {
    return [`drop function if exists ${qualified(spec.schema, spec.name)}() cascade`];
  },
  list() {
    return (
      `select t.tgname as "name", c.relname as "table", n.nspname as "schema" from pg_catalog.pg_trigger t ` +
      `join pg_catalog.pg_class c on c.oid = t.tgrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace ` +
      `where not t.tgisinternal and t.tgname like 'concurrency!_%' escape '!' order by 3, 2, 1`
    );
  },
};
