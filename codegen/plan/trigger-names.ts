import { triggerNameScope } from '../../src/triggers/trigger-spec.js';
import type { VersionedTable } from '../collect/load-tables.js';
import { CodegenError, shown } from '../codegen-error.js';

/**
 * Refuses two `triggerVersion()` columns whose trigger names collide in the dialect's scope
 * (`concurrency_a_b` + `c` and `concurrency_a` + `b_c`, a shared `triggerName`, or two long
 * names equal once cut to the length limit): one trigger would silently replace the other.
 * The error names both tables and columns and points at the second one's `file:line`.
 * @example
 * // schema.ts:9: trigger name "concurrency_a_b_c" of "a"."b_c" is also the one of "a_b"."c" (schema.ts:4): …
 */
export function checkTriggerNames(tables: readonly VersionedTable[]): void {
  const seen = new Map<string, VersionedTable>();
  for (const table of tables) {
    const spec = table.trigger;
    if (!spec) continue;
    const scope = triggerNameScope(spec);
    const first = seen.get(scope);
    if (!first) {
      seen.set(scope, table);
      continue;
    }
    const other = first.trigger!;
    const place = (t: VersionedTable) => {
      const site = t.site;
      return site ? { file: shown(site.file), line: site.line } : { file: shown(t.module) };
    };
    const there = place(first);
    const label = (t: VersionedTable) => `${t.schema ? `"${t.schema}".` : ''}"${t.name}"."${t.trigger!.column}"`;
    throw new CodegenError(
      `trigger name "${spec.name}" of ${label(table)} is also the trigger name of ${label(first)}` +
        ` (${there.file}${'line' in there ? `:${there.line}` : ''}${other.name === spec.name ? '' : `, "${other.name}"`}): ` +
        `${table.dialect.triggerNameScope}, so one trigger would replace the other; set a distinct triggerName on one of them`,
      place(table),
    );
  }
}
