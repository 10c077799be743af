import { ConfigurationError } from '../errors.js';
import { identifierQuoting } from '../triggers/identifiers.js';
import type { TriggerDdl, TriggerSpec } from '../triggers/trigger-spec.js';

const { quote, qualified } = identifierQuoting('"');

/** The version is unchanged and, with `checkColumns`, one of them changed (NULL-safe `is not`, byte for byte). */
function whenCondition(spec: TriggerSpec): string {
  const v = quote(spec.column);
  const unchanged = `new.${v} is old.${v}`;
  if (spec.checkColumns === undefined) return unchanged;
  const changed = spec.checkColumns.map((c) => `new.${quote(c)} is not old.${quote(c)} collate binary`);
  return `${unchanged} and (${changed.length > 0 ? changed.join(' or ') : '0'})`;
}

/** `drop trigger if exists`: also succeeds when the table is gone (its triggers went with it). */
function dropStatements(spec: Pick<TriggerSpec, 'schema' | 'name'>): string[] {
  return [`drop trigger if exists ${qualified(spec.schema, spec.name)}`];
}

/**
 * SQLite version triggers: SQLite cannot assign `new`, so an `after update` trigger updates the
 * row again, found by its primary key (WITHOUT ROWID tables and composite keys work). That
 * inner update moves the version, so the `when` guard stops recursion even with
 * `recursive_triggers` on. Statements inside a trigger may not name a schema: the table is
 * written unqualified, in the trigger's database.
 * @example
 * sqliteTriggerDdl.create({ dialect: 'sqlite', schema: undefined, table: 'items', column: 'version',
 *   keyColumns: ['id'], checkColumns: ['price'], name: 'concurrency_items_version' })
 * // drop trigger if exists "concurrency_items_version"
 * // create trigger "concurrency_items_version" after update on "items" for each row
 * //   when new."version" is old."version" and (new."price" is not old."price" collate binary)
 * //   begin update "items" set "version" = old."version" + 1 where "id" = new."id"; end
 * sqliteTriggerDdl.drop({ schema: undefined, table: 'items', name: 'concurrency_items_version' })
 * // drop trigger if exists "concurrency_items_version"
 */
export const sqliteTriggerDdl: TriggerDdl = {
  create(spec) {
    if (spec.keyColumns.length === 0) {
      throw new ConfigurationError(`"${spec.table}" has no primary key: the SQLite version trigger finds the row by it`);
    }
    const table = quote(spec.table);
    const v = quote(spec.column);
    const where = spec.keyColumns.map((k) => `${quote(k)} = new.${quote(k)}`).join(' and ');
    return [
      ...dropStatements(spec),
      `create trigger ${qualified(spec.schema, spec.name)} after update on ${table} for each row when ${whenCondition(spec)} ` +
        `begin update ${table} set ${v} = old.${v} + 1 where ${where}; end`,
    ];
  },
  drop: dropStatements,
  list() {
    return (
      `select name as "name", tbl_name as "table" from sqlite_master ` +
      `where type = 'trigger' and substr(name, 1, 12) = 'concurrency_' order by 2, 1`
    );
  },
};
