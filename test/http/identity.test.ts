import * as my from 'drizzle-orm/mysql-core';
import * as pgc from 'drizzle-orm/pg-core';
import { blob, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationError, VersionError, identity, parseIdentity } from '../../src/index.js';
import * as myv from '../../src/mysql/index.js';
import * as pgv from '../../src/pg/index.js';
import { integerVersion } from '../../src/sqlite/index.js';
import { testSchema } from '../support/schema.js';
import { throwsError } from '../support/assert-rejects.js';

const t = testSchema('sqlite');
const tags = sqliteTable(
  'http_tags',
  { postId: integer('post_id').notNull(), tag: text().notNull(), weight: integer(), version: integerVersion() },
  (x) => [primaryKey({ columns: [x.postId, x.tag] })],
);
const typed = sqliteTable(
  'http_typed',
  {
    flag: integer({ mode: 'boolean' }).notNull(),
    at: integer({ mode: 'timestamp_ms' }).notNull(),
    big: blob({ mode: 'bigint' }).notNull(),
    ratio: real().notNull(),
    rowVersion: integerVersion('row_version'),
  },
  (x) => [primaryKey({ columns: [x.flag, x.at, x.big, x.ratio] })],
);

test('a single key: "<pk>,<version>", parsed back into a target', () => {
  const row = { id: 7, owner: 'x', balance: 1, note: null, version: 3 };
  assert.is(identity(t.accounts, row), '7,3');
  assert.equal(parseIdentity(t.accounts, '7,3'), { id: 7, version: 3 });
  assert.equal(parseIdentity(t.accounts, '-4,1'), { id: -4, version: 1 }, 'negative integer keys are integers too');
  assert.equal(parseIdentity(t.accounts, '0,9007199254740991'), { id: 0, version: Number.MAX_SAFE_INTEGER });
});

test('a composite key lists its parts in primary-key order and round-trips', () => {
  const row = { orgId: 2, userId: 15, role: 'admin', version: 1 };
  assert.is(identity(t.memberships, row), '2,15,1');
  assert.equal(parseIdentity(t.memberships, '2,15,1'), { orgId: 2, userId: 15, version: 1 });
  fc.assert(
    fc.property(fc.integer(), fc.integer(), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (orgId, userId, version) => {
      const target = parseIdentity(t.memberships, identity(t.memberships, { orgId, userId, role: 'r', version }));
      assert.equal(target, { orgId: Object.is(orgId, -0) ? 0 : orgId, userId: Object.is(userId, -0) ? 0 : userId, version });
    }),
  );
});

test('text keys holding commas, percent signs or anything else round-trip unambiguously', () => {
  assert.is(identity(tags, { postId: 1, tag: 'a,b', version: 2 }), '1,a%2Cb,2');
  for (const tag of ['a,b', ',', '%', '%2C', '', ' ', 'ü', '😀', '1,2,3', 'a%b,c', '\n']) {
    const text = identity(tags, { postId: 9, tag, version: 4 });
    assert.is(text.split(',').length, 3, text);
    assert.equal(parseIdentity(tags, text), { postId: 9, tag, version: 4 });
  }
  fc.assert(
    fc.property(fc.integer(), fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 2 ** 40 }), (postId, tag, version) => {
      const text = identity(tags, { postId, tag, version });
      assert.is(text.split(',').length, 3);
      assert.equal(parseIdentity(tags, text), { postId: Object.is(postId, -0) ? 0 : postId, tag, version });
    }),
  );
});

test('boolean, date, bigint and real keys come back with their column types', () => {
  const row = { flag: true, at: new Date('2026-01-02T03:04:05.678Z'), big: 2n ** 70n, ratio: 0.25, rowVersion: 5 };
  const text = identity(typed, row);
  assert.is(text, `true,2026-01-02T03%3A04%3A05.678Z,${2n ** 70n},0.25,5`);
  const back = parseIdentity(typed, text) as any;
  assert.is(back.flag, true);
  assert.instance(back.at, Date);
  assert.is(back.at.getTime(), row.at.getTime());
  assert.is(back.big, 2n ** 70n);
  assert.is(back.ratio, 0.25);
  assert.is(back.rowVersion, 5);
  for (const bad of ['yes,2026-01-02T03%3A04%3A05.678Z,1,0.25,5', 'true,2026-01-02,1,0.25,5', 'true,2026-01-02T03%3A04%3A05.678Z,01,0.25,5', 'true,2026-01-02T03%3A04%3A05.678Z,1,.25,5']) {
    throwsError(() => parseIdentity(typed, bad), VersionError);
  }
});

test('a malformed identity is a VersionError carrying the input, never a target', () => {
  const cases: [unknown, RegExp][] = [
    [7, /must be a string, got 7/],
    [null, /must be a string/],
    [undefined, /must be a string/],
    [{ orgId: 2, userId: 15, version: 1 }, /must be a string/],
    ['', /has 1 comma-separated part\(s\), expected 3 \(orgId,userId,version\)/],
    ['2,15', /has 2 comma-separated part/],
    ['2,15,1,1', /has 4 comma-separated part/],
    ['2,15,0', /version must be a positive integer/],
    ['2,15,-1', /version must be a positive integer/],
    ['2,15,1.5', /version must be a positive integer/],
    ['2,15,01', /version must be a positive integer/],
    ['2,15,+1', /version must be a positive integer/],
    ['2,15,1e3', /version must be a positive integer/],
    ['2,15,abc', /version must be a positive integer/],
    ['2,15,', /version must be a positive integer in plain decimal, got ""$/],
    ['2,15, 1', /version must be a positive integer/],
    ['2,15,9007199254740993', /version must be a positive integer/],
    ['1.5,15,1', /key "orgId" must be an integer in plain decimal/],
    [',15,1', /key "orgId" must be an integer .*got ""/],
    ['abc,15,1', /key "orgId" must be an integer/],
    ['01,15,1', /key "orgId" must be an integer/],
    ['+1,15,1', /key "orgId" is not percent-encoded/],
    ['%2B1,15,1', /key "orgId" must be an integer .*got "\+1"/],
    ['-0,15,1', /key "orgId" must be an integer/],
    ['1e3,15,1', /key "orgId" must be an integer/],
    ['0x10,15,1', /key "orgId" must be an integer/],
    [' 1,15,1', /key "orgId" is not percent-encoded as identity\(\) writes it/],
    ['2,9007199254740993,1', /key "userId" must be an integer/],
    ['%31,15,1', /key "orgId" is not percent-encoded as identity\(\) writes it/],
    ['%E0%A4%A,15,1', /key "orgId" is not valid percent-encoding/],
  ];
  for (const [input, message] of cases) {
    const error = throwsError(() => parseIdentity(t.memberships, input), VersionError, message);
    assert.ok(Object.is((error as VersionError).value, input), `value of ${String(input)}`);
    assert.match(error.message, /^identity( ".*")? for "dc_memberships": /);
  }
  throwsError(() => parseIdentity(tags, '1,a,b,1'), VersionError, /has 4 comma-separated part/);
  throwsError(() => parseIdentity(tags, '1,a%zz,1'), VersionError, /not valid percent-encoding/);
  throwsError(() => parseIdentity(tags, '1,%61,1'), VersionError, /not percent-encoded as identity\(\) writes it/);
});

test('identity() refuses rows it could not round-trip', () => {
  throwsError(() => identity(t.accounts, { id: 1 } as never), VersionError, /version "version" must be a positive integer, got undefined/);
  for (const version of [0, -1, 1.5, Number.NaN, '3', 3n, Number.MAX_SAFE_INTEGER + 1]) {
    throwsError(() => identity(t.accounts, { id: 1, version } as any), VersionError);
  }
  throwsError(() => identity(t.accounts, { version: 1 } as any), ConfigurationError, /has no value for primary key "id"/);
  throwsError(() => identity(t.accounts, { id: '7', version: 1 } as any), ConfigurationError, /primary key "id" must be an integer from -?\d+ to \d+ \(integer column\), got "7"/);
  throwsError(() => identity(t.accounts, { id: 1.5, version: 1 }), ConfigurationError, /primary key "id" must be an integer .* got 1.5/);
  throwsError(() => identity(tags, { postId: 1, tag: 'a\uD800', version: 1 }), ConfigurationError, /lone UTF-16 surrogate/);
  throwsError(() => identity(t.notes as any, { id: 1, version: 1 }), ConfigurationError, /"dc_notes" has no version column/);
  throwsError(() => parseIdentity(t.notes as any, '1,1'), ConfigurationError, /"dc_notes" has no version column/);
});


test('parseIdentity refuses key values the column cannot hold, naming the field (all dialects)', () => {
  const pgKeys = pgc.pgTable('http_pg_keys', {
    n: pgc.integer().notNull(),
    s: pgc.smallint().notNull(),
    u: pgc.uuid().notNull(),
    label: pgc.text().notNull(),
    version: pgv.integerVersion(),
  }, (x) => [pgc.primaryKey({ columns: [x.n, x.s, x.u, x.label] })]);
  const uuid = '6f1c1a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
  assert.equal(parseIdentity(pgKeys, `2147483647,-32768,${uuid},a,1`), { n: 2147483647, s: -32768, u: uuid, label: 'a', version: 1 });
  const pgBad: [string, RegExp][] = [
    [`2147483648,1,${uuid},a,1`, /key "n" must be an integer from -2147483648 to 2147483647 \(integer column\), got "2147483648"/],
    [`-2147483649,1,${uuid},a,1`, /key "n" must be an integer from -2147483648/],
    [`1,40000,${uuid},a,1`, /key "s" must be an integer from -32768 to 32767 \(smallint column\), got "40000"/],
    ['1,1,x,a,1', /key "u" must be a uuid \(uuid column\), got "x"/],
    [`1,1,${uuid},a%00b,1`, /key "label" holds a NUL character/],
  ];
  for (const [input, message] of pgBad) {
    const error = throwsError(() => parseIdentity(pgKeys, input), VersionError, message);
    assert.match(error.message, /for "http_pg_keys": /);
    assert.is((error as VersionError).value, input);
  }
  const myKeys = my.mysqlTable('http_my_keys', {
    i: my.int().notNull(),
    u: my.int({ unsigned: true }).notNull(),
    t: my.tinyint().notNull(),
    su: my.smallint({ unsigned: true }).notNull(),
    m: my.mediumint().notNull(),
    version: myv.integerVersion(),
  }, (x) => [my.primaryKey({ columns: [x.i, x.u, x.t, x.su, x.m] })]);
  assert.equal(parseIdentity(myKeys, '-2147483648,4294967295,-128,65535,8388607,1'), { i: -2147483648, u: 4294967295, t: -128, su: 65535, m: 8388607, version: 1 });
  const myBad: [string, RegExp][] = [
    ['2147483648,0,0,0,0,1', /key "i" must be an integer from -2147483648 to 2147483647 \(int column\)/],
    ['0,-1,0,0,0,1', /key "u" must be an integer from 0 to 4294967295 \(int unsigned column\), got "-1"/],
    ['0,4294967296,0,0,0,1', /key "u" must be an integer from 0 to 4294967295/],
    ['0,0,128,0,0,1', /key "t" must be an integer from -128 to 127 \(tinyint column\)/],
    ['0,0,0,65536,0,1', /key "su" must be an integer from 0 to 65535 \(smallint unsigned column\)/],
    ['0,0,0,0,8388608,1', /key "m" must be an integer from -8388608 to 8388607 \(mediumint column\)/],
  ];
  for (const [input, message] of myBad) throwsError(() => parseIdentity(myKeys, input), VersionError, message);
  throwsError(() => parseIdentity(t.accounts, '9007199254740992,1'), VersionError, /key "id" must be an integer/);
  throwsError(() => parseIdentity(tags, '1,%00,1'), VersionError, /key "tag" holds a NUL character/);
  throwsError(() => identity(tags, { postId: 1, tag: 'a\u0000', version: 1 }), ConfigurationError, /primary key "tag" holds a NUL character/);
});

test.run();
