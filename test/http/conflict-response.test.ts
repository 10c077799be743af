import { createClient } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  RecordDeletedError,
  RecordModifiedError,
  applyConcurrencyCheck,
  conflictBody,
  conflictResponse,
  versionedDelete,
  versionedUpdate,
} from '../../src/index.js';
import { tableDdl } from '../support/ddl.js';
import { testSchema } from '../support/schema.js';

const t = testSchema('sqlite', 'cr_');
applyConcurrencyCheck(t.pluginUsers, 'revision');
const client = createClient({ url: ':memory:' });
// testSchema is typed with the pg shape for every dialect: the db is untyped to match.
const db: any = drizzle(client);

test.before(async () => {
  for (const table of [t.accounts, t.pluginUsers]) for (const statement of tableDdl('sqlite', table)) await client.execute(statement);
});
test.after(() => client.close());

async function staleWrite(): Promise<RecordModifiedError> {
  await client.execute('delete from cr_accounts');
  const [row] = await db.insert(t.accounts).values({ id: 1, owner: 'alice', balance: 100 }).returning();
  await versionedUpdate(db, t.accounts, row!, { balance: 80 });
  try {
    await versionedUpdate(db, t.accounts, row!, { balance: 50, owner: 'alice' });
  } catch (e) {
    return e as RecordModifiedError;
  }
  assert.unreachable('the stale write landed');
  throw new Error('unreachable');
}

test('a real conflict: 409, JSON body with the diff against mine, ETag of the current version', async () => {
  const error = await staleWrite();
  assert.is(error.versionKey, 'version', 'the library records the version key on the error');
  const res = conflictResponse(error, { mine: { balance: 50, owner: 'alice', version: 1 } });
  assert.instance(res, Response);
  assert.is(res.status, 409);
  assert.is(res.headers.get('content-type'), 'application/json');
  assert.is(res.headers.get('etag'), '"2"');
  assert.equal(await res.json(), {
    error: 'conflict',
    reason: 'modified',
    message: 'record modified: "cr_accounts" (id=1) expected version 1, found 2',
    table: 'cr_accounts',
    key: { id: 1 },
    expectedVersion: 1,
    currentVersion: 2,
    current: { id: 1, owner: 'alice', balance: 80, note: null, version: 2 },
    diff: [{ field: 'balance', mine: 50, current: 80 }],
  });
});

test('status 412 on request; no mine, no diff; extra headers kept', async () => {
  const error = await staleWrite();
  const res = conflictResponse(error, { status: 412, headers: { 'cache-control': 'no-store', 'content-type': 'text/plain' } });
  assert.is(res.status, 412);
  assert.is(res.headers.get('cache-control'), 'no-store');
  assert.is(res.headers.get('content-type'), 'application/json', 'the body is JSON whatever the caller passed');
  assert.is(res.headers.get('etag'), '"2"');
  const body = (await res.json()) as { diff: unknown[]; currentVersion: number };
  assert.equal(body.diff, []);
  assert.is(body.currentVersion, 2);
});

test('a deleted row is 410 Gone, even when 412 was asked, with no ETag and no current row', async () => {
  await client.execute('delete from cr_accounts');
  const [row] = await db.insert(t.accounts).values({ id: 2, owner: 'bob' }).returning();
  await client.execute('delete from cr_accounts where id = 2');
  let error: unknown;
  try {
    await versionedDelete(db, t.accounts, row!);
  } catch (e) {
    error = e;
  }
  assert.instance(error, RecordDeletedError);
  for (const status of [undefined, 409, 412]) {
    const res = conflictResponse(error as RecordDeletedError, { status, mine: { balance: 3 } });
    assert.is(res.status, 410);
    assert.is(res.headers.get('etag'), null);
    assert.equal(await res.json(), {
      error: 'conflict',
      reason: 'deleted',
      message: 'record deleted: "cr_accounts" (id=2) expected version 1, the row no longer exists',
      table: 'cr_accounts',
      key: { id: 2 },
      expectedVersion: 1,
      currentVersion: null,
      current: null,
      diff: [],
    });
  }
});

test('a version column not named "version": currentVersion and the diff use the error\'s versionKey', async () => {
  await db.insert(t.pluginUsers).values({ id: 1, email: 'a@x' });
  await versionedUpdate(db, t.pluginUsers, { id: 1, revision: 1 }, { email: 'b@x' });
  let error: RecordModifiedError | undefined;
  try {
    await versionedUpdate(db, t.pluginUsers, { id: 1, revision: 1 }, { email: 'c@x' });
  } catch (e) {
    error = e as RecordModifiedError;
  }
  assert.is(error?.versionKey, 'revision');
  const res = conflictResponse(error!, { status: 412, mine: { email: 'c@x', revision: 1 } });
  assert.is(res.headers.get('etag'), '"2"');
  const body = (await res.json()) as any;
  assert.is(body.currentVersion, 2);
  assert.equal(body.diff, [{ field: 'email', mine: 'c@x', current: 'b@x' }]);
});

test('hand-made errors: bigints sent as text, no versionKey falls back to "version", conflictBody is the body', async () => {
  const error = new RecordModifiedError({
    table: 'ledger',
    key: { id: 2n ** 64n },
    expectedVersion: 3,
    current: { id: 2n ** 64n, amount: 10n, version: 4 },
    foundVersion: 4,
  });
  assert.is(error.versionKey, undefined);
  const res = conflictResponse(error, { mine: { amount: 11n, version: 3 } });
  assert.is(res.headers.get('etag'), '"4"');
  const body = (await res.json()) as any;
  assert.equal(body.key, { id: '18446744073709551616' });
  assert.equal(body.current, { id: '18446744073709551616', amount: '10', version: 4 });
  assert.equal(body.diff, [{ field: 'amount', mine: '11', current: '10' }]);
  const plain = conflictBody(error, { mine: { amount: 11n, version: 3 } });
  assert.equal(plain.diff, [{ field: 'amount', mine: 11n, current: 10n }]);
  assert.is(plain.currentVersion, 4);
  // A current row whose version is not a usable version: no ETag, currentVersion null.
  const odd = new RecordModifiedError({ table: 'x', key: { id: 1 }, expectedVersion: 1, current: { id: 1, version: 'abc' } });
  const oddRes = conflictResponse(odd);
  assert.is(oddRes.headers.get('etag'), null);
  assert.is(((await oddRes.json()) as any).currentVersion, null);
});

test('sql values and columns in mine still give a JSON response; the diff leaves them out', async () => {
  const error = await staleWrite();
  const mine = { balance: sql`${t.accounts.balance} - 10`, owner: t.accounts.note, note: 'mine' };
  const response = conflictResponse(error, { mine });
  assert.is(response.status, 409);
  const body = await response.json();
  assert.equal(body.diff, [{ field: 'note', mine: 'mine', current: null }]);
  const cyclic: Record<string, unknown> = { tag: sql`1`, col: t.accounts.id };
  cyclic['self'] = cyclic;
  const nested = await conflictResponse(error, { mine: { note: cyclic } }).json();
  assert.equal(nested.diff, [{ field: 'note', mine: { tag: '[sql]', col: '[column "id"]', self: '[circular]' }, current: null }]);
});

test.run();
