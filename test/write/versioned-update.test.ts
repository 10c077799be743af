import { eq, sql } from 'drizzle-orm';
import * as assert from 'uvu/assert';
import {
  ConfigurationError,
  RecordDeletedError,
  RecordModifiedError,
  VersionError,
  configureConcurrency,
  tryVersionedUpdate,
  versionedDelete,
  versionedUpdate,
  type TargetOf,
} from '../../src/index.js';
import { rejects } from '../support/assert-rejects.js';
import { databaseSuites } from '../support/suite.js';

await databaseSuites('versionedUpdate', (test, { db, t, d }) => {
  const seed = async (id = 1, balance = 100) => {
    await db.insert(t.accounts).values({ id, owner: `owner ${id}`, balance });
    const [row] = await db.select().from(t.accounts).where(eq(t.accounts.id, id));
    return row!;
  };
  const stored = async (id = 1) => (await db.select().from(t.accounts).where(eq(t.accounts.id, id)))[0];

  test('a fresh write succeeds, bumps the version by 1 and returns the stored row', async () => {
    const row = await seed();
    assert.is(row.version, 1);
    const saved = await versionedUpdate(db, t.accounts, row, { balance: 90 });
    assert.equal(saved, { ...row, balance: 90, version: 2 });
    assert.equal(await stored(), saved);
  });

  test('two readers: the second writer gets RecordModifiedError carrying the current row', async () => {
    const first = await seed();
    const second = { ...first };
    await versionedUpdate(db, t.accounts, first, { balance: 50 });
    try {
      await versionedUpdate(db, t.accounts, second, { balance: 70 });
      assert.unreachable('stale write landed');
    } catch (e) {
      assert.instance(e, RecordModifiedError);
      assert.not.instance(e, RecordDeletedError);
      const err = e as RecordModifiedError;
      assert.is(err.name, 'RecordModifiedError');
      assert.is(err.table, 'dc_accounts');
      assert.equal(err.key, { id: 1 });
      assert.is(err.expectedVersion, 1);
      assert.equal(err.current, { ...first, balance: 50, version: 2 });
      assert.is(err.message, 'record modified: "dc_accounts" (id=1) expected version 1, found 2');
    }
    assert.is((await stored())!.balance, 50);
  });

  test('a deleted row gives RecordDeletedError and is never re-created', async () => {
    const row = await seed();
    await db.delete(t.accounts).where(eq(t.accounts.id, 1));
    try {
      await versionedUpdate(db, t.accounts, row, { balance: 1 });
      assert.unreachable();
    } catch (e) {
      assert.instance(e, RecordDeletedError);
      assert.instance(e, RecordModifiedError);
      const err = e as RecordDeletedError;
      assert.is(err.current, null);
      assert.is(err.message, 'record deleted: "dc_accounts" (id=1) expected version 1, the row no longer exists');
    }
    assert.is(await stored(), undefined);
  });

  test('partial changes still check the version', async () => {
    const row = await seed();
    await versionedUpdate(db, t.accounts, row, { note: 'first' });
    await rejects(() => versionedUpdate(db, t.accounts, { id: 1, version: 1 }, { owner: 'x' }), RecordModifiedError);
    assert.is((await stored())!.owner, 'owner 1');
    const fresh = await versionedUpdate(db, t.accounts, { id: 1, version: 2 }, { owner: 'y' });
    assert.is(fresh.owner, 'y');
    assert.is(fresh.note, 'first');
    assert.is(fresh.version, 3);
  });

  test('empty changes are a touch: checked, and the version moves', async () => {
    const row = await seed();
    const touched = await versionedUpdate(db, t.accounts, row, {});
    assert.is(touched.version, 2);
    await rejects(() => versionedUpdate(db, t.accounts, row, {}), RecordModifiedError);
  });

  test('changes may hold Drizzle sql and undefined values (left out, as set() does)', async () => {
    const row = await seed();
    const saved = await versionedUpdate(db, t.accounts, row, { balance: sql`${t.accounts.balance} * 2`, note: undefined });
    assert.is(saved.balance, 200);
    assert.is(saved.note, null);
    assert.is(saved.version, 2);
  });

  test('writing the same values again is no conflict (MySQL counts matched rows)', async () => {
    const row = await seed();
    const a = await versionedUpdate(db, t.accounts, row, { balance: 100 }, { increment: false });
    assert.is(a.version, 1);
    const b = await versionedUpdate(db, t.accounts, a, { balance: 100 }, { increment: false });
    assert.is(b.version, 1);
  });

  for (const [label, version] of [
    ['0', 0],
    ['NaN', Number.NaN],
    ['a string', '1'],
    ['negative', -1],
    ['fractional', 1.5],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a bigint', 1n],
  ] as const) {
    test(`version ${label} is a VersionError and writes nothing`, async () => {
      await seed();
      try {
        await versionedUpdate(db, t.accounts, { id: 1, version: version as never }, { balance: 0 });
        assert.unreachable();
      } catch (e) {
        assert.instance(e, VersionError);
        assert.ok(Object.is((e as VersionError).value, version));
        assert.match((e as Error).message, /version of "dc_accounts" \(id=1\) must be a positive integer/);
      }
      assert.equal((await stored())!.balance, 100);
      assert.equal((await stored())!.version, 1);
    });
  }

  test('a version beyond what the column holds is a conflict, not a driver error (PostgreSQL integer)', async () => {
    await seed();
    // SQLite's integer holds MAX_SAFE_INTEGER: a version there is at its limit, a VersionError (test/version-limit.test.ts).
    for (const version of d.dialect === 'sqlite' ? [2 ** 31] : [2 ** 31, Number.MAX_SAFE_INTEGER]) {
      const err = (await rejects(() => versionedUpdate(db, t.accounts, { id: 1, version }, { balance: 0 }), RecordModifiedError)) as RecordModifiedError;
      assert.is(err.expectedVersion, version);
      await rejects(() => versionedDelete(db, t.accounts, { id: 1, version }), RecordModifiedError);
      await rejects(() => versionedUpdate(db, t.accounts, { id: 2, version }, { balance: 0 }), RecordDeletedError);
    }
    assert.equal(await stored(), { id: 1, owner: 'owner 1', balance: 100, note: null, version: 1 });
  });

  test('a missing version is a VersionError unless versionRequired is false', async () => {
    await seed();
    await rejects(() => versionedUpdate(db, t.accounts, { id: 1 } as never, { balance: 0 }), VersionError);
    assert.is((await stored())!.balance, 100);
    configureConcurrency({ versionRequired: false });
    const saved = await versionedUpdate(db, t.accounts, { id: 1 } as TargetOf<typeof t.accounts>, { balance: 5 });
    assert.is(saved.balance, 5);
    assert.is(saved.version, 2, 'unchecked, but the version still moves');
    await rejects(() => versionedUpdate(db, t.accounts, { id: 1, version: Number.NaN }, { balance: 0 }), VersionError);
  });

  test('enabled: false turns checks off, versions still move', async () => {
    const row = await seed();
    await versionedUpdate(db, t.accounts, row, { balance: 1 });
    configureConcurrency({ enabled: false });
    const saved = await versionedUpdate(db, t.accounts, row, { balance: 2 });
    assert.is(saved.balance, 2);
    assert.is(saved.version, 3);
  });

  test('check: false skips the check for one call; a missing row is still RecordDeletedError', async () => {
    const row = await seed();
    await versionedUpdate(db, t.accounts, row, { balance: 1 });
    const saved = await versionedUpdate(db, t.accounts, row, { balance: 2 }, { check: false });
    assert.is(saved.version, 3);
    await rejects(() => versionedUpdate(db, t.accounts, { id: 9, version: 1 }, { balance: 2 }, { check: false }), RecordDeletedError);
  });

  test('onConflict observes every conflict before it is thrown or returned', async () => {
    const seen: RecordModifiedError[] = [];
    configureConcurrency({ onConflict: (e) => seen.push(e) });
    const row = await seed();
    await versionedUpdate(db, t.accounts, row, { balance: 1 });
    const result = await tryVersionedUpdate(db, t.accounts, row, { balance: 2 });
    assert.is(result.ok, false);
    await rejects(() => versionedUpdate(db, t.accounts, row, { balance: 3 }));
    assert.is(seen.length, 2);
    assert.ok(!result.ok && seen[0] === result.error);
  });

  test('tryVersionedUpdate resolves ok / error and still throws other errors', async () => {
    const row = await seed();
    const ok = await tryVersionedUpdate(db, t.accounts, row, { balance: 1 });
    assert.ok(ok.ok && ok.row.version === 2);
    const stale = await tryVersionedUpdate(db, t.accounts, row, { balance: 1 });
    assert.ok(!stale.ok && stale.error instanceof RecordModifiedError && stale.error.expectedVersion === 1);
    await rejects(() => tryVersionedUpdate(db, t.accounts, { id: 1, version: -3 }, {}), VersionError);
  });

  test('the success path is one statement (MariaDB: update and read-back in one compound statement and transaction); failure reads once more', async () => {
    const row = await seed();
    const log: string[] = [];
    const logged = d.logged(log);
    // MariaDB runs the update, its row count and the locking read as one `begin not atomic … end`.
    const compound = /^begin not atomic (declare exit handler for sqlexception begin rollback; resignal; end; start transaction; )?update .*; select row_count\(\) as `~dc_matched`; select .* from .* for update; (commit; )?end$/;
    const kinds = () => log.map((q) => (compound.test(q) ? (/start transaction/.test(q) ? 'compound in own transaction' : 'compound') : /^\w+/.exec(q)![0] + (/ for update$/.test(q) ? ' for update' : '')));
    await versionedUpdate(logged, t.accounts, row, { balance: 1 });
    assert.equal(kinds(), d.dialect === 'mysql' ? ['compound in own transaction'] : ['update'], log.join('\n'));
    log.length = 0;
    await rejects(() => versionedUpdate(logged, t.accounts, row, { balance: 2 }), RecordModifiedError);
    assert.equal(kinds(), d.dialect === 'mysql' ? ['compound in own transaction'] : ['update', 'select'], log.join('\n'));
    log.length = 0;
    if (logged.resultKind === 'sync') {
      // better-sqlite3's callback is synchronous: the write's statement runs during the call, inside it.
      let written: Promise<unknown> | undefined;
      logged.transaction((tx: any) => void (written = versionedUpdate(tx, t.accounts, { ...row, version: 2 }, { balance: 3 })));
      await written;
    } else {
      await logged.transaction(async (tx: any) => {
        await versionedUpdate(tx, t.accounts, { ...row, version: 2 }, { balance: 3 });
      });
    }
    // Inside the caller's transaction: no begin / commit of its own (drivers differ in logging the caller's).
    const inside = kinds().filter((k) => k !== 'begin' && k !== 'commit');
    assert.equal(inside, d.dialect === 'mysql' ? ['compound'] : ['update'], log.join('\n'));
    assert.ok(kinds().filter((k) => k === 'begin').length <= 1, log.join('\n'));
    assert.is((await stored())!.balance, 3);
  });

  test('bad input is a ConfigurationError naming table and key, before any SQL is sent', async () => {
    const row = await seed();
    const log: string[] = [];
    const logged = d.logged(log);
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => versionedUpdate(logged, t.notes as any, { id: 1 }, { text: 'x' }), /"dc_notes" has no version column/],
      [() => versionedUpdate(logged, t.accounts, row, { version: 5 } as any), /"dc_accounts" hold the version column "version"/],
      [() => versionedUpdate(logged, t.accounts, row, { nope: 1 } as any), /"dc_accounts" name "nope", which is not a column/],
      [() => versionedUpdate({ select() {} } as any, t.accounts, row, { balance: 1 }), /not a Drizzle database or transaction .*"dc_accounts"/],
      [() => versionedUpdate(logged, t.accounts, { version: 1 } as any, { balance: 1 }), /"dc_accounts" has no value for primary key "id"/],
      [() => versionedUpdate(logged, t.accounts, row, null as any), /changes for "dc_accounts" must be an object/],
      [() => versionedUpdate(logged, t.accounts, row, { constructor: 'x' } as any), /name "constructor", which is not a column key/],
      [() => versionedUpdate(logged, t.accounts, row, { toString: 'x' } as any), /name "toString", which is not a column key/],
      [() => versionedUpdate(logged, t.accounts, row, JSON.parse('{"__proto__": ""}')), /name "__proto__", which is not a column key/],
      [() => versionedUpdate(logged, t.badFields, { id: 1, version: 1 }, { a: 1 }), /"dc_bad_fields".checkFields names "ghost", which is not a column key/],
      [() => versionedUpdate(logged, t.bothFields, { id: 1, version: 1 }, { a: 1 }), /"dc_both_fields"."version" gives both checkFields and ignoreFields/],
    ];
    for (const [call, message] of cases) {
      try {
        await call();
        assert.unreachable(String(message));
      } catch (e) {
        assert.instance(e, ConfigurationError, String(e));
        assert.match((e as Error).message, message);
      }
    }
    assert.equal(log, []);
    assert.equal(await stored(), row);
  });
});
