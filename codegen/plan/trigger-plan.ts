import type { TriggerSpec } from '../../src/triggers/trigger-spec.js';

/** What a new trigger migration must do to move the database from `emitted` to `desired`. */
export interface TriggerPlan {
  drops: TriggerSpec[];
  creates: TriggerSpec[];
  /** The state after the migration (recorded in it). */
  state: TriggerSpec[];
}

/** Identity of a trigger: PostgreSQL names are per schema (the function lives there too). */
function identity(spec: TriggerSpec): string {
  return JSON.stringify([spec.schema ?? null, spec.name]);
}

/** A stable text of everything the DDL depends on. */
function fingerprint(spec: TriggerSpec): string {
  return JSON.stringify([spec.dialect, spec.schema ?? null, spec.table, spec.column, spec.keyColumns, spec.checkColumns ?? null, spec.jsonColumns ?? [], spec.name]);
}

/** Orders specs so a plan and its state never depend on the order of exports. */
export function sortSpecs(specs: readonly TriggerSpec[]): TriggerSpec[] {
  return [...specs].sort((a, b) => identity(a).localeCompare(identity(b)));
}

/**
 * The dialect-neutral plan: drop triggers that are gone, moved to another table or renamed;
 * (re)create new and changed ones. Empty when nothing changed.
 */
export function planTriggers(emitted: readonly TriggerSpec[], desired: readonly TriggerSpec[]): TriggerPlan {
  const before = new Map(emitted.map((s) => [identity(s), s]));
  const after = new Map(desired.map((s) => [identity(s), s]));
  const drops: TriggerSpec[] = [];
  const creates: TriggerSpec[] = [];
  for (const [id, old] of before) {
    const next = after.get(id);
    if (!next || next.table !== old.table) drops.push(old);
  }
  for (const [id, next] of after) {
    const old = before.get(id);
    if (!old || fingerprint(old) !== fingerprint(next)) creates.push(next);
  }
  return { drops: sortSpecs(drops), creates: sortSpecs(creates), state: sortSpecs(desired) };
}

/** True when the plan changes nothing. */
export function isEmptyPlan(plan: TriggerPlan): boolean {
  return plan.drops.length === 0 && plan.creates.length === 0;
}
