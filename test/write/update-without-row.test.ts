/**
 * `versionedUpdate(…, { returning: false })`: one statement on every driver, nothing read back,
 * resolving to the key and the version known without a read; conflicts still detected.
 */
import { eq } from 'drizzle-orm';
import * as assert from 'uvu/assert';
import {
  RecordDeletedError,
  RecordModifiedError,
  disableConcurrency,
  tryVersionedUpdate,
  versionedDelete,
  versionedUpdate,
} from '../../src/index.js';
import { renderCreateTriggers } from '../../src/triggers/trigger-ddl.js';
import { triggerSpecFor } from '../../src/triggers/trigger-spec.js';
import { rejects } from '../support/assert-rejects.js';
import { databaseSuites } from '../support/suite.js';

const NO_ROW = { returning: false } as const;

await databaseSuites(
  'versionedUpdate with returning: false',
  (test, { db, t, d }) => {
    const stored = async (table: any, id = 1) => (await db.select().from(table).where(eq(table.id, id)))[0];
    const seed = async () => {
      await db.insert(t.accounts).values({ id: 1, owner: 'a', balance: 100 });
      return stored(t.accounts);
    };

    test('sends exactly one statement, an UPDATE without RETURNING, and resolves to key and new version', async () => {
      const row = await seed();
      const log: string[] = [];
      const logged = d.logged(log);
      const written = await versionedUpdate(logged, t.accounts, row, { balance: 90 }, NO_ROW);
      assert.equal(written, { id: 1, version: 2 });
      assert.is(log.length, 1, log.join('\n'));
      assert.match(log[0]!, /^update /i);
      assert.not.match(log[0]!, /returning/i);
      assert.equal(await stored(t.accounts), { ...row, balance: 90, version: 2 });
      // The result is a target: the next write chains on it.
      const again = await versionedUpdate(logged, t.accounts, { ...written, version: written.version! }, { balance: 80 }, NO_ROW);
      assert.equal(again, { id: 1, version: 3 });
      assert.is(log.length, 2);
      // tryVersionedUpdate: the same single statement.
      const outcome = await tryVersionedUpdate(logged, t.accounts, { id: 1, version: 3 }, {}, NO_ROW);
      assert.equal(outcome, { ok: true, row: { id: 1, version: 4 } });
      assert.is(log.length, 3);
    });

    test('the default path still returns the whole row (and the option does not leak into its cache)', async () => {
      const row = await seed();
      await versionedUpdate(db, t.accounts, row, { balance: 1 }, NO_ROW);
      const saved = await versionedUpdate(db, t.accounts, { id: 1, version: 2 }, { balance: 1 });
      assert.equal(saved, { ...row, balance: 1, version: 3 });
    });

    test('a stale version still rejects with RecordModifiedError carrying the current row', async () => {
      const row = await seed();
      await versionedUpdate(db, t.accounts, row, { balance: 50 });
      const error = (await rejects(() => versionedUpdate(db, t.accounts, row, { balance: 70 }, NO_ROW), RecordModifiedError)) as RecordModifiedError;
      assert.not.instance(error, RecordDeletedError);
      assert.is(error.expectedVersion, 1);
      assert.equal(error.current, { ...row, balance: 50, version: 2 });
      assert.is((await stored(t.accounts)).balance, 50);
      const outcome = await tryVersionedUpdate(db, t.accounts, row, { balance: 70 }, NO_ROW);
      assert.is(outcome.ok, false);
      if (!outcome.ok) assert.equal(outcome.error.current, { ...row, balance: 50, version: 2 });
    });

    test('a deleted row rejects with RecordDeletedError and is not re-created', async () => {
      const row = await seed();
      await db.delete(t.accounts).where(eq(t.accounts.id, 1));
      await rejects(() => versionedUpdate(db, t.accounts, row, { balance: 1 }, NO_ROW), RecordDeletedError);
      assert.is(await stored(t.accounts), undefined);
    });

    test('integer versions: + 1; increment: false keeps it; an unchecked write does not know it', async () => {
      const row = await seed();
      assert.equal(await versionedUpdate(db, t.accounts, row, { note: 'x' }, { ...NO_ROW, increment: false }), { id: 1, version: 1 });
      assert.is((await stored(t.accounts)).version, 1);
      assert.equal(await versionedUpdate(db, t.accounts, row, { note: 'y' }, { ...NO_ROW, check: false }), { id: 1, version: undefined });
      assert.equal(await disableConcurrency(() => versionedUpdate(db, t.accounts, row, { note: 'z' }, NO_ROW)), { id: 1, version: undefined });
      assert.is((await stored(t.accounts)).version, 3);
    });

    test('a write that moves the primary key resolves to the new key', async () => {
      const row = await seed();
      assert.equal(await versionedUpdate(db, t.accounts, row, { id: 7 }, NO_ROW), { id: 7, version: 2 });
      assert.is((await stored(t.accounts, 7)).version, 2);
    });

    test('composite keys resolve to every key field', async () => {
      await db.insert(t.memberships).values({ orgId: 1, userId: 2, role: 'a' });
      const written = await versionedUpdate(db, t.memberships, { orgId: 1, userId: 2, version: 1 }, { role: 'b' }, NO_ROW);
      assert.equal(written, { orgId: 1, userId: 2, version: 2 });
    });

    test('timestamp versions: the new version is max(old + 1, now in µs), as stored', async () => {
      await db.insert(t.docs).values({ id: 1, body: 'a' });
      const row = await stored(t.docs);
      const before = Date.now() * 1000;
      const written = await versionedUpdate(db, t.docs, row, { body: 'b' }, NO_ROW);
      assert.ok(written.version! >= before, `${written.version} < ${before}`);
      assert.is((await stored(t.docs)).version, written.version);
      await rejects(() => versionedUpdate(db, t.docs, row, { body: 'c' }, NO_ROW), RecordModifiedError);
    });

    test('trigger versions: + 1 as stored, the trigger staying out of the way', async () => {
      await db.insert(t.items).values({ id: 1, name: 'a', price: 1 });
      const written = await versionedUpdate(db, t.items, { id: 1, version: 1 }, { price: 2 }, NO_ROW);
      assert.equal(written, { id: 1, version: 2 });
      assert.is((await stored(t.items)).version, 2);
      await rejects(() => versionedUpdate(db, t.items, { id: 1, version: 1 }, { price: 3 }, NO_ROW), RecordModifiedError);
    });

    test('trigger versions with checkFields: unchanged when no watched field is set, unknown when one is', async () => {
      await db.insert(t.priced).values({ id: 1, name: 'a', sku: 's', price: 1 });
      assert.equal(await versionedUpdate(db, t.priced, { id: 1, version: 1 }, { name: 'b' }, NO_ROW), { id: 1, version: 1 });
      assert.is((await stored(t.priced)).version, 1);
      assert.equal(await versionedUpdate(db, t.priced, { id: 1, version: 1 }, { price: 5 }, NO_ROW), { id: 1, version: undefined });
      assert.is((await stored(t.priced)).version, 2);
    });

    test('conditional versions: unchanged for unwatched fields, + 1 for a touch, unknown for watched ones', async () => {
      await db.insert(t.posts).values({ id: 1, title: 't', body: 'b' });
      assert.equal(await versionedUpdate(db, t.posts, { id: 1, version: 1 }, { views: 3 }, NO_ROW), { id: 1, version: 1 });
      assert.equal(await versionedUpdate(db, t.posts, { id: 1, version: 1 }, {}, NO_ROW), { id: 1, version: 2 });
      assert.equal(await versionedUpdate(db, t.posts, { id: 1, version: 2 }, { title: 't' }, NO_ROW), { id: 1, version: undefined });
      assert.is((await stored(t.posts)).version, 2);
      assert.equal(await versionedUpdate(db, t.posts, { id: 1, version: 2 }, { title: 'u' }, NO_ROW), { id: 1, version: undefined });
      assert.is((await stored(t.posts)).version, 3);
      await rejects(() => versionedUpdate(db, t.posts, { id: 1, version: 2 }, { views: 1 }, NO_ROW), RecordModifiedError);
    });

    test("inside the caller's transaction: one statement, rolled back with it", async () => {
      const row = await seed();
      const log: string[] = [];
      const logged = d.logged(log);
      if (logged.resultKind === 'sync') {
        // better-sqlite3's callback is synchronous: the statement runs during the call, the promise settles after it.
        let written: Promise<unknown> | undefined;
        assert.throws(() =>
          logged.transaction((tx: any) => {
            written = versionedUpdate(tx, t.accounts, row, { balance: 1 }, NO_ROW);
            throw new Error('abort');
          }),
        /abort/);
        assert.equal(await written, { id: 1, version: 2 });
      } else {
        await rejects(
          () =>
            logged.transaction(async (tx: any) => {
              const written = await versionedUpdate(tx, t.accounts, row, { balance: 1 }, NO_ROW);
              assert.equal(written, { id: 1, version: 2 });
              throw new Error('abort');
            }),
          Error,
          /abort/,
        );
      }
      assert.is(log.filter((q) => /^update /i.test(q)).length, 1);
      assert.is(log.filter((q) => /^select /i.test(q)).length, 0);
      assert.equal(await stored(t.accounts), row);
    });

    test('versionedDelete accepts the option: one statement either way', async () => {
      const row = await seed();
      const log: string[] = [];
      await versionedDelete(d.logged(log), t.accounts, row, NO_ROW);
      assert.is(log.length, 1);
      assert.is(await stored(t.accounts), undefined);
    });
  },
  {
    prefix: 'nr_',
    setup: async ({ d, t }) => {
      for (const table of [t.items, t.priced]) for (const statement of renderCreateTriggers(triggerSpecFor(table)!)) await d.exec(statement);
    },
  },
);
