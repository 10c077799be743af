/**
 * Multi-process torture at CI size: 3 processes × 40 read-modify-write increments on 2 hot
 * rows per dialect. Through `retryOnConflict` + `versionedUpdate` no update is lost and every
 * failure is an expected conflict; the same harness with plain Drizzle updates loses updates
 * (asserted on PostgreSQL and MariaDB; SQLite is reported), so the harness can fail.
 * Full size: `npm run torture`.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { testDatabases } from '../support/databases.js';
import { torture } from './support/torture.js';

const PROCESSES = 3;
const INCREMENTS = 40;
const dialects = process.env['RELIABILITY_SKIP_TORTURE'] ? [] : [...new Set((await testDatabases()).map((d) => d.dialect))];

for (const dialect of dialects) {
  const s = suite(`reliability: multi-process torture [${dialect}]`);
  s(`${PROCESSES} processes × ${INCREMENTS} versioned increments: zero lost updates, only conflicts`, async () => {
    const r = await torture(dialect, 'library', PROCESSES, INCREMENTS, 2);
    assert.equal(r.unexpected, []);
    assert.is(r.successes, r.operations);
    assert.is(r.finalSum, r.successes, `lost ${r.lost} updates`);
    console.log(`  torture ${dialect} library: ${r.operations} ops, ${r.conflicts} conflicts, lost ${r.lost}, ${r.ms} ms`);
  });
  s(`the same harness with plain Drizzle updates ${dialect === 'sqlite' ? 'is reported' : 'loses updates'}`, async () => {
    const r = await torture(dialect, 'plain', PROCESSES, INCREMENTS, 2);
    assert.equal(r.unexpected, []);
    if (dialect !== 'sqlite') assert.ok(r.lost > 0, 'plain read-modify-write should lose updates under contention');
    console.log(`  torture ${dialect} plain: ${r.operations} ops, lost ${r.lost}, ${r.ms} ms`);
  });
  s.run();
}
