import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isEmptyPlan, planTriggers } from '../../codegen/plan/trigger-plan.js';
import type { TriggerSpec } from '../../src/triggers/trigger-spec.js';

const spec = (over: Partial<TriggerSpec> = {}): TriggerSpec => ({
  dialect: 'pg',
  schema: undefined,
  table: 'items',
  column: 'version',
  keyColumns: ['id'],
  checkColumns: undefined,
  name: 'concurrency_items_version',
  ...over,
});

const s = suite('codegen trigger plan');

s('nothing emitted, nothing wanted: empty; same state: empty', () => {
  assert.ok(isEmptyPlan(planTriggers([], [])));
  assert.ok(isEmptyPlan(planTriggers([spec()], [spec()])));
});

s('a new trigger is created; a removed one dropped', () => {
  const created = planTriggers([], [spec()]);
  assert.equal(created.creates, [spec()]);
  assert.equal(created.drops, []);
  const dropped = planTriggers([spec()], []);
  assert.equal(dropped.drops, [spec()]);
  assert.equal(dropped.state, []);
});

s('a renamed version column drops the old trigger and creates the new one', () => {
  const renamed = spec({ column: 'rev', name: 'concurrency_items_rev' });
  const plan = planTriggers([spec()], [renamed]);
  assert.equal(plan.drops, [spec()]);
  assert.equal(plan.creates, [renamed]);
});

s('changed checkFields recreate the trigger in place (create is idempotent)', () => {
  const changed = spec({ checkColumns: ['price'] });
  const plan = planTriggers([spec()], [changed]);
  assert.equal(plan.drops, []);
  assert.equal(plan.creates, [changed]);
});

s('a trigger name moved to another table drops it from the old one first', () => {
  const moved = spec({ table: 'other' });
  const plan = planTriggers([spec()], [moved]);
  assert.equal(plan.drops, [spec()]);
  assert.equal(plan.creates, [moved]);
});

s('the same name in two PostgreSQL schemas is two triggers', () => {
  const a = spec({ schema: 'a' });
  const b = spec({ schema: 'b' });
  const plan = planTriggers([a], [a, b]);
  assert.equal(plan.creates, [b]);
  assert.equal(plan.state, [a, b]);
});

s.run();
