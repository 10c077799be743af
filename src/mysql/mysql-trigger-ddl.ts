import { identifierQuoting } from '../triggers/identifiers.js';
import type { TriggerDdl, TriggerSpec } from '../triggers/trigger-spec.js';

const { quote, qualified } = identifierQuoting('`');

/**
 * The version is unchanged and, with `checkColumns`, one of them changed: NULL-safe `<=>` on the
 * bytes (`binary`), since the default collations call 'a' and 'A' equal.
 */
function condition(spec: TriggerSpec): string {
  const v = quote(spec.column);
  const unchanged = `new.${v} <=> old.${v}`;
  if (spec.checkColumns === undefined) return unchanged;
  const changed = spec.checkColumns.map((c) => `not (binary new.${quote(c)} <=> binary old.${quote(c)})`);
  return `${unchanged} and (${changed.length > 0 ? changed.join(' or ') : 'false'})`;
}

/** `drop trigger if exists`: also succeeds when the table is gone (its triggers went with it). */
function dropStatements(spec: Pick<TriggerSpec, 'schema' | 'name'>): string[] {
  return [`drop trigger if exists ${qualified(spec.schema, spec.name)}`];
}

/**
 * MySQL/MariaDB version triggers: a `before update` trigger that sets `new.version` (a trigger
 * may not update its own table). The compound body is one statement: no `DELIMITER` needed.
 * @example
 * mysqlTriggerDdl.create({ dialect: 'mysql', schema: undefined, table: 'items', column: 'version',
 *   keyColumns: ['id'], checkColumns: ['price'], name: 'concurrency_items_version' })
 * // drop trigger if exists `concurrency_items_version`
 * // create trigger `concurrency_items_version` before update on `items` for each row
 * //   begin if new.`version` <=> old.`version` and (not (binary new.`price` <=> binary old.`price`))
 * //   then set new.`version` = old.`version` + 1; end if; end
 * mysqlTriggerDdl.drop({ schema: undefined, table: 'items', name: 'concurrency_items_version' })
 * // drop trigger if exists `concurrency_items_version`
 */
export const mysqlTriggerDdl: TriggerDdl = {
  create(spec) {
    const v = quote(spec.column);
    return [
      ...dropStatements(spec),
      `create trigger ${qualified(spec.schema, spec.name)} before update on ${qualified(spec.schema, spec.table)} for each row ` +
        `begin if ${condition(spec)} then set new.${v} = old.${v} + 1; end if; end`,
    ];
  },
  drop: dropStatements,
  list() {
    return (
      'select trigger_name as `name`, event_object_table as `table` from information_schema.triggers ' +
      "where trigger_schema = database() and left(trigger_name, 12) = binary 'concurrency_' order by 2, 1"
    );
  },
};
