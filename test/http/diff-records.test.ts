import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffRecords } from '../../src/index.js';
import { integerVersion } from '../../src/sqlite/index.js';
import { testSchema } from '../support/schema.js';

const t = testSchema('sqlite');
const revised = sqliteTable('http_revised', { id: integer().primaryKey(), name: text(), version: text(), revision: integerVersion() });

test('lists the fields that differ, in the order of mine, with both values', () => {
  const mine = { owner: 'bob', balance: 90, note: 'same', version: 1 };
  const current = { id: 1, owner: 'alice', balance: 100, note: 'same', version: 2 };
  assert.equal(diffRecords(mine, current), [
    { field: 'owner', mine: 'bob', current: 'alice' },
    { field: 'balance', mine: 90, current: 100 },
  ]);
  assert.equal(diffRecords(current, current), []);
});

test('the version is left out: the table\'s version key, else versionKey, else "version"', () => {
  assert.equal(diffRecords({ balance: 1, version: 1 }, { balance: 1, version: 2 }), []);
  assert.equal(diffRecords({ balance: 1, version: 1 }, { balance: 1, version: 2 }, t.accounts), []);
  assert.equal(diffRecords({ balance: 1, version: 1 }, { balance: 1, version: 2 }, { table: t.accounts }), []);
  // A table whose version column is `revision`: `version` is an ordinary field there.
  assert.equal(diffRecords({ name: 'a', version: 'x', revision: 1 }, { name: 'a', version: 'y', revision: 2 }, revised), [
    { field: 'version', mine: 'x', current: 'y' },
  ]);
  assert.equal(diffRecords({ revision: 1, version: 'x' }, { revision: 2, version: 'x' }, { versionKey: 'revision' }), []);
  assert.equal(
    diffRecords({ a: 1, updatedAt: 1, version: 1 }, { a: 2, updatedAt: 2, version: 2 }, { ignore: ['updatedAt'] }),
    [{ field: 'a', mine: 1, current: 2 }],
  );
});

test('fields mine leaves out, or sets to undefined, are not compared', () => {
  const current = { id: 1, owner: 'alice', balance: 100, version: 2 };
  assert.equal(diffRecords({ balance: 100 }, current), []);
  assert.equal(diffRecords({ balance: 5, owner: undefined }, current), [{ field: 'balance', mine: 5, current: 100 }]);
  assert.equal(diffRecords({ ghost: 1 }, current), [{ field: 'ghost', mine: 1, current: undefined }]);
  assert.equal(diffRecords({ note: null }, { note: 'x' }), [{ field: 'note', mine: null, current: 'x' }]);
});

test('dates, arrays, objects, bigints and bytes compare by value, not identity', () => {
  const at = '2026-01-02T03:04:05.678Z';
  const same = {
    at: new Date(at),
    when: at,
    tags: ['a', 'b'],
    meta: { x: 1, nested: { y: [1, { z: 2 }] } },
    big: 2n ** 70n,
    bytes: new Uint8Array([1, 2, 3]),
    nan: Number.NaN,
  };
  const current = {
    at: new Date(at),
    when: new Date(at),
    tags: ['a', 'b'],
    meta: { nested: { y: [1, { z: 2 }] }, x: 1, dropped: undefined },
    big: 2n ** 70n,
    bytes: Buffer.from([1, 2, 3]),
    nan: Number.NaN,
  };
  assert.equal(diffRecords(same, current), []);
  const changed = {
    at: new Date(Date.parse(at) + 1),
    tags: ['b', 'a'],
    meta: { x: 1, nested: { y: [1, { z: 3 }] } },
    big: 2n ** 70n + 1n,
    bytes: new Uint8Array([1, 2, 4]),
  };
  const diff = diffRecords(changed, current);
  assert.equal(diff.map((d) => d.field), ['at', 'tags', 'meta', 'big', 'bytes']);
  assert.instance(diff[0]!.mine, Date, 'values are reported as given, not normalised');
});

test('no coercion: a number is not its string, null is not undefined, 0 is not false', () => {
  assert.equal(diffRecords({ a: 5, b: null, c: 0, d: '' }, { a: '5', b: undefined, c: false, d: null }).map((d) => d.field), ['a', 'b', 'c', 'd']);
});

test('a row that is gone leaves nothing to compare', () => {
  assert.equal(diffRecords({ balance: 1 }, null), []);
  assert.equal(diffRecords({ balance: 1 }, undefined), []);
});

test('sql values and columns in mine are left out; nested ones and cycles never overflow the stack', () => {
  const current = { id: 1, owner: 'alice', balance: 100, note: 'n', version: 2 };
  const mine = { balance: sql`${t.accounts.balance} - 10`, owner: t.accounts.owner, note: 'm', version: 1 };
  assert.equal(diffRecords(mine, current), [{ field: 'note', mine: 'm', current: 'n' }]);
  const nested = { note: { set: sql`now()` } };
  assert.equal(diffRecords(nested, current).map((d) => d.field), ['note']);
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic['self'] = cyclic;
  assert.equal(diffRecords({ note: cyclic }, { note: cyclic }).map((d) => d.field), ['note']);
});

test.run();
